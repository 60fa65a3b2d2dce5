"""Errors that reach the clerk as one sentence, never as a traceback."""

from __future__ import annotations

EXIT_OK, EXIT_BLOCKED, EXIT_USAGE = 0, 1, 2


class UserError(Exception):
    """Bad arguments or input: printed as one sentence on stderr with a non-zero exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code
