"""`ftaudit ingest postgresql://...`: LiteLLM's LiteLLM_SpendLogs read from a real PostgreSQL 15 server
(started by tests/postgres_server.py), into a real DuckDB file, through the real CLI.

Expected numbers come from the rows the test writes: tokens and spend summed here with Decimal, never
read back from ftaudit. The second run must read only the rows added since the first.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest

from ftaudit.ingest.options import IngestOptions
from ftaudit.ingest.sources import postgres
from ftaudit.store.connection import open_store
from tests.conftest import Cli, query
from tests.postgres_server import PASSWORD, SPEND_LOGS_DDL, PostgresServer, binaries_missing

START = datetime(2026, 11, 2, 8, 0)  # naive UTC, as LiteLLM (Prisma) stores DateTime
CALL_COLUMNS = (
    "call_id, ts, provider, model, workload, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, "
    "reasoning_tokens, billed_cost_usd, latency_ms, status, prefix_hash, prefix_chars, variable_chars, hints"
)


@pytest.fixture(scope="module")
def server() -> Iterator[PostgresServer]:
    reason = binaries_missing()
    if reason:
        pytest.skip(reason)
    running = PostgresServer().start()
    yield running
    running.stop()


@dataclass
class SpendLogs:
    """A fresh database holding an empty LiteLLM_SpendLogs table."""

    server: PostgresServer
    database: str

    @property
    def url(self) -> str:
        return self.server.url(self.database)

    def admin(self) -> psycopg.Connection[Any]:
        return psycopg.connect(self.server.admin_conninfo(self.database), autocommit=True)

    def insert(self, rows: list[dict[str, Any]]) -> None:
        columns = list(rows[0])
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join(f"%({c})s" for c in columns)
        with self.admin() as conn, conn.cursor() as cursor:
            cursor.executemany(f'INSERT INTO "LiteLLM_SpendLogs" ({names}) VALUES ({marks})', rows)


@pytest.fixture(params=["TIMESTAMP(3)"])
def spend_logs(server: PostgresServer, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> SpendLogs:
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    database = "litellm_" + uuid.uuid4().hex[:10]
    with psycopg.connect(server.admin_conninfo(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {database}")
    logs = SpendLogs(server, database)
    with logs.admin() as conn:
        conn.execute(SPEND_LOGS_DDL.format(start_type=request.param))
    return logs


def spend_rows(first: int, count: int) -> list[dict[str, Any]]:
    """Calls `first`..: three share each start time (ties broken by request_id); even ones read 512
    cached tokens; every fifth has its messages (a system prompt: the prefix); 7 failed; 11 has no model."""
    rows = []
    for n in range(first, first + count):
        started = START + timedelta(minutes=n // 3)
        usage: dict[str, Any] = {"prompt_tokens": 1000 + n, "completion_tokens": 40 + n % 7}
        if n % 2 == 0:
            usage["prompt_tokens_details"] = {"cached_tokens": 512}
        messages = [{"role": "system", "content": "Label the ticket."}, {"role": "user", "content": f"ticket {n}"}]
        rows.append({
            "request_id": f"chatcmpl-{n:05d}",
            "call_type": "acompletion",
            "spend": float(spend_text(n)),
            "total_tokens": 1040 + n + n % 7,
            "prompt_tokens": 1000 + n,
            "completion_tokens": 40 + n % 7,
            "startTime": started,
            "endTime": started + timedelta(milliseconds=700 + n),
            "model": "" if n == 11 else "gpt-4o-mini-2024-07-18",
            "model_group": "" if n == 11 else "gpt-4o-mini",
            "custom_llm_provider": "openai",
            "metadata": json.dumps({"user_api_key_alias": "classifier", "usage_object": usage}),
            "request_tags": json.dumps(["feature:classify"]),
            "messages": json.dumps(messages if n % 5 == 0 else {}),
            "status": "failure" if n == 7 else "success",
        })
    return rows


def spend_text(n: int) -> str:
    return f"{(n * 1379) % 9973 + 1}e-8"


def expected(rows: list[dict[str, Any]]) -> tuple[int, int, int, int, Decimal]:
    """(calls, input tokens, cache read tokens, output tokens, spend) of the rows that are accepted."""
    good = [r for r in rows if r["model"] and r["status"] != "failure"]
    return (
        len(good),
        sum(r["prompt_tokens"] for r in good),
        sum(512 for r in good if int(r["request_id"][-5:]) % 2 == 0),
        sum(r["completion_tokens"] for r in good),
        sum((Decimal(spend_text(int(r["request_id"][-5:]))) for r in good), Decimal(0)),
    )


def stored_totals(db: Path) -> tuple[Any, ...]:
    return query(
        db,
        "select count(*), sum(input_tokens)::bigint, sum(cache_read_tokens)::bigint, sum(output_tokens)::bigint, "
        "sum(billed_cost_usd) from calls",
    )[0]


def test_totals_rejects_and_ledger(cli: Cli, db: Path, spend_logs: SpendLogs) -> None:
    rows = spend_rows(1, 40)
    spend_logs.insert(rows)
    summary = cli.json("ingest", spend_logs.url, "--db", db)
    (source,) = summary["files"]
    assert source["path"] == f"{spend_logs.url}?table=LiteLLM_SpendLogs"
    assert source["format"] == "litellm_spend_logs"
    assert (source["rows_read"], source["rows_accepted"], source["rows_rejected"], source["rows_duplicate"]) == (40, 38, 2, 0)
    assert summary["rejects_by_reason"] == {"api_error": 1, "missing_field": 1}
    assert stored_totals(db) == expected(rows)
    # the ledger: one row per batch, and the mark at the last row in (startTime, request_id) order
    assert query(db, "select sum(rows_read)::bigint, sum(rows_accepted)::bigint from ingested_files") == [(40, 38)]
    assert query(db, "select last_start_time, last_request_id, rows_read from source_marks") == [
        (str(START + timedelta(minutes=40 // 3)), "chatcmpl-00040", 40)
    ]
    # the call keeps LiteLLM's time (naive UTC) and the source names the URL, never a password
    (row,) = query(db, "select strftime(ts, '%Y-%m-%d %H:%M:%S%z'), source_file, latency_ms from calls "
                       "where call_id = 'litellm:chatcmpl-00003'")
    assert row == ("2026-11-02 08:01:00+00", source["path"], 703.0)


def test_the_same_calls_as_the_csv_export(cli: Cli, tmp_path: Path, spend_logs: SpendLogs) -> None:
    """The mapping is the LiteLLM CSV reader's: `\\copy "LiteLLM_SpendLogs" to 'x.csv' csv header` gives the same calls."""
    spend_logs.insert(spend_rows(1, 30))
    export = tmp_path / "spend.csv"
    with (
        spend_logs.admin() as conn,
        conn.cursor() as cursor,
        export.open("wb") as out,
        cursor.copy('COPY "LiteLLM_SpendLogs" TO STDOUT (FORMAT csv, HEADER)') as copy,
    ):
        for chunk in copy:
            out.write(chunk)
    from_db, from_csv = tmp_path / "db.duckdb", tmp_path / "csv.duckdb"
    cli.json("ingest", spend_logs.url, "--db", from_db)
    cli.json("ingest", export, "--db", from_csv)
    sql = f"select {CALL_COLUMNS} from calls order by call_id"
    assert query(from_db, sql) == query(from_csv, sql)
    assert len(query(from_db, sql)) == 28
    rejected = "select reason, raw_prefix like '%chatcmpl-00007%' from rejects order by reason"
    assert query(from_db, rejected) == query(from_csv, rejected)


def test_second_run_reads_only_new_rows(cli: Cli, db: Path, spend_logs: SpendLogs) -> None:
    first_rows = spend_rows(1, 25)
    spend_logs.insert(first_rows)
    assert cli.json("ingest", spend_logs.url, "--db", db)["rows_read"] == 25
    # call 26 starts at the same time as 24 and 25 (8:08): a tie the mark breaks by request_id
    new_rows = spend_rows(26, 12)
    spend_logs.insert(new_rows)
    second = cli.json("ingest", spend_logs.url, "--db", db)
    assert (second["rows_read"], second["rows_accepted"], second["rows_duplicate"]) == (12, 12, 0)
    assert stored_totals(db) == expected(first_rows + new_rows)
    assert cli.json("ingest", spend_logs.url, "--db", db)["rows_read"] == 0
    assert query(db, "select rows_read from source_marks") == [(37,)]


def test_batches_split_ties_and_store_each_row_once(db: Path, spend_logs: SpendLogs) -> None:
    rows = spend_rows(1, 40)  # batches of 7 end inside groups of calls that share a start time
    spend_logs.insert(rows)
    seen: list[int] = []
    with open_store(db) as store:
        result = postgres.ingest_postgres(store, spend_logs.url, IngestOptions(), batch_rows=7,
                                          after_batch=lambda so_far: seen.append(so_far.rows_read))
    assert seen == [7, 14, 21, 28, 35, 40]
    assert (result.rows_read, result.rows_accepted, result.rows_rejected, result.rows_duplicate) == (40, 38, 2, 0)
    assert stored_totals(db) == expected(rows)
    assert query(db, "select count(*) from ingested_files") == [(6,)]
    assert query(db, "select count(distinct call_id) from calls") == [(38,)]


def test_calls_still_in_flight_wait_for_the_next_run(
    cli: Cli, db: Path, spend_logs: SpendLogs, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = spend_rows(1, 5)
    recent = spend_rows(6, 1)[0] | {"startTime": datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=2)}
    recent["endTime"] = recent["startTime"] + timedelta(seconds=1)
    spend_logs.insert([*rows, recent])
    assert cli.json("ingest", spend_logs.url, "--db", db)["rows_read"] == 5  # started 2 minutes ago: not yet
    monkeypatch.setattr(postgres, "SETTLE_SECONDS", 60)
    assert cli.json("ingest", spend_logs.url, "--db", db)["rows_read"] == 1


@pytest.mark.parametrize("spend_logs", ["TIMESTAMPTZ"], indirect=True)
def test_a_timestamptz_start_time_reads_the_same(cli: Cli, db: Path, spend_logs: SpendLogs) -> None:
    rows = spend_rows(1, 20)
    for row in rows:
        row["startTime"], row["endTime"] = row["startTime"].replace(tzinfo=UTC), row["endTime"].replace(tzinfo=UTC)
    spend_logs.insert(rows)
    assert cli.json("ingest", spend_logs.url, "--db", db)["rows_read"] == 20
    spend_logs.insert(spend_rows(21, 4))
    assert cli.json("ingest", spend_logs.url, "--db", db)["rows_read"] == 4
    (first,) = query(db, "select strftime(min(ts), '%Y-%m-%d %H:%M:%S%z') from calls")
    assert first == ("2026-11-02 08:00:00+00",)
