"""The one root of every error a clerk may be told; anything else is a bug (see ``buglog``)."""

from __future__ import annotations

EXIT_OK, EXIT_BLOCKED, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


class DeskError(Exception):
    """Something the clerk is told as one Chinese sentence (``str(exc)``), never a traceback.

    The command line prints it on stderr and exits with ``code``; the desk shows it in a
    message or status line. Subclass it for every new kind of such error.
    """

    def __init__(self, message: str = "", code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


class UserError(DeskError):
    """Bad arguments or input on the command line."""
