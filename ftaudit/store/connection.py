"""The DuckDB store: open and migrate the database file, run named queries, return polars frames.

The only module that imports duckdb. It knows nothing about log formats or prices: callers name a
query from `queries/` and bind its `$parameters`; values are never formatted into SQL text.
"""

from __future__ import annotations

import functools
import json
import os
import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from ftaudit.errors import FtauditError, StoreLockedError
from ftaudit.store import database_file, queries, schema

if TYPE_CHECKING:
    import polars as pl

DEFAULT_DB = "ftaudit.duckdb"
DB_ENV = "FTAUDIT_DB"

# insert_from_stage: what a fast stage query fills, and what an insert over its select reads instead
_STAGED_TABLE = "create or replace temp table fast_staged as"
_STAGED_SELECT = "from staged_select "

_LOCK_HINT = "wait for the other ftaudit command to finish, or pass --wait SECONDS to queue behind it"


@functools.cache
def _param_names(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", text))


def _bound(text: str, params: dict[str, Any]) -> dict[str, Any] | None:
    """The parameters the query text references (DuckDB refuses others), None for none."""
    return {k: v for k, v in params.items() if k in _param_names(text)} or None


def default_memory_limit() -> str:
    """Half the machine's memory: room for polars and the OS beside DuckDB."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return "4096MB"
    return f"{max(total // 2 // 2**20, 256)}MB"


def default_db_path() -> Path:
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


@contextmanager
def interruptible() -> Iterator[None]:
    """Ctrl-C during a query is a KeyboardInterrupt, never a query error: DuckDB stops the query and
    raises `RuntimeError('Query interrupted')` (2.0) or InterruptException, which callers that catch
    `Exception` to read a file another way (fast-path fallback, sniffing) would otherwise swallow."""
    try:
        yield
    except duckdb.InterruptException as exc:
        raise KeyboardInterrupt from exc
    except RuntimeError as exc:
        if "interrupted" in str(exc).lower():
            raise KeyboardInterrupt from exc
        raise


# DuckDB's memory in the fast paths and the careful runs of a JSONL file's lines when no --memory-limit was
# given (ingest/paths.py, csv_fast.py): past it DuckDB spills instead of keeping the pages it wrote. 10M bare
# chat completions peaked at 5.8 GB RSS under half the RAM, 1.7 GB under this (benchmarks/ingest.py --family
# responses); 1M gateway pairs read carefully (in runs) 7.0 GB in 93 s, 1.65 GB in 103 s under this. Issue 12.
# Not for a JSON document read whole (containers.stage): it needs twice its size at once.
INGEST_MEMORY_MB = 1536


class Store:
    """An open ftaudit database. Use `open_store()`; close it (or use `with`) when done."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, *, memory_limit_given: bool = False) -> None:
        self.con = con
        self.path = path
        self.memory_limit_given = memory_limit_given
        self._holder_file: Path | None = None
        self._bounded = False  # inside ingest_memory
        self._after_rollback: list[tuple[str, tuple[Any, ...]]] = []  # settings an aborted transaction skipped

    @contextmanager
    def ingest_memory(self) -> Iterator[None]:
        """Within the block DuckDB keeps to INGEST_MEMORY_MB (or less: the default limit), unless the user
        chose a limit: then theirs holds everywhere. A block inside another keeps the outer one's limit."""
        default = default_memory_limit()
        if self._bounded or self.memory_limit_given or int(default.removesuffix("MB")) <= INGEST_MEMORY_MB:
            yield
            return
        self.setting("set memory_limit = ?", f"{INGEST_MEMORY_MB}MB")
        self._bounded = True
        try:
            yield
        finally:
            self._bounded = False
            self.setting("set memory_limit = ?", default)

    def setting(self, statement: str, *values: Any) -> None:
        """A `set` / `reset` statement of ours, its values bound. A Ctrl-C during it is a KeyboardInterrupt.
        In a transaction that an error or a Ctrl-C aborted, no statement runs: the setting waits for the
        caller's rollback, which runs it, so that the error on its way through a `finally` (a
        KeyboardInterrupt, say) is the one the caller sees, not "transaction aborted" (the fast path's
        fallback caught that one, and a Ctrl-C was lost). Settings outlive a rollback (DuckDB's variables
        and options are not transactional): a reset skipped for good left the head sample's prefix_md5
        giving back texts, stored as prefix hashes by the next stage, and the memory limit bounded."""
        try:
            with interruptible():
                self.con.execute(statement, list(values) or None)
        except duckdb.TransactionException:
            self._after_rollback.append((statement, values))

    # -- queries --------------------------------------------------------------------------
    def execute(self, name: str, **params: Any) -> duckdb.DuckDBPyConnection:
        """Run the named query; only the parameters its text references are bound."""
        text = queries.sql(name)
        with interruptible():
            return self.con.execute(text, _bound(text, params))

    def frame(self, name: str, **params: Any) -> pl.DataFrame:
        """Run the named query and return its result as a polars frame (DuckDB imports polars then)."""
        text = queries.sql(name)
        with interruptible():
            frame: pl.DataFrame = self.con.sql(text, params=_bound(text, params)).pl()
        return frame

    def rows(self, name: str, **params: Any) -> list[tuple[Any, ...]]:
        with interruptible():
            return self.execute(name, **params).fetchall()

    def run(self, name: str, **params: Any) -> None:
        self.execute(name, **params)

    def scalar(self, name: str, **params: Any) -> Any:
        rows = self.rows(name, **params)
        return rows[0][0] if rows else None

    def create_temp_table(self, table: str, name: str, **params: Any) -> None:
        """`create or replace temp table <table> as <query name>` (table names are ours, never a user's)."""
        text = queries.sql(name)
        with interruptible():
            self.con.execute(f"create or replace temp table {table} as {text}", _bound(text, params))

    def insert_from_stage(self, name: str, stage: str, **params: Any) -> int:
        """Run the insert query `name` over the select of the fast stage query `stage` (a `create or replace
        temp table fast_staged as <select>` file), which it reads as `staged_select`: the stage's rows go
        into the insert without the temp table. Both texts are our query files; values are bound. The count
        of rows inserted."""
        _, found, select = queries.sql(stage).partition(_STAGED_TABLE)
        insert = queries.sql(name)
        if not found or _STAGED_TABLE in select or insert.count(_STAGED_SELECT) != 1:
            raise ValueError(f"{stage} is not a fast stage of fast_staged, or {name} does not read staged_select once")
        text = insert.replace(_STAGED_SELECT, f"from ({select}) ")
        with interruptible():
            return int(self.con.execute(text, _bound(text, params)).fetchall()[0][0])

    def track_progress(self) -> None:
        """Let `progress()` report the running query's percentage (nothing is printed by DuckDB)."""
        self.con.execute("set enable_progress_bar = true")
        self.con.execute("set enable_progress_bar_print = false")

    def progress(self) -> float:
        """Percent done of the query running on this store's connection (-1 when none); thread-safe."""
        return float(self.con.query_progress())

    def begin(self) -> None:
        self.con.execute("begin transaction")

    def commit(self) -> None:
        self.con.execute("commit")

    def rollback(self) -> None:
        """Undo the open transaction; none left open (DuckDB already aborted it, e.g. on a full disk)
        is not an error: the error that aborted it is the one to report."""
        try:
            self.con.execute("rollback")
        except duckdb.TransactionException as exc:
            if "no transaction is active" not in str(exc):
                raise
        pending, self._after_rollback = self._after_rollback, []
        for statement, values in pending:  # the settings the aborted transaction skipped (see setting)
            self.setting(statement, *values)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: an exception inside leaves the database as it was."""
        self.con.execute("begin transaction")
        try:
            yield
        except BaseException:
            self.rollback()
            raise
        self.con.execute("commit")

    def close(self) -> None:
        self.con.close()
        if self._holder_file is not None:
            self._holder_file.unlink(missing_ok=True)
            self._holder_file = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(
    path: str | Path | None = None,
    *,
    read_only: bool = False,
    wait_seconds: float = 0.0,
    memory_limit: str | None = None,
    purpose: str = "ftaudit",
    create: bool = True,
) -> Store:
    """Open (creating and migrating if needed, unless `create` is False) the database at `path` (default
    ./ftaudit.duckdb); `read_only` and `create=False` raise "no database" when there is none."""
    db_path = Path(path) if path is not None else default_db_path()
    database_file.check_target(db_path)
    # Past the limit DuckDB spills to <db>.tmp/ beside the database instead of failing.
    config: dict[str, str | bool | int | float | list[str]] = {"memory_limit": memory_limit or default_memory_limit()}
    if (read_only or not create) and (not db_path.exists() or database_file.is_shell(db_path)):
        raise FtauditError(f"no database at {db_path}", hint="run `ftaudit ingest PATH` first, or pass --db PATH")
    if not read_only and (database_file.remove_shell(db_path) or not db_path.exists()):
        database_file.create(db_path, config)
    con = _connect(db_path, read_only, wait_seconds, config)
    store = Store(con, db_path, memory_limit_given=memory_limit is not None)
    try:
        if not read_only:
            store._holder_file = _holder_path(db_path)
            store._holder_file.write_text(json.dumps({"pid": os.getpid(), "purpose": purpose, "since": time.time()}))
        con.execute("set TimeZone = 'UTC'")
        con.execute("set enable_progress_bar = false")  # DuckDB's bar writes to stdout, which carries data only
        create_macros(con)
        if not read_only:
            schema.migrate(con)
        elif schema.FIRST not in schema.applied(con):
            raise FtauditError(
                f"database {db_path} was never set up (a run was stopped before its first commit): it holds no calls",
                hint=f"run `ftaudit ingest PATH --db {db_path}` to set it up, or delete it",
            )
    except BaseException:
        store.close()
        raise
    return store


def create_macros(con: duckdb.DuckDBPyConnection) -> None:
    """The temp macros every query may use: queries/store/macros.sql, then every `macros_*.sql` (a
    format's fast-path columns beside its queries), in name order."""
    for name in queries.names("macros"):
        con.execute(queries.sql(name))


def open_memory_store(label: Path, *, memory_limit: str | None = None) -> Store:
    """A migrated, empty in-memory database (`label` stands for its path in messages and report names):
    the base of a store over a Parquet dataset (ftaudit/store/dataset.py). Past its memory limit it spills
    to the system's temp folder (DuckDB's default for an in-memory database is ./.tmp, beside the user's files)."""
    spill = Path(tempfile.gettempdir()) / f"ftaudit-{os.getpid()}.tmp"
    config: dict[str, str | bool | int | float | list[str]] = {"memory_limit": memory_limit or default_memory_limit(),
                                                               "temp_directory": str(spill)}
    con = duckdb.connect(":memory:", config=config)
    con.execute("set TimeZone = 'UTC'")
    con.execute("set enable_progress_bar = false")
    create_macros(con)
    schema.migrate(con)
    return Store(con, label, memory_limit_given=memory_limit is not None)


def _connect(
    path: Path, read_only: bool, wait_seconds: float, config: dict[str, str | bool | int | float | list[str]]
) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + max(wait_seconds, 0.0)
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config)
        except duckdb.IOException as exc:
            text = str(exc)
            if "lock" not in text.lower():
                raise _open_error(path, exc) from exc
            if time.monotonic() >= deadline:
                raise StoreLockedError(f"database {path} is in use by {_holder_of(path, text)}", hint=_LOCK_HINT) from exc
            time.sleep(0.2)
        except duckdb.Error as exc:
            raise _open_error(path, exc) from exc


def _open_error(path: Path, exc: duckdb.Error) -> FtauditError:
    hint = database_file.space_hint(exc) or "check that --db names an ftaudit database file (or a new path)"
    return FtauditError(f"cannot open database {path}: {database_file.first_line(exc)}", hint=hint)


def _holder_path(db_path: Path) -> Path:
    return db_path.parent / f".{db_path.name}.holder.json"


def _holder_of(db_path: Path, duckdb_message: str) -> str:
    """'`ftaudit ingest` (process 123)' from the holder file the writer left, else what DuckDB says."""
    pid_match = re.search(r"PID (\d+)", duckdb_message)
    pid = pid_match.group(1) if pid_match else None
    try:
        holder = json.loads(_holder_path(db_path).read_text())
    except (OSError, ValueError):
        holder = {}
    if holder.get("purpose") and (pid is None or str(holder.get("pid")) == pid):
        return f"`ftaudit {holder['purpose']}` (process {holder.get('pid')})"
    return f"another process{f' (process {pid})' if pid else ''}"
