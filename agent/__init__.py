"""Planning, checking and executing tool calls (later issues)."""
