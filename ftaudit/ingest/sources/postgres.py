"""Postgres source: LiteLLM's `LiteLLM_SpendLogs` table read where the proxy keeps it, incrementally.

Rows after the source's high-water mark (startTime, then request_id for ties) are copied out with
`COPY (...) TO STDOUT (FORMAT csv, HEADER)` in batches of `BATCH_ROWS`: each batch is streamed to a
private temporary CSV file (memory stays bounded whatever the table's size), then read by the LiteLLM
CSV reader, so a row maps exactly as in a `\\copy` export. A batch is stored in one DuckDB transaction
with its ledger row and the new mark: a connection lost mid-read leaves the batches before it stored
and nothing of the one being read, and the next run goes on from the mark.

Refuses a password inside the URL: libpq reads it from PGPASSWORD or ~/.pgpass, never from a command
line, and no message here prints one. psycopg is imported on first use (the `postgres` extra).
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from ftaudit.errors import FtauditError, UsageError
from ftaudit.ingest.containers import Container, stage
from ftaudit.ingest.csv_fast import csv_fast_path
from ftaudit.ingest.formats.registry import reader_named
from ftaudit.ingest.options import FileResult, IngestOptions
from ftaudit.ingest.paths import careful_path
from ftaudit.ingest.run import _params, record
from ftaudit.store import queries
from ftaudit.store.connection import Store

if TYPE_CHECKING:
    import psycopg

DEFAULT_TABLE = "LiteLLM_SpendLogs"
# The process peaks near 0.7 GB with batches of 25,000 rows (1.8 GB with 100,000) at the same speed:
# the careful path keeps a few copies of each row's text while it stages and checks the batch.
BATCH_ROWS = 25_000
# Calls that started this recently are left for the next run: LiteLLM writes spend logs in batches
# (and a long call is logged when it ends), so a row may land after a later-starting one was read.
SETTLE_SECONDS = 15 * 60
# What the LiteLLM reader reads (queries/ingest/formats/extract_litellm.sql); the rest of the row (the
# response, the proxy request) is left on the server unless --keep-text asks for the whole row.
_READ_COLUMNS = (
    "request_id", "call_type", "spend", "prompt_tokens", "completion_tokens", "startTime", "endTime",
    "request_duration_ms", "model", "model_group", "custom_llm_provider", "user", "end_user", "team_id",
    "session_id", "status", "metadata", "request_tags", "messages", "cache_read_input_tokens",
)
_MARK_COLUMNS = ("startTime", "request_id")
_PASSWORD_HINT = "ftaudit takes the password from PGPASSWORD or ~/.pgpass only"


def source_label(url: str, table: str) -> str:
    """How the source is named in the ledger, in `calls.source_file` and in messages: the URL (which
    holds no password, see `check_url`) and the table."""
    return f"{url}{'&' if '?' in url else '?'}table={table}"


def check_url(url: str) -> None:
    """Refuse a URL that carries a password (in the user part or as a `password=` parameter)."""
    parts = urlsplit(url)
    if parts.password is not None or "password" in parse_qs(parts.query):
        shown = re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", url.split("?", 1)[0])
        raise UsageError(
            f"the database URL has a password in it ({shown}); ftaudit never takes one on the command line",
            hint="remove it from the URL and put it in PGPASSWORD or ~/.pgpass",
        )


def ingest_postgres(
    store: Store,
    url: str,
    options: IngestOptions,
    *,
    batch_rows: int = BATCH_ROWS,
    after_batch: Callable[[FileResult], None] | None = None,
) -> FileResult:
    """Read the rows after the source's mark, batch by batch; the totals of every batch of this run.
    `after_batch` (progress) is called with the running totals after each stored batch."""
    check_url(url)
    if options.format or options.mapping:
        raise UsageError("--format and --map do not apply to a postgresql:// source (it is read as LiteLLM_SpendLogs)")
    table = options.table or DEFAULT_TABLE
    label = source_label(url, table)
    outcome = FileResult(path=label, format="litellm_spend_logs")
    with _connection(url, label) as conn, tempfile.TemporaryDirectory(prefix="ftaudit-pg-") as folder:
        columns = _columns(conn, table, label, keep_text=options.keep_text)
        while True:
            mark = store.rows("source_mark", source=label)
            after = (str(mark[0][0]), str(mark[0][1])) if mark else ("-infinity", "")
            batch = Path(folder) / "batch.csv"
            try:
                sha256, size = _copy_batch(conn, table, columns, after, batch_rows, batch)
            except _psycopg().OperationalError as exc:  # the connection broke (or the server ended it)
                raise FtauditError(
                    f"lost the connection to {label} while reading: {_first_line(exc)}",
                    hint=f"the batch being read was not stored ({outcome.rows_read:,} rows before it were); "
                    "run the command again to go on from there",
                ) from None
            except _psycopg().Error as exc:
                raise FtauditError(f"cannot read {label}: {_first_line(exc)}", hint="nothing of this batch was stored") from None
            read = _store_batch(store, batch, sha256, size, label, options, outcome)
            if after_batch and read:
                after_batch(outcome)
            if read < batch_rows:
                return outcome


def _store_batch(
    store: Store, batch: Path, sha256: str, size: int, label: str, options: IngestOptions, outcome: FileResult
) -> int:
    """One batch in one transaction: calls, rejects, its ledger row and the new mark. Its rows read."""
    started = datetime.now(UTC)
    container = Container("csv", "none")
    file_id = int(store.scalar("next_file_id"))
    params = {**_params(batch, container, options, file_id, started), "source_file": label, "ts_default": options.ts}
    reader = reader_named("litellm_spend_logs")
    fast = reader.fast if options.fast and not options.keep_text else None
    with store.transaction():
        if fast:  # the clean rows the fast way, the others carefully (ingest/csv_fast.py)
            counts, _ = csv_fast_path(store, reader, fast, batch, container, params)
        else:
            stage(store, batch, container)
            counts = careful_path(store, reader, params)
        rows_read, accepted, rejected, duplicate, buckets, superseded = counts
        if rows_read == 0:
            return 0
        record(store, params, sha256, size, outcome.format, counts, options, started)
        last_start_time, last_request_id = store.rows("source_batch_file_last_key" if fast else "source_batch_last_key",
                                                      **params)[0]
        store.run("upsert_source_mark", source=label, last_start_time=last_start_time, last_request_id=last_request_id,
                  rows_read=rows_read, now=started)
        for reason, n in store.rows("rejects_by_reason_for_file", file_id=file_id):
            outcome.rejects_by_reason[reason] = outcome.rejects_by_reason.get(reason, 0) + int(n)
    outcome.rows_read += rows_read
    outcome.rows_accepted += accepted
    outcome.rows_rejected += rejected
    outcome.rows_duplicate += duplicate
    outcome.bucket_rows += buckets
    outcome.rows_superseded += superseded
    return rows_read


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise FtauditError(
            "reading a postgresql:// source needs psycopg, which is not installed",
            hint="pip install 'ftaudit[postgres]'",
        ) from None
    return psycopg


@contextmanager
def _connection(url: str, label: str) -> Iterator[psycopg.Connection[Any]]:
    """A read-only, autocommit session in UTC (so a timestamptz prints as UTC), named `ftaudit`."""
    psycopg = _psycopg()
    try:
        conn = psycopg.connect(
            url, autocommit=True, application_name="ftaudit", connect_timeout=30,
            options="-c TimeZone=UTC -c default_transaction_read_only=on",
        )
    except psycopg.Error as exc:
        message = _first_line(exc)
        extra = f" ({_PASSWORD_HINT})" if "password" in message or "authentication" in message else ""
        raise FtauditError(f"cannot connect to {label}: {message}{extra}") from None
    try:
        yield conn
    finally:
        conn.close()


def _columns(conn: psycopg.Connection[Any], table: str, label: str, *, keep_text: bool) -> list[str]:
    """The table's columns to read: those the reader uses (every column with --keep-text)."""
    from psycopg import sql

    quoted = sql.Identifier(*table.split(".", 1)).as_string(conn)
    try:
        found = [str(row[0]) for row in conn.execute(_pg_query("pg_table_columns"), {"table": quoted}).fetchall()]
    except _psycopg().Error as exc:
        raise FtauditError(f"cannot read the columns of {label}: {_first_line(exc)}") from None
    if not found:
        raise FtauditError(f"{label}: no table or view {table} in that database",
                           hint=f"pass --table NAME (default {DEFAULT_TABLE}; schema.name for another schema)")
    missing = [c for c in _MARK_COLUMNS if c not in found]
    if missing:
        raise FtauditError(f"{label}: {table} has no column {', '.join(missing)}; is it a LiteLLM_SpendLogs table?",
                           hint="pass --table NAME to read another table")
    return found if keep_text else [c for c in found if c in _READ_COLUMNS]


def _copy_batch(
    conn: psycopg.Connection[Any], table: str, columns: list[str], after: tuple[str, str], batch_rows: int, into: Path
) -> tuple[str, int]:
    """COPY the next batch into `into` as it arrives; its sha256 and size."""
    from psycopg import sql

    statement = sql.SQL(_pg_query("pg_spend_logs_batch")).format(
        columns=sql.SQL(", ").join(sql.Identifier(c) for c in columns), table=sql.Identifier(*table.split(".", 1))
    )
    params = {"after_start_time": after[0], "after_request_id": after[1], "settle_seconds": SETTLE_SECONDS,
              "batch_rows": batch_rows}
    digest, size = hashlib.sha256(), 0
    with conn.cursor() as cursor, cursor.copy(statement, params) as copy, into.open("wb") as out:
        for chunk in copy:
            digest.update(chunk)
            size += out.write(chunk)
    return digest.hexdigest(), size


def _pg_query(name: str) -> str:
    """A PostgreSQL statement of queries/ingest/sources/ (our own file, never text from a user)."""
    return queries.sql(name)


def _first_line(exc: BaseException) -> str:
    """The server's own words for a libpq error: its primary message, or the FATAL line, without
    libpq's preamble or the statement's context."""
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None)
    if primary:
        return str(primary)
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    for line in lines:
        if "FATAL:" in line:
            return line.split("FATAL:", 1)[1].strip()
    return lines[0].removeprefix("connection failed: ") if lines else type(exc).__name__
