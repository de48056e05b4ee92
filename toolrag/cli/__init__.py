"""The ``toolrag`` command line: build indexes, retrieve tools, plan, evaluate, train.

One module per command group; each command parses its options, calls one library function and
renders the result (a table, or JSON with ``--json``). Importing this package registers every
command on :data:`app`, in the order ``--help`` lists them.
"""

# isort: skip_file
from toolrag.cli.common import app
from toolrag.cli import cmd_index  # noqa: F401  (importing a module registers its commands)
from toolrag.cli import cmd_retrieve  # noqa: F401
from toolrag.cli import cmd_train  # noqa: F401
from toolrag.cli import cmd_train_planner  # noqa: F401
from toolrag.cli import cmd_eval  # noqa: F401
from toolrag.cli import cmd_agent  # noqa: F401
from toolrag.cli import cmd_gateway  # noqa: F401
from toolrag.cli import cmd_quickstart  # noqa: F401
from toolrag.cli import cmd_datagen  # noqa: F401

__all__ = ["app"]
