"""Gemini API / Vertex AI reader (log-formats.md §5) through the real CLI into a real DuckDB file.

Expected totals come from the fixtures parsed here with `json` and the documented rule: cached tokens
are a subset of promptTokenCount, tool-use prompt tokens are input outside it, billed output is
candidates + thoughts, and a count that is zero may be omitted (proto3) or null (SDK dumps).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.conftest import DATA, Cli, query, rejects
from tests.conftest import ingest_file as ingest

FORMATS = DATA / "formats"
VERTEX = FORMATS / "gemini_vertex.jsonl"
API_LOGGED = FORMATS / "gemini_api_logged.jsonl"
SDK_SNAKE = FORMATS / "gemini_sdk_snake_case.json"

TOKENS = ("input_tokens", "cache_read_tokens", "cache_write_tokens", "output_tokens", "reasoning_tokens")

VERTEX_REJECTS = [(3, "malformed_json"), (5, "bad_timestamp"), (6, "missing_field"), (7, "malformed_json")]
API_REJECTS = [(3, "api_error"), (4, "bad_timestamp"), (5, "bad_timestamp"), (6, "malformed_json"), (7, "malformed_json")]


# -- helpers -----------------------------------------------------------------------------------


def stored_totals(db: Path) -> dict[str, int]:
    row = query(db, f"select {', '.join(f'sum({c})::bigint' for c in TOKENS)} from calls")[0]
    return dict(zip(TOKENS, row, strict=True))


def stored_call(db: Path, call_id: str) -> dict[str, Any]:
    columns = ("ts", "model", "service_tier", "workload", *TOKENS)
    rows = query(db, f"select {', '.join(columns)} from calls where call_id = ?", call_id)
    assert len(rows) == 1, f"{call_id}: {len(rows)} rows"
    return dict(zip(columns, rows[0], strict=True))


def good_records(path: Path, rejected: list[tuple[int, str]]) -> list[Any]:
    """The parsed lines of a JSONL fixture that are not rejected: the calls that must be stored."""
    bad = {line for line, _ in rejected}
    out = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if number not in bad:
            out.append(json.loads(text))
    return out


def usage_tokens(response: dict[str, Any]) -> dict[str, int]:
    """log-formats.md §5, for camelCase and snake_case; absent or null counts are 0."""
    usage = response.get("usageMetadata") or response.get("usage_metadata")
    assert isinstance(usage, dict)

    def count(camel: str, snake: str) -> int:
        return int(usage.get(camel) or usage.get(snake) or 0)

    thoughts = count("thoughtsTokenCount", "thoughts_token_count")
    return {
        "input_tokens": count("promptTokenCount", "prompt_token_count")
        + count("toolUsePromptTokenCount", "tool_use_prompt_token_count"),
        "cache_read_tokens": count("cachedContentTokenCount", "cached_content_token_count"),
        "cache_write_tokens": 0,
        "output_tokens": count("candidatesTokenCount", "candidates_token_count") + thoughts,
        "reasoning_tokens": thoughts,
    }


def summed(rows: list[dict[str, int]]) -> dict[str, int]:
    return {c: sum(r[c] for r in rows) for c in TOKENS}


def response_of(record: dict[str, Any]) -> dict[str, Any]:
    response = record.get("response")
    return response if isinstance(response, dict) else record


# -- Vertex responses (createTime) ----------------------------------------------------------------
def test_vertex_every_line_is_accounted_for(cli: Cli, db: Path) -> None:
    file = ingest(cli, db, VERTEX)
    assert file["format"] == "gemini"
    assert (file["rows_read"], file["rows_accepted"], file["rows_rejected"], file["rows_duplicate"]) == (7, 3, 4, 0)
    # 5: no createTime and no wrapper; 6: blocked, neither candidates nor thoughts count
    assert rejects(cli, db) == VERTEX_REJECTS


def test_vertex_token_totals_follow_the_documented_rule(cli: Cli, db: Path) -> None:
    ingest(cli, db, VERTEX)
    assert stored_totals(db) == summed([usage_tokens(r) for r in good_records(VERTEX, VERTEX_REJECTS)])


def test_cached_tokens_are_inside_the_prompt_and_thoughts_are_output(cli: Cli, db: Path) -> None:
    ingest(cli, db, VERTEX)
    call = stored_call(db, "mJ4uaPzXHs2zz7IP5b6T4Qc")  # prompt 5,210 of which 4,096 cached; 180 + 640 thoughts
    assert (call["input_tokens"], call["cache_read_tokens"]) == (5210, 4096)
    assert (call["output_tokens"], call["reasoning_tokens"]) == (820, 640)
    assert call["ts"] == datetime(2025, 8, 6, 10, 0, 0, 123456, tzinfo=UTC)
    tool = stored_call(db, "pL6wcRbZJu4B1_9Qn9zF7Bd")  # prompt 800 + 2,400 tool-use prompt tokens
    assert (tool["input_tokens"], tool["output_tokens"], tool["service_tier"]) == (3200, 330, "PROVISIONED_THROUGHPUT")
    plain = stored_call(db, "nK5vbQaYIt3A0_8Pm8yE6Ac")  # no cached, no thoughts: omitted, so 0
    assert (plain["input_tokens"], plain["cache_read_tokens"], plain["output_tokens"]) == (1200, 0, 95)


# -- Gemini API responses in wrappers, and bare ones ----------------------------------------------
def test_api_wrappers_take_ts_and_model_from_the_wrapper(cli: Cli, db: Path) -> None:
    file = ingest(cli, db, API_LOGGED)
    assert (file["format"], file["rows_read"], file["rows_accepted"]) == ("gemini", 7, 2)
    assert rejects(cli, db) == API_REJECTS
    assert stored_totals(db) == summed([usage_tokens(response_of(r)) for r in good_records(API_LOGGED, API_REJECTS)])
    first = stored_call(db, "aB1cD2eF3gH4iJ5kL6mN7oP")
    assert (first["ts"], first["model"]) == (datetime(2025, 8, 7, 8, 0, tzinfo=UTC), "gemini-2.5-pro")
    no_version = stored_call(db, "bC2dE3fG4hI5jK6lM7nO8pQ")  # no modelVersion: the request's model
    assert (no_version["ts"], no_version["model"]) == (datetime.fromtimestamp(1754553700, UTC), "gemini-2.5-flash")
    # both requests share a systemInstruction, hence a workload
    assert first["workload"] == no_version["workload"] != first["model"]
    (hints,) = query(db, "select hints from calls where call_id = ?", "aB1cD2eF3gH4iJ5kL6mN7oP")[0]
    assert json.loads(hints) == {"team": "claims"}


def test_ts_field_gives_bare_api_responses_their_time(cli: Cli, db: Path) -> None:
    file = ingest(cli, db, API_LOGGED, "--ts-field", "logged_at")
    assert (file["rows_read"], file["rows_accepted"], file["rows_rejected"]) == (7, 3, 4)
    remaining = [r for r in API_REJECTS if r != (4, "bad_timestamp")]  # line 5 has no logged_at either
    assert rejects(cli, db) == remaining
    assert stored_call(db, "cD3eF4gH5iJ6kL7mN8oP9qR")["ts"] == datetime(2025, 8, 7, 8, 4, 30, tzinfo=UTC)
    assert stored_totals(db) == summed([usage_tokens(response_of(r)) for r in good_records(API_LOGGED, remaining)])


def test_vertex_create_time_is_preferred_to_logged_times(cli: Cli, db: Path, tmp_path: Path) -> None:
    """createTime is the server's own request time: a wrapper ts or --ts-field value does not replace it."""
    response = json.loads(VERTEX.read_text(encoding="utf-8").splitlines()[0])
    log = tmp_path / "gemini_two_times.jsonl"
    log.write_text(json.dumps({"ts": "2025-08-06T10:00:07Z", "sent_at": "2025-08-06T10:00:06Z", "response": response}) + "\n")
    ingest(cli, db, log, "--ts-field", "sent_at")
    assert stored_call(db, "mJ4uaPzXHs2zz7IP5b6T4Qc")["ts"] == datetime(2025, 8, 6, 10, 0, 0, 123456, tzinfo=UTC)


# -- Python SDK dumps (snake_case, nulls for unset counts) ----------------------------------------
def test_sdk_snake_case_dump(cli: Cli, db: Path) -> None:
    file = ingest(cli, db, SDK_SNAKE)
    assert (file["format"], file["rows_read"], file["rows_accepted"], file["rows_rejected"]) == ("gemini", 3, 2, 1)
    assert rejects(cli, db) == [(3, "bad_timestamp")]  # create_time null and no wrapper
    records = json.loads(SDK_SNAKE.read_text())
    assert stored_totals(db) == summed([usage_tokens(response_of(r)) for r in records[:2]])
    wrapped = stored_call(db, "eF5gH6iJ7kL8mN9oP0qR1sT")  # 3,000 prompt (2,048 cached), 250 + 900 thoughts
    assert (wrapped["input_tokens"], wrapped["cache_read_tokens"], wrapped["output_tokens"]) == (3000, 2048, 1150)
    assert wrapped["ts"] == datetime(2025, 8, 8, 12, 0, tzinfo=UTC)
    vertex = stored_call(db, "fG6hI7jK8lM9nO0pQ1rS2tU")  # create_time from a Vertex client
    assert (vertex["ts"], vertex["model"]) == (datetime(2025, 8, 8, 12, 0, 9, 402163, tzinfo=UTC), "gemini-2.0-flash-001")
    assert (vertex["cache_read_tokens"], vertex["reasoning_tokens"], vertex["output_tokens"]) == (0, 0, 2)
