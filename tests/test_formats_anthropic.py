"""Anthropic readers (log-formats.md §4) through the real CLI into a real DuckDB file.

Expected token totals are computed here from the fixtures with `json` and the documented rule
(prompt = input_tokens + cache_read_input_tokens + cache_creation_input_tokens), never read back
from the code under test. Each fixture's bad lines are listed by hand with the reason they must get.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.conftest import DATA, Cli, query, rejects
from tests.conftest import ingest_file as ingest

FORMATS = DATA / "formats"
WRAPPED = FORMATS / "anthropic_messages_wrapped.jsonl"
BARE = FORMATS / "anthropic_messages_bare.jsonl"
BATCH = FORMATS / "anthropic_batch_results.jsonl"
REPORT = FORMATS / "anthropic_usage_report.json"
REPORT_PAGES = FORMATS / "anthropic_usage_report_pages.jsonl"

TOKENS = ("input_tokens", "cache_read_tokens", "cache_write_tokens", "cache_write_1h_tokens", "output_tokens", "reasoning_tokens")

WRAPPED_REJECTS = [
    (4, "malformed_json"),
    (5, "api_error"),
    (7, "bad_timestamp"),
    (9, "negative_tokens"),
    (10, "missing_field"),
    (11, "malformed_json"),
]
WRAPPED_DUPLICATES = frozenset({8})


# -- helpers -----------------------------------------------------------------------------------


def stored_totals(db: Path) -> dict[str, int]:
    row = query(db, f"select {', '.join(f'sum({c})::bigint' for c in TOKENS)} from calls")[0]
    return dict(zip(TOKENS, row, strict=True))


def stored_call(db: Path, call_id: str) -> dict[str, Any]:
    columns = ("ts", "model", "is_batch", "service_tier", *TOKENS)
    rows = query(db, f"select {', '.join(columns)} from calls where call_id = ?", call_id)
    assert len(rows) == 1, f"{call_id}: {len(rows)} rows"
    return dict(zip(columns, rows[0], strict=True))


def lines(path: Path) -> dict[int, Any]:
    """Line number -> parsed JSON object, for the lines that parse."""
    out: dict[int, Any] = {}
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            out[number] = json.loads(text)
        except ValueError:
            continue
    return out


def message_tokens(usage: dict[str, Any]) -> dict[str, int]:
    """log-formats.md §4: cache reads and writes are NOT in input_tokens; writes = 5m + 1h."""
    split = usage.get("cache_creation") or {}
    write_1h = split.get("ephemeral_1h_input_tokens") or 0
    write = usage.get("cache_creation_input_tokens")
    if write is None:
        write = (split.get("ephemeral_5m_input_tokens") or 0) + write_1h
    read = usage.get("cache_read_input_tokens") or 0
    return {
        "input_tokens": usage["input_tokens"] + read + write,
        "cache_read_tokens": read,
        "cache_write_tokens": write,
        "cache_write_1h_tokens": write_1h,
        "output_tokens": usage["output_tokens"],
        "reasoning_tokens": (usage.get("output_tokens_details") or {}).get("thinking_tokens") or 0,
    }


def summed(rows: list[dict[str, int]]) -> dict[str, int]:
    return {c: sum(r[c] for r in rows) for c in TOKENS}


def accepted_lines(path: Path, rejected: list[tuple[int, str]], duplicates: frozenset[int] = frozenset()) -> dict[int, Any]:
    """The parsed lines that are neither rejected nor duplicates: the calls that must be stored."""
    bad = {line for line, _ in rejected} | duplicates
    return {n: record for n, record in lines(path).items() if n not in bad}


# -- Messages in {request, response, ts} wrappers -------------------------------------------------
def test_wrapped_messages_every_line_is_accounted_for(cli: Cli, db: Path) -> None:
    file = ingest(cli, db, WRAPPED)
    assert file["format"] == "anthropic_messages"
    assert (file["rows_read"], file["rows_accepted"], file["rows_rejected"], file["rows_duplicate"]) == (11, 4, 6, 1)
    assert rejects(cli, db) == WRAPPED_REJECTS


def test_wrapped_token_totals_follow_the_documented_rule(cli: Cli, db: Path) -> None:
    ingest(cli, db, WRAPPED)
    good = accepted_lines(WRAPPED, WRAPPED_REJECTS, WRAPPED_DUPLICATES)
    assert stored_totals(db) == summed([message_tokens(r["response"]["usage"]) for r in good.values()])


def test_cache_reads_and_writes_are_added_to_input(cli: Cli, db: Path) -> None:
    ingest(cli, db, WRAPPED)
    read = stored_call(db, "msg_01XFDUDYJgAACzvnptvVoYEL")  # input 100 + cache read 2,000
    assert (read["input_tokens"], read["cache_read_tokens"], read["output_tokens"]) == (2100, 2000, 300)
    written = stored_call(db, "msg_01Hq7x2bTqkW9gYvRkN5aLpE")  # input 50 + writes 500 (5m) + 1,000 (1h)
    assert (written["input_tokens"], written["cache_write_tokens"], written["cache_write_1h_tokens"]) == (1550, 1500, 1000)
    assert (written["output_tokens"], written["reasoning_tokens"], written["service_tier"]) == (640, 400, "priority")
    split_only = stored_call(db, "msg_01Kd9fWm3nRtY6uPzQ8vXcAb")  # cache_creation_input_tokens null, 5m = 200
    assert (split_only["input_tokens"], split_only["cache_write_tokens"]) == (20 + 3000 + 200, 200)
    older = stored_call(db, "msg_01Bx3c8YvM2pQeT5sUwZ7dJk")  # no cache fields at all
    assert (older["input_tokens"], older["cache_read_tokens"], older["cache_write_tokens"]) == (812, 0, 0)


def test_wrapper_ts_is_iso_or_epoch_seconds(cli: Cli, db: Path) -> None:
    ingest(cli, db, WRAPPED)
    assert stored_call(db, "msg_01XFDUDYJgAACzvnptvVoYEL")["ts"] == datetime(2025, 8, 1, 9, 15, 2, tzinfo=UTC)
    assert stored_call(db, "msg_01Hq7x2bTqkW9gYvRkN5aLpE")["ts"] == datetime.fromtimestamp(1754040000, UTC)
    assert stored_call(db, "msg_01Bx3c8YvM2pQeT5sUwZ7dJk")["ts"] == datetime.fromtimestamp(1754041000.5, UTC)
    assert stored_call(db, "msg_01Kd9fWm3nRtY6uPzQ8vXcAb")["ts"] == datetime(2025, 8, 1, 7, 31, 45, tzinfo=UTC)


def test_wrapper_system_prompt_names_the_workload(cli: Cli, db: Path) -> None:
    ingest(cli, db, WRAPPED)
    rows = dict(query(db, "select call_id, workload from calls"))
    # lines 1 and 6 share a system prompt (a string); line 3 has none and falls back to its model
    assert rows["msg_01XFDUDYJgAACzvnptvVoYEL"] == rows["msg_01Kd9fWm3nRtY6uPzQ8vXcAb"]
    assert rows["msg_01XFDUDYJgAACzvnptvVoYEL"].startswith("prefix-")
    assert rows["msg_01Bx3c8YvM2pQeT5sUwZ7dJk"] == "claude-3-5-haiku-20241022"
    (hints,) = query(db, "select hints from calls where call_id = ?", "msg_01XFDUDYJgAACzvnptvVoYEL")[0]
    assert json.loads(hints) == {"user_id": "u-42"}


def test_ts_field_is_preferred_to_the_wrapper_ts(cli: Cli, db: Path, tmp_path: Path) -> None:
    """The user named the field that holds the call time: it wins over the wrapper's `ts` (a logger's
    write time, say); records without that field keep their `ts`."""
    message = json.loads(WRAPPED.read_text(encoding="utf-8").splitlines()[0])["response"]
    log = tmp_path / "anthropic_two_times.jsonl"
    log.write_text(
        json.dumps({"ts": "2025-08-01T10:00:00Z", "sent_at": "2025-08-01T09:59:58Z", "response": message})
        + "\n"
        + json.dumps({"ts": 1754042400, "response": {**message, "id": "msg_01OnlyTheWrapperTs0001"}})
        + "\n"
    )
    file = ingest(cli, db, log, "--ts-field", "sent_at")
    assert file["rows_accepted"] == 2
    assert stored_call(db, "msg_01XFDUDYJgAACzvnptvVoYEL")["ts"] == datetime(2025, 8, 1, 9, 59, 58, tzinfo=UTC)
    assert stored_call(db, "msg_01OnlyTheWrapperTs0001")["ts"] == datetime.fromtimestamp(1754042400, UTC)


# -- bare Messages: no time unless --ts-field -----------------------------------------------------
def test_bare_messages_without_a_time_are_bad_timestamp(cli: Cli, db: Path) -> None:
    file = ingest(cli, db, BARE)
    assert (file["format"], file["rows_read"], file["rows_accepted"]) == ("anthropic_messages", 4, 0)
    assert rejects(cli, db) == [(1, "bad_timestamp"), (2, "bad_timestamp"), (3, "bad_timestamp"), (4, "malformed_json")]


def test_ts_field_gives_bare_messages_their_time(cli: Cli, db: Path) -> None:
    file = ingest(cli, db, BARE, "--ts-field", "logged_at")
    assert (file["rows_read"], file["rows_accepted"], file["rows_rejected"]) == (4, 2, 2)
    expected_rejects = [(3, "bad_timestamp"), (4, "malformed_json")]  # line 3 has no logged_at
    assert rejects(cli, db) == expected_rejects
    good = accepted_lines(BARE, expected_rejects)
    assert stored_totals(db) == summed([message_tokens(r["usage"]) for r in good.values()])
    assert stored_call(db, "msg_013Zva2CMHLNnXjNJJKqJ2EF")["ts"] == datetime(2025, 8, 4, 16, 2, 11, 250000, tzinfo=UTC)
    assert stored_call(db, "msg_01PqRsTuVwXyZa1b2c3d4e5f")["ts"] == datetime.fromtimestamp(1754323400, UTC)


# -- Message Batches results ----------------------------------------------------------------------
BATCH_FAILED = [(2, "api_error"), (4, "api_error"), (5, "api_error"), (7, "malformed_json")]


def test_batch_results_have_no_time_of_their_own(cli: Cli, db: Path) -> None:
    """One error for the file, naming --ts (issue 12 variant 2), instead of a bad_timestamp per line."""
    result = cli("ingest", BATCH, "--db", db)
    assert result.exit_code == 1
    assert "3 Anthropic Message Batches result(s) carry no time" in result.stderr and "--ts TIMESTAMP" in result.stderr
    assert query(db, "select count(*) from ingested_files") == [(0,)]


def test_batch_results_are_flagged_and_failed_results_are_api_errors(cli: Cli, db: Path) -> None:
    file = ingest(cli, db, BATCH, "--ts-field", "batch_ended_at")
    assert (file["rows_read"], file["rows_accepted"], file["rows_rejected"]) == (7, 3, 4)
    assert rejects(cli, db) == BATCH_FAILED
    good = accepted_lines(BATCH, BATCH_FAILED)
    assert stored_totals(db) == summed([message_tokens(r["result"]["message"]["usage"]) for r in good.values()])
    assert query(db, "select count(*), count(*) filter (where is_batch) from calls") == [(3, 3)]
    assert stored_call(db, "msg_01BatchCccccccccccccccc03")["cache_write_1h_tokens"] == 2200
    (hints,) = query(db, "select hints from calls where call_id = ?", "msg_01BatchAaaaaaaaaaaaaaa01")[0]
    assert json.loads(hints) == {"custom_id": "ticket-1001"}


# -- Admin usage report buckets -------------------------------------------------------------------
def report_rows(buckets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One expected row per bucket result: uncached + cache read + 5m + 1h writes is the prompt."""
    rows = []
    for bucket in buckets:
        for result in bucket.get("results", []):
            write_5m = result["cache_creation"]["ephemeral_5m_input_tokens"]
            write_1h = result["cache_creation"]["ephemeral_1h_input_tokens"]
            read = result["cache_read_input_tokens"]
            rows.append(
                {
                    "ts": datetime.fromisoformat(bucket["starting_at"]),
                    "service_tier": result.get("service_tier"),
                    "input_tokens": result["uncached_input_tokens"] + read + write_5m + write_1h,
                    "cache_read_tokens": read,
                    "cache_write_tokens": write_5m + write_1h,
                    "cache_write_1h_tokens": write_1h,
                    "output_tokens": result["output_tokens"],
                    "reasoning_tokens": 0,
                }
            )
    return rows


def test_usage_report_results_become_bucket_rows(cli: Cli, db: Path) -> None:
    file = ingest(cli, db, REPORT)
    expected = report_rows(json.loads(REPORT.read_text())["data"])
    assert file["format"] == "anthropic_usage_report"
    assert (file["rows_read"], file["rows_accepted"], file["bucket_rows"]) == (len(expected), 4, 4)
    assert stored_totals(db) == summed(expected)
    assert query(db, "select count(*) from calls where is_bucket and request_count is null") == [(4,)]
    assert sorted(query(db, "select ts, service_tier, is_batch, output_tokens from calls")) == sorted(
        (r["ts"], r["service_tier"], r["service_tier"] == "batch", r["output_tokens"]) for r in expected
    )


def test_usage_report_hints_name_workspace_and_key(cli: Cli, db: Path) -> None:
    ingest(cli, db, REPORT)
    hints = {json.loads(h).get("workspace_id") for (h,) in query(db, "select hints from calls")}
    assert hints == {"wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ", None}
    (row,) = query(db, "select json_extract_string(hints, '$.api_key_id') from calls where output_tokens = 12000")
    assert row == ("apikey_01Rj2N8SVvo6BePZj99NhmiT",)


def test_usage_report_reexported_with_other_bytes_is_all_duplicates(cli: Cli, db: Path, tmp_path: Path) -> None:
    again = tmp_path / "usage_report_compact.json"
    again.write_text(json.dumps(json.loads(REPORT.read_text()), separators=(",", ":")))
    ingest(cli, db, REPORT)
    file = ingest(cli, db, again)
    assert (file["rows_read"], file["rows_accepted"], file["rows_duplicate"], file["already_ingested"]) == (4, 0, 4, False)


def test_usage_report_pages_with_bad_lines(cli: Cli, db: Path) -> None:
    file = ingest(cli, db, REPORT_PAGES)
    assert file["format"] == "anthropic_usage_report"
    # line 1: 3 results (one with output_tokens "n/a"); 2: not JSON; 3: a bucket without results + 1 result;
    # 4: a page cut off
    assert (file["rows_read"], file["rows_accepted"], file["rows_rejected"], file["bucket_rows"]) == (7, 3, 4, 3)
    assert rejects(cli, db) == [(1, "bad_type"), (2, "malformed_json"), (3, "missing_field"), (4, "malformed_json")]
    pages = lines(REPORT_PAGES)
    buckets = [b for page in pages.values() for b in page["data"]]
    good = [r for r in report_rows(buckets) if isinstance(r["output_tokens"], int)]
    assert stored_totals(db) == summed(good)


def test_usage_report_not_grouped_by_model_needs_model_flag(cli: Cli, db: Path, tmp_path: Path) -> None:
    bucket = json.loads(REPORT.read_text())["data"][0]
    ungrouped = {**bucket, "results": [{**bucket["results"][0], "model": None}]}
    report = tmp_path / "usage_report_ungrouped.json"
    report.write_text(json.dumps({"data": [ungrouped], "has_more": False, "next_page": None}))
    assert ingest(cli, db, report)["rows_rejected"] == 1
    assert rejects(cli, db) == [(1, "missing_field")]
    other_db = tmp_path / "other.duckdb"
    assert ingest(cli, other_db, report, "--model", "claude-sonnet-4-20250514")["rows_accepted"] == 1
    assert query(other_db, "select model, input_tokens from calls") == [("claude-sonnet-4-20250514", 1500 + 200 + 500 + 1000)]
