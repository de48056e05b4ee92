"""One module per supported toolset format; each exposes ``detect`` and ``parse``."""
