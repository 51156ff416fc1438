"""Fast paths of the gateway formats (LiteLLM SpendLogs CSV and JSONL, Langfuse, Helicone, OpenRouter
/generation, mapped CSV / JSONL): a clean file is stored entirely the fast way, with the very calls the
careful path stores; CSV files, mutated cell by cell, store the same calls, rejects and ledger either way
(the JSONL fixtures are covered by test_fuzz_ingest's property)."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import ftaudit
from tests.conftest import DATA
from tests.test_fuzz_ingest import JSON_VALUES, _stored, mutated_line

LITELLM_CSV = DATA / "formats" / "litellm_spendlogs.csv"
MAPPED = ftaudit.IngestOptions(
    mapping={"ts": "TIMESTAMP", "input_tokens": "ContextTokens", "output_tokens": "GeneratedTokens", "workload": "app"},
    model="gpt-4o",
)
CSV_FIXTURES = {
    LITELLM_CSV.name: (LITELLM_CSV, ftaudit.IngestOptions()),
    "mapped_traces.csv": (DATA / "formats" / "mapped_traces.csv", MAPPED),
}


def _csv_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write_csv(path: Path, header: list[str], rows: list[dict[str, str]], cut: int | None = None) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    text = out.getvalue()
    path.write_text(text[: len(text) - cut] if cut else text, encoding="utf-8")


@st.composite
def mutated_cell(draw: st.DrawFn, value: str) -> str:
    """A cell as an export may hold it: kept, emptied, another text or number, or (a JSON cell) its
    JSON mutated as test_fuzz_ingest mutates a line."""
    kind = draw(st.sampled_from(["keep", "keep", "empty", "text", "number", "json"]))
    if kind == "empty":
        return ""
    if kind == "text":
        return draw(st.text(max_size=12).filter(lambda s: "\x00" not in s and "\r" not in s))
    if kind == "number":
        return json.dumps(draw(st.integers(-5, 10**16) | st.floats(allow_nan=False, allow_infinity=False)))
    if kind == "json":
        try:
            parsed = json.loads(value)
        except ValueError:
            return json.dumps(draw(JSON_VALUES))
        return str(draw(mutated_line(parsed))) if isinstance(parsed, dict) else json.dumps(draw(JSON_VALUES))
    return value


@st.composite
def fuzzed_csv(draw: st.DrawFn) -> tuple[str, list[str], list[dict[str, str]], int | None]:
    name = draw(st.sampled_from(sorted(CSV_FIXTURES)))
    header, rows = _csv_rows(CSV_FIXTURES[name][0])
    chosen = [dict(r) for r in draw(st.lists(st.sampled_from(rows), min_size=1, max_size=6))]
    for row in chosen:
        for column in draw(st.lists(st.sampled_from(header), max_size=3, unique=True)):
            row[column] = draw(mutated_cell(row[column] or ""))
    dropped = draw(st.lists(st.sampled_from(header), max_size=2, unique=True))  # an older export's columns
    cut = draw(st.none() | st.integers(1, 40))  # the export cut off in its last row
    return name, [c for c in header if c not in dropped], chosen, cut


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(fuzzed_csv())
@example(("litellm_spendlogs.csv", *_csv_rows(LITELLM_CSV), None))
def test_fast_and_careful_paths_store_the_same_for_csv(case: tuple[str, list[str], list[dict[str, str]], int | None]) -> None:
    """CSV rows of a fixture, cells mutated, columns dropped, the last row cut: the fast path (whole file,
    or the clean rows beside the careful path) and the careful path alone store the same."""
    name, header, rows, cut = case
    options = CSV_FIXTURES[name][1]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.csv"
        _write_csv(path, header, rows, cut)
        fast = _stored(path, Path(tmp) / "fast.duckdb", _with(options, fast=True))
        careful = _stored(path, Path(tmp) / "careful.duckdb", _with(options, fast=False))
        assert fast == careful


def _totals(db: Path) -> tuple[Any, ...]:
    with duckdb.connect(str(db), read_only=True) as con:
        return tuple(con.execute(
            "select count(*), sum(input_tokens)::bigint, sum(cache_read_tokens)::bigint, sum(cache_write_tokens)::bigint,"
            " sum(output_tokens)::bigint, sum(billed_cost_usd), count(distinct prefix_hash) from calls"
        ).fetchall()[0])


# Hand-computed from the fixture rows the clean files repeat, 25 of each.
EXPECTED_TOTALS = {
    # litellm_spendlogs.csv rows 1 and 2: prompt 1500 (1280 cached) and 3600 (3000 read, 500 written),
    # output 20 and 300, spend 0.00012345678 and 0.0045675; one static prefix (row 1's system message)
    "litellm_csv": (50, 25 * 1500 + 25 * 3600, 25 * 1280 + 25 * 3000, 25 * 500, 25 * 20 + 25 * 300,
                    25 * Decimal("0.00012345678") + 25 * Decimal("0.0045675"), 1),
    # litellm_spend_logs.json rows 1 and 2: prompt 1204 (1024 cached in either spelling) and 2200 (1536
    # cached), output 86 and 212, spend 0.00291 and 0.000603; no messages
    "litellm_jsonl": (50, 25 * 1204 + 25 * 2200, 25 * 1024 + 25 * 1536, 0, 25 * 86 + 25 * 212,
                      25 * Decimal("0.00291") + 25 * Decimal("0.000603"), 0),
    # langfuse_observations.jsonl lines 1 and 3: input 312 + 1536 cached (a cache key: input is uncached)
    # and 20 + 4000 read + 1200 written (two spellings of one write count: the larger, once), output 41 and
    # 150, cost costDetails.total 0.0001866 and calculatedTotalCost 0.00726
    "langfuse": (50, 25 * (312 + 1536) + 25 * (20 + 4000 + 1200), 25 * 1536 + 25 * 4000, 25 * 1200, 25 * 41 + 25 * 150,
                 25 * Decimal("0.0001866") + 25 * Decimal("0.00726"), 0),
    # helicone_export.jsonl lines 1 and 2: prompt_tokens is the uncached part, 48 + 6120 read and 476 + 1024
    # read; output 214 and 120; cost 0.005194 and costUSD 0.0002202; line 2's body has a system prompt
    "helicone": (50, 25 * (48 + 6120) + 25 * (476 + 1024), 25 * 6120 + 25 * 1024, 0, 25 * 214 + 25 * 120,
                 25 * Decimal("0.005194") + 25 * Decimal("0.0002202"), 1),
    # openrouter_generations.jsonl lines 1 ({"data": ...}) and 2: native counts 10 (3 cached) and 2300 (2048
    # cached), output 25 and 190, total_cost 0.0015 and 0.0039684
    # mapped_traces lines 1 and 4 (ContextTokens 374 and 879, GeneratedTokens 44 and 48), no id: content-hash ids
    "mapped_csv": (50, 25 * 374 + 25 * 879, 0, 0, 25 * 44 + 25 * 48, None, 0),
    "mapped_jsonl": (50, 25 * 374 + 25 * 879, 0, 0, 25 * 44 + 25 * 48, None, 0),
    "openrouter": (50, 25 * 10 + 25 * 2300, 25 * 3 + 25 * 2048, 0, 25 * 25 + 25 * 190,
                   25 * Decimal("0.0015") + 25 * Decimal("0.0039684"), 0),
}


def _with(options: ftaudit.IngestOptions, **changes: Any) -> ftaudit.IngestOptions:
    return replace(options, **changes)


def _clean_litellm_csv(path: Path, n: int) -> None:
    """n clean rows shaped as the fixture's first two (OpenAI with a cached split and messages, Anthropic
    with cache reads and writes), each with its own id and time."""
    header, rows = _csv_rows(LITELLM_CSV)
    out = []
    for i in range(n):
        row = dict(rows[i % 2])
        row["request_id"] = f"{row['request_id']}-{i}"
        row["startTime"] = f"2025-07-01 10:{i // 60 % 60:02d}:{i % 60:02d}.000"
        row["endTime"] = f"2025-07-01 10:{i // 60 % 60:02d}:{i % 60:02d}.750"
        out.append(row)
    _write_csv(path, header, out)


def _clean_jsonl(fixture: str, lines: tuple[int, ...], id_key: str) -> Callable[[Path, int], None]:
    """A writer of n clean lines repeating the fixture's given lines (1-based), each with its own id."""

    def write(path: Path, n: int) -> None:
        texts = (DATA / "formats" / fixture).read_text().splitlines()
        out = []
        for i in range(n):
            record = json.loads(texts[lines[i % len(lines)] - 1])
            body = record["data"] if set(record) == {"data"} else record  # the API's {"data": {...}}
            body[id_key] = f"{body[id_key]}-{i}"
            out.append(json.dumps(record))
        path.write_text("\n".join(out) + "\n", encoding="utf-8")

    return write


def _clean_mapped_csv(path: Path, n: int) -> None:
    jsonl = path.with_suffix(".jsonl")
    _clean_jsonl("mapped_traces.jsonl", (1, 4), "app")(jsonl, n)
    rows = [json.loads(line) for line in jsonl.read_text().splitlines()]
    _write_csv(path, list(rows[0]), rows)
    jsonl.unlink()


CLEAN_FILES: dict[str, tuple[Callable[[Path, int], None], str]] = {
    "litellm_csv": (_clean_litellm_csv, "litellm_spend_logs"),
    "mapped_csv": (_clean_mapped_csv, "mapped"),
    "mapped_jsonl": (_clean_jsonl("mapped_traces.jsonl", (1, 4), "app"), "mapped"),
    "litellm_jsonl": (_clean_jsonl("litellm_spend_logs.jsonl", (1, 2), "request_id"), "litellm_spend_logs"),
    "langfuse": (_clean_jsonl("langfuse_observations.jsonl", (1, 3), "id"), "langfuse_observations"),
    "helicone": (_clean_jsonl("helicone_export.jsonl", (1, 2), "request_id"), "helicone_requests"),
    "openrouter": (_clean_jsonl("openrouter_generations.jsonl", (1, 2), "id"), "openrouter_generation"),
}


@pytest.mark.parametrize("family", sorted(CLEAN_FILES))
def test_a_clean_file_is_stored_entirely_by_the_fast_path(family: str, tmp_path: Path) -> None:
    write, format_name = CLEAN_FILES[family]
    path = tmp_path / f"clean.{'csv' if family.endswith('csv') else 'jsonl'}"
    write(path, 50)
    options = MAPPED if family.startswith("mapped") else ftaudit.IngestOptions()
    with ftaudit.open_store(tmp_path / "fast.duckdb") as store:
        result = ftaudit.ingest(store, [path], options)
    file = result.files[0]
    assert (file.format, file.rows_read, file.rows_accepted, file.fast_rows) == (format_name, 50, 50, 50)
    fast = _stored(path, tmp_path / "fast2.duckdb", _with(options, fast=True))
    careful = _stored(path, tmp_path / "careful.duckdb", _with(options, fast=False))
    assert fast == careful
    assert _totals(tmp_path / "fast.duckdb") == EXPECTED_TOTALS[family]


MAPPED_JSONL = DATA / "formats" / "mapped_traces.jsonl"
MAPPED_RECORDS = [json.loads(line) for line in MAPPED_JSONL.read_text().splitlines()]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.sampled_from(MAPPED_RECORDS).flatmap(lambda r: mutated_line(json.loads(json.dumps(r)))),
                min_size=1, max_size=8))
def test_fast_and_careful_paths_store_the_same_for_mapped_jsonl(lines: list[str]) -> None:
    """Lines read through --map, some mutated, some repeated (content-hash ids numbered by occurrence):
    the fast and careful paths store the same."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mapped.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        fast = _stored(path, Path(tmp) / "fast.duckdb", _with(MAPPED, fast=True))
        careful = _stored(path, Path(tmp) / "careful.duckdb", _with(MAPPED, fast=False))
        assert fast == careful
