"""Helicone request logs (log-formats.md §8) through the real CLI into a real DuckDB file.

Expected numbers are computed here from the fixtures by the documented rule: prompt_tokens is the
fresh part, cache reads and writes are added; cost is USD (USD x 1e9 in a raw ClickHouse row).
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

JSONL = DATA / "formats" / "helicone_export.jsonl"
CSV_EXPORT = DATA / "formats" / "helicone_export.csv"
REJECTS = {
    JSONL: {(4, "api_error"), (5, "malformed_json")},
    CSV_EXPORT: {(4, "missing_field"), (5, "api_error")},
}


def fixture_records(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(line, row) for every parseable record, numbers kept as exact Decimal text."""
    if path.suffix == ".csv":
        with path.open(newline="") as handle:
            return [(n, row) for n, row in enumerate(csv.DictReader(handle), start=2)]
    out = []
    for n, line in enumerate(path.read_text().splitlines(), start=1):
        try:
            out.append((n, json.loads(line, parse_float=Decimal)))
        except ValueError:
            continue
    return out


def accepted(path: Path) -> dict[str, dict[str, Any]]:
    rejected = {line for line, _ in REJECTS[path]}
    out: dict[str, dict[str, Any]] = {}
    for line, row in fixture_records(path):
        if line not in rejected:
            out.setdefault("helicone:" + (row.get("request_id") or row["response_id"]), row)
    return out


def count(row: dict[str, Any], key: str) -> int:
    return int(row.get(key) or 0)


def documented_tokens(row: dict[str, Any]) -> tuple[int, int, int, int]:
    """(all prompt tokens, cache read, cache write, output) per log-formats.md §8."""
    read, write = count(row, "prompt_cache_read_tokens"), count(row, "prompt_cache_write_tokens")
    return count(row, "prompt_tokens") + read + write, read, write, count(row, "completion_tokens")


def documented_cost_usd(row: dict[str, Any]) -> Decimal | None:
    if "organization_id" in row and "status" in row and "response_status" not in row:
        return Decimal(row["cost"]) / Decimal(10**9)  # ClickHouse stores USD x 1e9
    text = row.get("cost", row.get("costUSD", row.get("cost_usd")))
    return Decimal(str(text)) if text not in (None, "") else None


@pytest.mark.parametrize("path", [JSONL, CSV_EXPORT], ids=["jsonl", "csv"])
def test_export_is_detected_and_every_row_accounted_for(cli: Cli, db: Path, path: Path) -> None:
    result = ingest(cli, db, path)
    malformed = sum(reason == "malformed_json" for _, reason in REJECTS[path])
    assert result["format"] == "helicone_requests"
    assert result["rows_read"] == len(fixture_records(path)) + malformed
    assert result["rows_read"] == result["rows_accepted"] + result["rows_rejected"] + result["rows_duplicate"]
    assert result["rows_accepted"] == len(accepted(path))


@pytest.mark.parametrize("path", [JSONL, CSV_EXPORT], ids=["jsonl", "csv"])
def test_token_totals_follow_the_documented_rule(cli: Cli, db: Path, path: Path) -> None:
    ingest(cli, db, path)
    expected = [documented_tokens(row) for row in accepted(path).values()]
    stored = query(
        db,
        "select sum(input_tokens)::bigint, sum(cache_read_tokens)::bigint, "
        "sum(cache_write_tokens)::bigint, sum(output_tokens)::bigint from calls",
    )
    assert stored[0] == tuple(sum(column) for column in zip(*expected, strict=True))


def test_cache_is_added_to_prompt_tokens(cli: Cli, db: Path) -> None:
    ingest(cli, db, JSONL)
    sql = "select call_id, input_tokens, cache_read_tokens, cache_write_tokens from calls"
    rows = {call_id: list(tokens) for call_id, *tokens in query(db, sql)}
    assert rows["helicone:3f1a9c2e-7d1b-4c55-9a0e-2b6f0d8e4a11"] == [48 + 6120, 6120, 0]  # Anthropic
    # OpenAI traffic too: Helicone's prompt_tokens 476 is the fresh part, unlike OpenAI's own prompt_tokens
    assert rows["helicone:9b2c4d6e-1a3f-4e5d-8c7b-6a5f4e3d2c1b"] == [476 + 1024, 1024, 0]
    assert rows["helicone:b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e"] == [200 + 1800, 0, 1800]  # ClickHouse row


@pytest.mark.parametrize("path", [JSONL, CSV_EXPORT], ids=["jsonl", "csv"])
def test_cost_is_stored_exactly(cli: Cli, db: Path, path: Path) -> None:
    ingest(cli, db, path)
    stored = dict(query(db, "select call_id, billed_cost_usd from calls"))
    assert stored == {call_id: documented_cost_usd(row) for call_id, row in accepted(path).items()}


def test_export_csv_columns(cli: Cli, db: Path) -> None:
    ingest(cli, db, CSV_EXPORT)
    rows = {
        r[0]: r[1:] for r in query(db, "select call_id, latency_ms, billed_cost_usd, prefix_hash is not null, hints from calls")
    }
    latency, cost, has_prefix, hints = rows["helicone:d0e1f2a3-b4c5-4d6e-8f70-8192a3b4c5d6"]
    assert (latency, cost, has_prefix) == (820, Decimal("0.00000615"), True)
    assert json.loads(hints) == {"feature": "translate", "env": "prod", "user": "user-1"}
    # the export tool leaves latency and cost_usd empty when the API row named them delay_ms / cost
    assert rows["helicone:e1f2a3b4-c5d6-4e7f-8091-a2b3c4d5e6f7"][:2] == (None, None)


def test_rejects_have_reasons_and_lines(cli: Cli, db: Path) -> None:
    for path in (JSONL, CSV_EXPORT):
        ingest(cli, db, path)
    rejects = cli.json("rejects", "--db", db)["rejects"]
    found = {(Path(r["source_file"]), r["source_line"], r["reason"]) for r in rejects}
    assert found == {(path, line, reason) for path, lines in REJECTS.items() for line, reason in lines}


def test_reingesting_adds_nothing(cli: Cli, db: Path) -> None:
    first = ingest(cli, db, JSONL)
    assert first["rows_duplicate"] == 1  # line 7 repeats line 1
    again = ingest(cli, db, JSONL)
    assert again["already_ingested"] and again["rows_duplicate"] == again["rows_read"]
    assert query(db, "select count(*) from calls")[0][0] == first["rows_accepted"]
