"""toolrag: retrieval-augmented tool selection. Shared types live in :mod:`toolrag.types`."""

__version__ = "0.1.0"
