"""LiteLLM spend logs (log-formats.md §6) through the real CLI into a real DuckDB file.

Expected numbers come from parsing the fixtures here and applying the documented rule: prompt_tokens
includes cache; cache reads/writes from metadata.usage_object; older LiteLLM left writes out.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DATA, Cli, query
from tests.conftest import ingest_file as ingest

JSON_EXPORT = DATA / "formats" / "litellm_spend_logs.json"
CSV_EXPORT = DATA / "formats" / "litellm_spendlogs.csv"
# (line, reason): element numbers of the JSON list, physical lines of the CSV (header = line 1)
REJECTS = {
    JSON_EXPORT: {(6, "api_error"), (8, "missing_field")},
    CSV_EXPORT: {(4, "malformed_json"), (5, "api_error")},
}


def fixture_records(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(line, record) with numbers as exact Decimal text, JSON cells parsed."""
    if path.suffix == ".json":
        return list(enumerate(json.loads(path.read_text(), parse_float=Decimal), start=1))
    with path.open(newline="") as handle:
        return [(n, row) for n, row in enumerate(csv.DictReader(handle), start=2)]


def as_object(cell: Any) -> dict[str, Any]:
    if isinstance(cell, str):
        return dict(json.loads(cell)) if cell.strip() else {}
    return dict(cell or {})


def documented_tokens(record: dict[str, Any]) -> tuple[int, int, int, int]:
    """(all prompt tokens, cache read, cache write, output) per log-formats.md §6."""
    usage = as_object(record.get("metadata")).get("usage_object") or {}
    read = max(
        int((usage.get("prompt_tokens_details") or {}).get("cached_tokens") or 0), int(usage.get("cache_read_input_tokens") or 0)
    )
    write = int(usage.get("cache_creation_input_tokens") or 0)
    prompt = int(record["prompt_tokens"])
    if read <= prompt < read + write:  # older LiteLLM added only cache reads to prompt_tokens
        prompt += write
    return prompt, read, write, int(record["completion_tokens"])


def accepted_records(path: Path) -> dict[str, dict[str, Any]]:
    """The first record of each request_id that is not an expected reject."""
    rejected = {line for line, _ in REJECTS[path]}
    out: dict[str, dict[str, Any]] = {}
    for line, record in fixture_records(path):
        if line not in rejected:
            out.setdefault("litellm:" + str(record["request_id"]), record)
    return out


@pytest.mark.parametrize("path", [JSON_EXPORT, CSV_EXPORT], ids=["json", "csv"])
def test_export_is_detected_and_every_row_accounted_for(cli: Cli, db: Path, path: Path) -> None:
    result = ingest(cli, db, path)
    assert result["format"] == "litellm_spend_logs"
    assert result["rows_read"] == len(fixture_records(path))
    assert result["rows_read"] == result["rows_accepted"] + result["rows_rejected"] + result["rows_duplicate"]
    assert result["rows_accepted"] == len(accepted_records(path))
    assert result["bucket_rows"] == 0


@pytest.mark.parametrize("path", [JSON_EXPORT, CSV_EXPORT], ids=["json", "csv"])
def test_token_totals_follow_the_documented_rule(cli: Cli, db: Path, path: Path) -> None:
    ingest(cli, db, path)
    expected = [documented_tokens(r) for r in accepted_records(path).values()]
    stored = query(
        db,
        "select sum(input_tokens)::bigint, sum(cache_read_tokens)::bigint, "
        "sum(cache_write_tokens)::bigint, sum(output_tokens)::bigint from calls",
    )
    assert stored[0] == tuple(sum(column) for column in zip(*expected, strict=True))


def test_cache_split_per_call(cli: Cli, db: Path) -> None:
    ingest(cli, db, JSON_EXPORT)
    sql = "select call_id, input_tokens, cache_read_tokens, cache_write_tokens from calls"
    rows = {call_id: list(tokens) for call_id, *tokens in query(db, sql)}
    # Anthropic via LiteLLM: both cache-read spellings present; prompt_tokens already holds the cache
    assert rows["litellm:chatcmpl-6dcb2540-d3d7-4e49-bb27-291f863f112e"] == [1204, 1024, 0]
    # OpenAI via LiteLLM: only prompt_tokens_details.cached_tokens
    assert rows["litellm:chatcmpl-B3f9a1c07e2d4f5b8a6c1d2e3f4a5b6c"] == [2200, 1536, 0]
    # current LiteLLM: the cache write is inside prompt_tokens (5200 = 100 fresh + 5100 written)
    assert rows["litellm:chatcmpl-0a7e55c1-9b1f-4a53-8d0c-5e2b7f1d3c44"] == [5200, 0, 5100]
    # older LiteLLM: prompt_tokens 60 = 50 fresh + 10 read; the 3000 written were not counted in it
    assert rows["litellm:chatcmpl-old-9c1d"] == [60 + 3000, 10, 3000]
    # a very old install without usage_object: the cache split is unknown, read as none
    assert rows["litellm:chatcmpl-baseline-77aa"] == [100, 0, 0]


@pytest.mark.parametrize("path", [JSON_EXPORT, CSV_EXPORT], ids=["json", "csv"])
def test_spend_is_stored_exactly(cli: Cli, db: Path, path: Path) -> None:
    ingest(cli, db, path)
    stored = dict(query(db, "select call_id, billed_cost_usd from calls"))
    expected = {call_id: Decimal(str(r["spend"])) for call_id, r in accepted_records(path).items()}
    assert stored == expected


def test_naive_start_time_is_utc_and_latency_from_end_time(cli: Cli, db: Path) -> None:
    ingest(cli, db, CSV_EXPORT)
    (row,) = query(
        db,
        "select strftime(ts, '%Y-%m-%dT%H:%M:%S.%g%z'), latency_ms, provider, prefix_hash is not null, "
        "hints from calls where call_id = 'litellm:chatcmpl-AQ1x7Yb2'",
    )
    assert row[0] == "2025-07-01T10:00:00.123+00"
    assert row[1] == 981 - 123  # no request_duration_ms: endTime - startTime
    assert row[2] == "openai"
    assert row[3]  # messages were stored in the spend log: the system prompt is the prefix
    assert json.loads(row[4])["tags"] == ["feature:classify"]
    assert json.loads(row[4])["user_api_key_alias"] == "classifier"


def test_rejects_have_reasons_and_lines(cli: Cli, db: Path) -> None:
    for path in (JSON_EXPORT, CSV_EXPORT):
        ingest(cli, db, path)
    rejects = cli.json("rejects", "--db", db)["rejects"]
    found = {(Path(r["source_file"]), r["source_line"], r["reason"]) for r in rejects}
    assert found == {(path, line, reason) for path, lines in REJECTS.items() for line, reason in lines}


def test_reingesting_adds_nothing(cli: Cli, db: Path) -> None:
    first = ingest(cli, db, JSON_EXPORT)
    again = ingest(cli, db, JSON_EXPORT)
    assert again["already_ingested"]
    assert again["rows_duplicate"] == again["rows_read"] == first["rows_read"]
    assert query(db, "select count(*) from calls")[0][0] == first["rows_accepted"]


def test_overlapping_export_is_duplicates(cli: Cli, db: Path, tmp_path: Path) -> None:
    ingest(cli, db, JSON_EXPORT)
    overlap = tmp_path / "spend_logs_again.json"
    overlap.write_text(json.dumps(json.loads(JSON_EXPORT.read_text())[:3]))
    result = ingest(cli, db, overlap)
    assert (result["rows_read"], result["rows_accepted"], result["rows_duplicate"]) == (3, 0, 3)


def test_truncated_csv_row_rejects_only_that_row(cli: Cli, db: Path, tmp_path: Path) -> None:
    cut = tmp_path / "spendlogs_cut.csv"
    cut.write_text(CSV_EXPORT.read_text() + "chatcmpl-cut,acompletion,9e8d,0.1,10,5\n")
    result = ingest(cli, db, cut)
    assert result["rows_accepted"] == len(accepted_records(CSV_EXPORT))


def test_spend_log_with_stored_response_is_still_litellm(cli: Cli, db: Path, tmp_path: Path) -> None:
    record = json.loads(JSON_EXPORT.read_text())[1]
    record["response"] = {
        "id": "chatcmpl-B3f9",
        "object": "chat.completion",
        "created": 1749076802,
        "model": record["model"],
        "choices": [],
        "usage": {"prompt_tokens": 2200, "completion_tokens": 212},
    }
    logged = tmp_path / "spend_logs_with_prompts.json"  # store_prompts_in_spend_logs: true
    logged.write_text(json.dumps([record]))
    assert ingest(cli, db, logged)["format"] == "litellm_spend_logs"
