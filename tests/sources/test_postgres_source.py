"""`ftaudit ingest postgresql://...`: LiteLLM's LiteLLM_SpendLogs read from a real PostgreSQL 15 server
(started by tests/sources/postgres_server.py), into a real DuckDB file, through the real CLI.

Expected numbers come from the rows the test writes: tokens and spend summed here with Decimal, never
read back from ftaudit. The second run must read only the rows added since the first.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ftaudit.ingest.options import IngestOptions
from ftaudit.ingest.sources import postgres
from ftaudit.store.connection import open_store
from tests.conftest import Cli, query
from tests.sources.conftest import START, SpendLogs, expected, spend_rows, stored_totals

CALL_COLUMNS = (
    "call_id, ts, provider, model, workload, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, "
    "reasoning_tokens, billed_cost_usd, latency_ms, status, prefix_hash, prefix_chars, variable_chars, hints"
)


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
