"""``python -m toolrag.cli``: the same commands as the ``toolrag`` script."""

from toolrag.cli import app

app()
