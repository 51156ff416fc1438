"""OpenAI organization Usage API (completions) and Costs API (log-formats.md §3) through the real CLI.

Usage results are bucket rows whose input_tokens already include cached and cache-write tokens;
Costs results go to `billed_costs`, never to `calls`. Expected numbers are read from the fixtures here.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DATA, Cli, query
from tests.conftest import ingest_file as ingest

USAGE = DATA / "formats" / "openai_usage_completions.json"
COSTS = DATA / "formats" / "openai_costs.json"


def page(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text(), parse_float=Decimal))


def results(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(bucket start, result) for every result of every bucket of the page."""
    return [(b["start_time"], r) for b in page(path)["data"] for r in b["results"]]


def test_usage_page_gives_one_bucket_row_per_result(cli: Cli, db: Path) -> None:
    result = ingest(cli, db, USAGE)
    priced = [r for _, r in results(USAGE) if r["model"] is not None]
    assert result["format"] == "openai_usage_completions"
    assert result["rows_read"] == len(results(USAGE)) == 5  # the idle bucket (results: []) gives no row
    assert result["rows_read"] == result["rows_accepted"] + result["rows_rejected"] + result["rows_duplicate"]
    assert result["rows_accepted"] == result["bucket_rows"] == len(priced)
    assert query(db, "select bool_and(is_bucket) from calls") == [(True,)]


def test_usage_token_totals_and_request_counts(cli: Cli, db: Path) -> None:
    ingest(cli, db, USAGE)
    priced = [r for _, r in results(USAGE) if r["model"] is not None]
    expected = (
        sum(r["input_tokens"] for r in priced),  # already includes cached and cache-write tokens
        sum(r.get("input_cached_tokens", 0) for r in priced),
        sum(r.get("input_cache_write_tokens", 0) for r in priced),
        sum(r["output_tokens"] for r in priced),
        sum(r["num_model_requests"] for r in priced),
    )
    stored = query(
        db,
        "select sum(input_tokens)::bigint, sum(cache_read_tokens)::bigint, sum(cache_write_tokens)::bigint,"
        " sum(output_tokens)::bigint, sum(request_count)::bigint from calls",
    )
    assert stored[0] == expected


def test_usage_grouping_keys(cli: Cli, db: Path) -> None:
    ingest(cli, db, USAGE)
    rows = query(
        db,
        "select epoch(ts)::bigint, model, is_batch, request_count, input_tokens, cache_read_tokens,"
        " cache_write_tokens, hints ->> 'project_id' from calls order by ts, model, is_batch",
    )
    assert rows == [
        (1761955200, "gpt-4o-mini-2024-07-18", False, 300, 120000, 80000, 0, "proj_abc"),
        (1761955200, "gpt-4o-mini-2024-07-18", True, 1000, 500000, 0, 0, "proj_abc"),
        # 2026 fields: input_tokens 10000 = 4000 cached + 1000 cache-write + 5000 uncached
        (1761955200, "o3-mini-2025-01-31", False, 50, 10000, 4000, 1000, "proj_xyz"),
        (1762128000, "gpt-4o-2024-08-06", False, 5, 3000, 1024, 0, "proj_abc"),
    ]


def test_result_without_model_is_rejected(cli: Cli, db: Path) -> None:
    ingest(cli, db, USAGE)
    (reject,) = cli.json("rejects", "--db", db)["rejects"]
    assert (reject["source_line"], reject["reason"], reject["detail"]) == (1, "missing_field", "model")
    assert reject["raw_prefix"].startswith('{"start_time":1762128000,')  # the bucket, then the result


@pytest.mark.parametrize("shape", ["jsonl-of-pages", "array-of-buckets"])
def test_other_shapes_of_the_same_buckets_are_duplicates(cli: Cli, db: Path, tmp_path: Path, shape: str) -> None:
    first = ingest(cli, db, USAGE)
    buckets = json.loads(USAGE.read_text())["data"]
    other = tmp_path / f"usage.{'jsonl' if shape == 'jsonl-of-pages' else 'json'}"
    if shape == "jsonl-of-pages":
        pages = [
            {"object": "page", "data": buckets[:1], "has_more": True, "next_page": "page_2"},
            {"object": "page", "data": buckets[1:], "has_more": False, "next_page": None},
        ]
        other.write_text("".join(json.dumps(p) + "\n" for p in pages))
    else:
        other.write_text(json.dumps(buckets))
    result = ingest(cli, db, other)
    assert result["format"] == "openai_usage_completions"
    assert (result["rows_accepted"], result["rows_duplicate"]) == (0, first["rows_accepted"])
    assert query(db, "select count(*) from calls")[0][0] == first["rows_accepted"]


def test_idle_export_reads_zero_rows(cli: Cli, db: Path, tmp_path: Path) -> None:
    idle = tmp_path / "idle.json"
    idle.write_text(
        json.dumps(
            {
                "object": "page",
                "has_more": False,
                "next_page": None,
                "data": [{"object": "bucket", "start_time": 1761955200, "end_time": 1762041600, "results": []}],
            }
        )
    )
    result = ingest(cli, db, idle)
    assert (result["format"], result["rows_read"]) == ("openai_usage_completions", 0)


def test_costs_land_in_billed_costs_not_calls(cli: Cli, db: Path) -> None:
    result = ingest(cli, db, COSTS)
    assert result["format"] == "openai_costs"
    assert (result["rows_read"], result["rows_accepted"], result["rows_rejected"], result["rows_duplicate"]) == (6, 4, 1, 1)
    assert query(db, "select count(*) from calls") == [(0,)]
    stored = query(
        db,
        "select epoch(bucket_start)::bigint, epoch(bucket_end)::bigint, line_item, project_id, amount_usd,"
        " currency, quantity, quantity_unit from billed_costs order by bucket_start, line_item",
    )
    expected = {}
    for bucket in page(COSTS)["data"]:
        for r in bucket["results"]:
            if "amount" in r:
                expected[(bucket["start_time"], r["line_item"])] = (
                    bucket["start_time"],
                    bucket["end_time"],
                    r["line_item"],
                    r["project_id"],
                    Decimal(str(r["amount"]["value"])),
                    r["amount"]["currency"],
                    Decimal(str(r["quantity"])) if r.get("quantity") is not None else None,
                    r.get("quantity_unit"),
                )
    assert stored == [expected[key] for key in sorted(expected)]
    rejects = cli.json("rejects", "--db", db)["rejects"]
    assert [(r["source_line"], r["reason"]) for r in rejects] == [(1, "missing_field")]


def test_overlapping_costs_export_adds_nothing_and_flags_changed_amounts(cli: Cli, db: Path, tmp_path: Path) -> None:
    ingest(cli, db, COSTS)
    first_bucket = json.loads(COSTS.read_text())["data"][0]
    changed = json.loads(json.dumps(first_bucket))
    changed["results"] = [changed["results"][0]]
    changed["results"][0]["amount"]["value"] = 0.07
    overlap = tmp_path / "costs_again.jsonl"
    overlap.write_text(
        json.dumps({"data": [first_bucket], "has_more": False}) + "\n" + json.dumps({"data": [changed], "has_more": False}) + "\n"
    )
    result = ingest(cli, db, overlap)
    assert (result["rows_accepted"], result["rows_duplicate"], result["rows_rejected"]) == (0, 3, 1)
    assert result["rejects_by_reason"] == {"conflicting_duplicate": 1}
    assert query(db, "select count(*) from billed_costs") == [(4,)]


@pytest.mark.parametrize("path", [USAGE, COSTS], ids=["usage", "costs"])
def test_reingesting_adds_nothing(cli: Cli, db: Path, path: Path) -> None:
    first = ingest(cli, db, path)
    again = ingest(cli, db, path)
    assert again["already_ingested"] and again["rows_duplicate"] == again["rows_read"] == first["rows_read"]
    counts = query(db, "select (select count(*) from calls), (select count(*) from billed_costs)")[0]
    assert sum(counts) == first["rows_accepted"]
