"""Training data generation: self-instruct tools and instances (Seal-Tools) and multi-agent
simulated trajectories (ToolAlpaca), with quality control that records why each item was dropped."""
