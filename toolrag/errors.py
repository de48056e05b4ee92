"""The project's error base: what a user can fix, said in one line.

The command line turns a :class:`ToolragError` into ``error: <message>`` and exit status 2;
anything else is a bug and shows its traceback. Each subclass also derives from the built-in
error it refines, so ``except ValueError`` keeps working for library callers.
"""

from __future__ import annotations


class ToolragError(Exception):
    """An error in what the user gave (a file, an option, a model folder); the message says
    what is wrong and what to do."""


class ConfigError(ToolragError, ValueError):
    """An option, argument or configuration value that cannot work."""


class UnknownToolError(ToolragError, KeyError):
    """A tool name that is not in the index or toolset at hand."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class MissingPackageError(ToolragError, ImportError):
    """A packaged model whose PyPI packages are not installed; the message gives the install
    line."""


class InputTooLongError(ToolragError, ValueError):
    """A request larger than a model can read (a query and tools past the planner's context);
    the message gives the limit."""


class TextEncodingError(ToolragError, ValueError):
    """Text that cannot be written as UTF-8 (a lone UTF-16 surrogate, which JSON's ``\\ud800``
    escape or undecodable bytes on a command line give); the message says where."""
