"""Training the dense retriever and the planner (later issues)."""
