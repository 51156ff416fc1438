"""The `ftaudit` command line: a thin adapter over the library (parse -> one library call -> render).

Commands live in the `*_cmds.py` modules of this package, each registering on `app`; they are found
and imported here. The only place that imports typer, prints, or picks an exit code: the library
raises `FtauditError`, `user_errors()` turns it into one `ftaudit: error:` line plus a hint.
stdout carries data (tables, JSON); progress and messages go to stderr.
Commands reach polars, the replay and the report through `ftaudit.X` (exported on first use) or an
import inside the command, so `ftaudit --help` and `ftaudit ingest` start without loading them.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer

from ftaudit.errors import ExitCode, FtauditError, UsageError
from ftaudit.store.connection import Store, default_db_path, open_store

app = typer.Typer(
    name="ftaudit",
    help="Would fine-tuning this LLM workload pay off, and on which date? "
    "Ingest your usage logs, then replay them under a fine-tuning scenario.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_DEBUG = os.environ.get("FTAUDIT_DEBUG") == "1"

# Shared options, declared once.
DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="DuckDB database file (default ./ftaudit.duckdb, or $FTAUDIT_DB).", show_default=False),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout instead of text.")]
CallsOption = Annotated[
    str | None,
    typer.Option("--calls", metavar="DIR_OR_GLOB", show_default=False,
                 help="Read the calls from a Parquet dataset (written by `ftaudit export --parquet DIR`, or a glob of "
                 "its calls files) instead of the database."),
]
WaitOption = Annotated[float, typer.Option("--wait", help="Seconds to wait for another ftaudit process holding the database.")]


def _print_version(value: bool) -> None:
    if value:
        from ftaudit import __version__

        typer.echo(f"ftaudit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    db: DbOption = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks instead of one-line errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.", is_eager=True, callback=_print_version)
    ] = False,
) -> None:
    global _DEBUG
    _DEBUG = _DEBUG or debug
    if db is not None:  # `ftaudit --db X cmd` works like `ftaudit cmd --db X`
        os.environ["FTAUDIT_DB"] = str(db)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn FtauditError into `ftaudit: error: ...` + hint on stderr and its exit code."""
    try:
        yield
    except FtauditError as exc:
        if _DEBUG:
            raise
        typer.echo(f"ftaudit: error: {exc.message}", err=True)
        if exc.hint:
            typer.echo(f"  hint: {exc.hint}", err=True)
        raise typer.Exit(int(exc.exit_code)) from None
    except KeyboardInterrupt:
        typer.echo("ftaudit: interrupted (the work in progress was rolled back; what finished before is kept)", err=True)
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:  # a bug of ours: still one line, the traceback only with --debug
        if _DEBUG:
            raise
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        typer.echo(f"ftaudit: internal error: {type(exc).__name__}: {first}", err=True)
        typer.echo("  hint: rerun with --debug for the traceback and report it (see SECURITY.md)", err=True)
        raise typer.Exit(int(ExitCode.ERROR)) from None


def open_for_reading(db: Path | None, calls: str | None) -> Store:
    """The store a read command reads: the Parquet dataset of --calls when given, else the database."""
    if calls is not None:
        from ftaudit.store.dataset import open_dataset

        return open_dataset(calls)
    return open_store(db or default_db_path(), read_only=True)


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, default=_default))


def parse_time(flag: str, text: str | None) -> datetime | None:
    """A flag's ISO date or time (None when not given); a time without a zone is UTC."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{flag} {text!r} is not an ISO date or time", hint=f"e.g. {flag} 2026-10-01T00:00:00Z") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def say(message: str) -> None:
    """A diagnostic line on stderr."""
    typer.echo(message, err=True)


class ProgressBar:
    """Files done / total and the running file's percentage on stderr, redrawn in place on a
    terminal (DuckDB's query progress, polled from a thread); silent when stderr is not a terminal."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.enabled = sys.stderr.isatty()
        self.done = self.total = 0
        self.current = ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> ProgressBar:
        if self.enabled:
            self.store.track_progress()
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self.enabled:
            self._thread.join()
            sys.stderr.write("\r" + " " * 100 + "\r")
            sys.stderr.flush()

    def __call__(self, done: int, total: int, current: str) -> None:
        self.done, self.total, self.current = done, total, current

    def _poll(self) -> None:
        while not self._stop.wait(0.2):
            if not self.total:
                continue
            percent = max(self.store.progress(), 0.0)
            width = 30
            filled = int(width * percent / 100)
            name = Path(self.current).name[:40]
            sys.stderr.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {percent:5.1f}%  file {self.done + 1}/{self.total} {name:<40}"
            )
            sys.stderr.flush()


def main() -> None:
    app()


def _register_commands() -> None:
    for module in pkgutil.iter_modules(__path__):
        if module.name.endswith("_cmds"):
            importlib.import_module(f"{__name__}.{module.name}")


_register_commands()
