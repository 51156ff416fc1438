"""OpenRouter /generation records and /activity aggregates (log-formats.md §9) through the real CLI.

Expected numbers are computed here from the fixtures by the documented rule: bill on native_* counts
(tokens_* only when native ones are missing), native_tokens_cached a subset of the prompt; /activity
rows are daily buckets with `requests` calls.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DATA, Cli, query
from tests.conftest import ingest_file as ingest

GENERATIONS = DATA / "formats" / "openrouter_generations.jsonl"
ACTIVITY_JSON = DATA / "formats" / "openrouter_activity.json"
ACTIVITY_CSV = DATA / "formats" / "openrouter_activity.csv"
GENERATION_REJECTS = {(5, "malformed_json"), (6, "api_error")}


def generations() -> dict[str, dict[str, Any]]:
    """First record of each generation id, `{"data": {...}}` unwrapped, numbers as exact Decimal text."""
    out: dict[str, dict[str, Any]] = {}
    for line in GENERATIONS.read_text().splitlines():
        try:
            record = json.loads(line, parse_float=Decimal)
        except ValueError:
            continue
        record = record.get("data", record)
        if "id" in record:
            out.setdefault("openrouter:" + record["id"], record)
    return out


def native_or_normalised(record: dict[str, Any], name: str) -> int:
    value = record.get(f"native_tokens_{name}")
    return int(value if value is not None else record[f"tokens_{name}"])


def documented_tokens(record: dict[str, Any]) -> tuple[int, int, int, int]:
    """(all prompt tokens, cache read, output, reasoning) per log-formats.md §9."""
    return (
        native_or_normalised(record, "prompt"),
        int(record.get("native_tokens_cached") or 0),
        native_or_normalised(record, "completion"),
        int(record.get("native_tokens_reasoning") or 0),
    )


def activity_items(path: Path) -> list[dict[str, Any]]:
    if path.suffix == ".csv":
        with path.open(newline="") as handle:
            return list(csv.DictReader(handle))
    return list(json.loads(path.read_text(), parse_float=Decimal)["data"])


def test_generations_detected_and_every_line_accounted_for(cli: Cli, db: Path) -> None:
    result = ingest(cli, db, GENERATIONS)
    assert result["format"] == "openrouter_generation"
    assert result["rows_read"] == len(GENERATIONS.read_text().splitlines())
    assert result["rows_read"] == result["rows_accepted"] + result["rows_rejected"] + result["rows_duplicate"]
    assert (result["rows_accepted"], result["rows_duplicate"]) == (len(generations()), 1)  # line 7 = line 1 unwrapped


def test_generation_token_totals_follow_the_documented_rule(cli: Cli, db: Path) -> None:
    ingest(cli, db, GENERATIONS)
    expected = [documented_tokens(r) for r in generations().values()]
    stored = query(
        db,
        "select sum(input_tokens)::bigint, sum(cache_read_tokens)::bigint, sum(output_tokens)::bigint,"
        " sum(reasoning_tokens)::bigint from calls where not is_bucket",
    )
    assert stored[0] == tuple(sum(column) for column in zip(*expected, strict=True))


def test_native_counts_and_offset_timestamps(cli: Cli, db: Path) -> None:
    ingest(cli, db, GENERATIONS)
    (row,) = query(
        db,
        "select ts, input_tokens, cache_read_tokens, output_tokens, latency_ms, hints from calls "
        "where call_id = 'openrouter:gen-1740816000-Xq7pL2mN9vR4tY8w'",
    )
    assert row[0] == datetime(2025, 3, 1, 8, 0, tzinfo=UTC)  # 10:00+02:00
    # Anthropic via OpenRouter: provider tokenizer 2300 (billed), not the normalised 2100; 2048 of them cached
    assert row[1:4] == (2300, 2048, 190)
    assert row[4] == 2100  # latency, ms
    assert json.loads(row[5])["workspace"] == "ws-support"
    (cancelled,) = query(db, "select status from calls where call_id = 'openrouter:gen-1741000000-CnclD3tail5Here1'")
    assert cancelled == ("cancelled",)


def test_generation_cost_is_stored_exactly(cli: Cli, db: Path) -> None:
    ingest(cli, db, GENERATIONS)
    stored = dict(query(db, "select call_id, billed_cost_usd from calls"))
    assert stored == {call_id: Decimal(str(r["total_cost"])) for call_id, r in generations().items()}


def test_activity_items_are_daily_buckets(cli: Cli, db: Path) -> None:
    result = ingest(cli, db, ACTIVITY_JSON)
    items = activity_items(ACTIVITY_JSON)
    assert result["format"] == "openrouter_activity"
    assert result["rows_read"] == result["rows_accepted"] == result["bucket_rows"] == len(items)
    stored = query(
        db,
        "select is_bucket, request_count, input_tokens, cache_read_tokens, output_tokens, reasoning_tokens,"
        " billed_cost_usd, strftime(ts, '%Y-%m-%d %H:%M:%S%z') from calls order by ts, model",
    )
    expected = [
        (
            True,
            int(i["requests"]),
            int(i["prompt_tokens"]),
            0,
            int(i["completion_tokens"]),
            int(i["reasoning_tokens"]),
            Decimal(str(i["usage"])),
            i["date"] + " 00:00:00+00",
        )
        for i in sorted(items, key=lambda i: (i["date"], i["model"]))
    ]
    assert stored == expected


def test_activity_csv_overlapping_the_json_export_dedupes(cli: Cli, db: Path) -> None:
    ingest(cli, db, ACTIVITY_JSON)
    result = ingest(cli, db, ACTIVITY_CSV)
    assert result["format"] == "openrouter_activity"
    json_days = {(i["date"], i["model"]) for i in activity_items(ACTIVITY_JSON)}
    overlap = [i for i in activity_items(ACTIVITY_CSV) if (i["date"], i["model"]) in json_days]
    assert result["rows_duplicate"] == len(overlap) == 2
    assert (result["rows_accepted"], result["rows_rejected"]) == (1, 1)
    assert result["rows_read"] == result["rows_accepted"] + result["rows_rejected"] + result["rows_duplicate"]
    rejects = cli.json("rejects", "--db", db)["rejects"]
    assert [(r["source_line"], r["reason"], r["detail"]) for r in rejects] == [(5, "bad_type", "input tokens")]


def test_generation_rejects_have_reasons_and_lines(cli: Cli, db: Path) -> None:
    ingest(cli, db, GENERATIONS)
    rejects = cli.json("rejects", "--db", db)["rejects"]
    assert {(r["source_line"], r["reason"]) for r in rejects} == GENERATION_REJECTS


@pytest.mark.parametrize("path", [GENERATIONS, ACTIVITY_JSON], ids=["generations", "activity"])
def test_reingesting_adds_nothing(cli: Cli, db: Path, path: Path) -> None:
    first = ingest(cli, db, path)
    again = ingest(cli, db, path)
    assert again["already_ingested"] and again["rows_duplicate"] == again["rows_read"] == first["rows_read"]
    assert query(db, "select count(*) from calls")[0][0] == first["rows_accepted"]
