"""Errors a user can act on. Raised by the library, translated once in the CLI.

Every error carries a one-line message (naming the file, line and problem where there is one) and a
hint naming the flag or file that fixes it. Nothing here prints or exits.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    """The one table of exit codes (README "Exit codes and errors" and SECURITY.md list the same)."""

    OK = 0
    ERROR = 1  # an error: input, configuration, database, disk
    USAGE = 2  # flags or arguments that are wrong (unknown reason, --db :memory:, ...)
    REJECTS_OVER_LIMIT = 3  # the work was stored, but more records were rejected than --max-rejects
    NO_DATA = 4  # nothing to work on: no log file in a folder, a source matching nothing, a month with no calls
    INTERRUPTED = 130  # Ctrl-C (SIGINT): the file in progress was rolled back


class FtauditError(Exception):
    """A problem in the user's input, configuration or environment (never a bug of ours)."""

    exit_code = ExitCode.ERROR
    result: Any = None  # what was done before the error, when some work was stored (the CLI prints it)

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class InputFileError(FtauditError):
    """A log file cannot be read at all (missing, unreadable, unknown format, broken container)."""


class RefusedFileError(InputFileError):
    """A log file read but refused as a whole, with one reason for all its records (e.g. usage buckets
    without a model, batch results without a time); the other files of the run are still ingested."""

    result: Any = None  # the IngestResult of the other files, so the CLI can still print the summary


class UsageError(FtauditError):
    """Flags or options that contradict each other or name something that does not exist."""

    exit_code = ExitCode.USAGE


class NoDataError(FtauditError):
    """Nothing to work on where something was expected: silence that must page someone."""

    exit_code = ExitCode.NO_DATA


class StoreLockedError(FtauditError):
    """Another ftaudit process holds the database."""


class ConfigError(FtauditError):
    """A price, scenario or audit configuration file is invalid; the message names the key."""


class UnpricedModelsError(FtauditError):
    """Logged models with no price anywhere: we refuse to price them at $0."""


class TooManyRejectsError(FtauditError):
    """Ingestion finished (and stored its work) but rejected more records than --max-rejects allows."""

    exit_code = ExitCode.REJECTS_OVER_LIMIT
