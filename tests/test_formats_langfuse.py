"""Langfuse observations (log-formats.md §7) through the real CLI into a real DuckDB file.

Expected numbers are computed here from the fixtures by the documented rule: usageDetails keys are
disjoint parts; every key containing "input" is a prompt token; cache keys are spellings of read or
write counts; Vertex `cached_modality_*` is a subset of the input keys; output = keys with "output".
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import ftaudit
from tests.conftest import DATA, Cli, query
from tests.conftest import ingest_file as ingest
from tests.test_fuzz_ingest import JSON_VALUES, _stored, leaf_paths

JSONL = DATA / "formats" / "langfuse_observations.jsonl"
API_PAGE = DATA / "formats" / "langfuse_observations.json"
CSV_EXPORT = DATA / "formats" / "langfuse_observations.csv"
FILES = [JSONL, API_PAGE, CSV_EXPORT]
# (line, reason) of each rejected record; the items of an API page all carry the page's line, 1
REJECTS = {
    JSONL: {(2, "not_a_call"), (6, "not_a_call"), (7, "malformed_json"), (8, "api_error")},
    API_PAGE: {(1, "not_a_call")},
    CSV_EXPORT: {(3, "not_a_call"), (4, "malformed_json")},
}
REJECTED_IDS = {"span-0002", "event-0006", "gen-error-0008", "span-0103", "csv-span-0002", "csv-gen-0003"}


def fixture_records(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(line, observation) for every parseable record, numbers kept as exact Decimal text."""
    if path.suffix == ".csv":
        with path.open(newline="") as handle:
            return [(n, row) for n, row in enumerate(csv.DictReader(handle), start=2)]
    if path.suffix == ".json":
        return [(1, item) for item in json.loads(path.read_text(), parse_float=Decimal)["data"]]
    out = []
    for n, line in enumerate(path.read_text().splitlines(), start=1):
        try:
            out.append((n, json.loads(line, parse_float=Decimal)))
        except ValueError:
            continue
    return out


def as_object(cell: Any) -> dict[str, Any]:
    if isinstance(cell, str):
        return dict(json.loads(cell, parse_float=Decimal)) if cell.strip() else {}
    return dict(cell or {})


def documented_tokens(obs: dict[str, Any]) -> tuple[int, int, int, int, int]:
    """(all prompt tokens, cache read, cache write, output, reasoning) per log-formats.md §7."""
    details = {k: int(v) for k, v in as_object(obs.get("usageDetails")).items() if v is not None}
    inputs = {k: v for k, v in details.items() if "input" in k}
    reads = [v for k, v in inputs.items() if "cache" in k and ("read" in k or "cached" in k)]
    writes = {
        k: v
        for k, v in inputs.items()
        if "cache" in k and ("creation" in k or "write" in k) and not ("read" in k or "cached" in k)
    }
    fresh = sum(v for k, v in inputs.items() if "cache" not in k)
    read = max(reads, default=0)
    plain_writes = [v for k, v in writes.items() if "ephemeral" not in k]
    write = max(plain_writes) if plain_writes else sum(writes.values())
    outputs = [v for k, v in details.items() if "output" in k]
    reasoning = sum(v for k, v in details.items() if k.startswith("output_reasoning"))
    if not inputs:  # legacy totals only
        legacy = as_object(obs.get("usage"))
        prompt = int(legacy.get("input", obs.get("promptTokens") or 0))
        output = int(legacy.get("output", obs.get("completionTokens") or 0))
        return prompt, 0, 0, output, 0
    if not reads and not writes:  # no separate cache: `input` is the total, Vertex cached_* a subset of it
        subset = sum(v for k, v in details.items() if k.startswith("cached_modality"))
        output = sum(outputs) if outputs else int(obs.get("completionTokens") or 0)
        return fresh, subset, 0, output, reasoning
    return fresh + read + write, read, write, sum(outputs), reasoning


def accepted(path: Path) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for _, obs in fixture_records(path):
        if obs["id"] not in REJECTED_IDS:
            out.setdefault("langfuse:" + obs["id"], obs)
    return out


@pytest.mark.parametrize("path", FILES, ids=["jsonl", "api-page", "csv"])
def test_export_is_detected_and_every_row_accounted_for(cli: Cli, db: Path, path: Path) -> None:
    result = ingest(cli, db, path)
    malformed = sum(reason == "malformed_json" for _, reason in REJECTS[path]) if path.suffix == ".jsonl" else 0
    assert result["format"] == "langfuse_observations"
    assert result["rows_read"] == len(fixture_records(path)) + malformed
    assert result["rows_read"] == result["rows_accepted"] + result["rows_rejected"] + result["rows_duplicate"]
    assert result["rows_accepted"] == len(accepted(path))


def test_only_generations_and_embeddings_are_calls(cli: Cli, db: Path) -> None:
    result = ingest(cli, db, JSONL)
    others = [obs for _, obs in fixture_records(JSONL) if obs["type"] not in ("GENERATION", "EMBEDDING")]
    assert result["rejects_by_reason"]["not_a_call"] == len(others) == 2


@pytest.mark.parametrize("path", FILES, ids=["jsonl", "api-page", "csv"])
def test_token_totals_follow_the_documented_rule(cli: Cli, db: Path, path: Path) -> None:
    ingest(cli, db, path)
    expected = [documented_tokens(obs) for obs in accepted(path).values()]
    stored = query(
        db,
        "select sum(input_tokens)::bigint, sum(cache_read_tokens)::bigint, sum(cache_write_tokens)::bigint,"
        " sum(output_tokens)::bigint, sum(reasoning_tokens)::bigint from calls",
    )
    assert stored[0] == tuple(sum(column) for column in zip(*expected, strict=True))


def test_usage_detail_variants(cli: Cli, db: Path) -> None:
    ingest(cli, db, JSONL)
    sql = (
        "select call_id, input_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens,"
        " reasoning_tokens from calls"
    )
    rows = {call_id: list(tokens) for call_id, *tokens in query(db, sql)}
    # OpenAI-shaped ingest: `input` 312 is the uncached part, unlike OpenAI's own prompt_tokens (1848)
    assert rows["langfuse:8f5c0a1e-2b3c-4d5e-8f70-112233445566"] == [312 + 1536, 1536, 0, 0, 41, 0]
    # LangChain + Anthropic: input_cache_creation and cache_creation_input_tokens spell one count
    assert rows["langfuse:gen-anthropic-0003"] == [20 + 4000 + 1200, 4000, 1200, 0, 150, 0]
    # ephemeral 5m + 1h breakdown only
    assert rows["langfuse:gen-ephemeral-0011"] == [12 + 1000 + 2000, 0, 3000, 2000, 30, 0]
    # audio and cache-write details were subtracted from input/output by Langfuse: added back
    assert rows["langfuse:gen-audio-0009"] == [100 + 50 + 64 + 30, 64, 30, 0, 25 + 5 + 10, 5]
    # Vertex via LangChain: cached_modality_* is a subset of input_modality_*
    assert rows["langfuse:gen-vertex-0010"] == [900, 600, 0, 0, 50, 0]
    # legacy export: promptTokens is already the total
    assert rows["langfuse:gen-legacy-0005"] == [500, 0, 0, 0, 80, 0]


@pytest.mark.parametrize("path", FILES, ids=["jsonl", "api-page", "csv"])
def test_cost_is_stored_exactly(cli: Cli, db: Path, path: Path) -> None:
    ingest(cli, db, path)
    stored = dict(query(db, "select call_id, billed_cost_usd from calls"))
    expected = {}
    for call_id, obs in accepted(path).items():
        total = as_object(obs.get("costDetails")).get("total", obs.get("calculatedTotalCost"))
        expected[call_id] = Decimal(str(total)) if total not in (None, "") else None
    assert stored == expected


def test_latency_seconds_become_ms(cli: Cli, db: Path) -> None:
    ingest(cli, db, JSONL)
    latency = dict(query(db, "select call_id, latency_ms from calls"))
    assert latency["langfuse:8f5c0a1e-2b3c-4d5e-8f70-112233445566"] == 900  # "latency": 0.9
    assert latency["langfuse:emb-0004"] == 120  # no latency: endTime - startTime


def test_csv_export_map_cells_and_prefix(cli: Cli, db: Path) -> None:
    ingest(cli, db, CSV_EXPORT)
    (row,) = query(db, "select prefix_hash is not null, hints from calls where call_id = 'langfuse:csv-gen-0001'")
    assert row[0]  # `input` arrives as JSON text of chat messages
    hints = json.loads(row[1])
    assert (hints["feature"], hints["prompt_name"], hints["trace_name"]) == ("faq", "faq", "faq-bot")


def test_rejects_have_reasons_and_lines(cli: Cli, db: Path) -> None:
    for path in FILES:
        ingest(cli, db, path)
    rejects = cli.json("rejects", "--db", db)["rejects"]
    found = {(Path(r["source_file"]), r["source_line"], r["reason"]) for r in rejects}
    assert found == {(path, line, reason) for path, lines in REJECTS.items() for line, reason in lines}


def test_reingesting_and_overlapping_exports_add_nothing(cli: Cli, db: Path) -> None:
    first = ingest(cli, db, JSONL)
    assert ingest(cli, db, JSONL)["already_ingested"]
    page = ingest(cli, db, API_PAGE)  # its first generation is also line 1 of the JSONL export
    assert page["rows_duplicate"] == 1
    assert query(db, "select count(*) from calls")[0][0] == first["rows_accepted"] + page["rows_accepted"]


def _clean_lines() -> list[str]:
    """The JSONL export's lines of accepted observations (first occurrences): a file the fast path may take whole."""
    seen: set[str] = set()
    out = []
    for line in JSONL.read_text().splitlines():
        try:
            obs = json.loads(line)
        except ValueError:
            continue
        if obs["id"] not in REJECTED_IDS and obs["id"] not in seen:
            seen.add(obs["id"])
            out.append(line)
    return out


def test_a_clean_export_is_stored_whole_by_the_fast_path(cli: Cli, db: Path, tmp_path: Path) -> None:
    """Every generation of the export (legacy usage, cache spellings, audio, Vertex subsets, ephemeral
    writes, an embedding): one strict typed read of the file stores them all, as the careful path does."""
    clean = tmp_path / "clean.jsonl"
    clean.write_text("\n".join(_clean_lines()) + "\n", encoding="utf-8")
    result = ingest(cli, db, clean)
    assert (result["fast_path"], result["fast_rows"], result["rows_accepted"]) == (True, 7, 7)
    expected = [documented_tokens(obs) for obs in accepted(JSONL).values()]
    stored = query(
        db,
        "select sum(input_tokens)::bigint, sum(cache_read_tokens)::bigint, sum(cache_write_tokens)::bigint,"
        " sum(output_tokens)::bigint, sum(reasoning_tokens)::bigint from calls",
    )
    assert stored[0] == tuple(sum(column) for column in zip(*expected, strict=True))
    fast = _stored(clean, tmp_path / "fast.duckdb", ftaudit.IngestOptions(fast=True))
    assert fast == _stored(clean, tmp_path / "careful.duckdb", ftaudit.IngestOptions(fast=False))


@st.composite
def observation_file(draw: st.DrawFn) -> list[str]:
    """Clean observations, each with its own id, some with one value replaced or removed (any JSON
    value: numbers with exponents, strings for maps, nulls), so that the whole file often stays valid
    and the whole-file fast stage decides it."""
    records = [json.loads(line) for line in _clean_lines()]
    lines = []
    for n, record in enumerate(draw(st.lists(st.sampled_from(records), min_size=1, max_size=5))):
        record = json.loads(json.dumps(record))
        record["id"] = f"{record['id']}-{n}"
        if draw(st.booleans()):
            path = draw(st.sampled_from([p for p in leaf_paths(record) if p]))
            target: Any = record
            for step in path[:-1]:
                target = target[step]
            if draw(st.booleans()) and isinstance(target, dict):
                del target[path[-1]]
            else:
                target[path[-1]] = draw(JSON_VALUES)
        lines.append(json.dumps(record))
    return lines


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(observation_file())
@example(_clean_lines())
@example([json.dumps({**json.loads(_clean_lines()[0]), "usageDetails": {"input": 1e16, "output": 5, "input_cache_read": None}})])
def test_whole_file_stage_stores_what_the_careful_path_stores(lines: list[str]) -> None:
    """Observation files, some values changed: the fast paths (the whole-file stage first) and the
    careful path alone store the same calls, rejects and ledger counts."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "observations.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        fast = _stored(path, Path(tmp) / "fast.duckdb", ftaudit.IngestOptions(fast=True))
        assert fast == _stored(path, Path(tmp) / "careful.duckdb", ftaudit.IngestOptions(fast=False))


HINT_METADATA = [
    None, {}, {"ls_provider": "openai"}, {"a": 1.0e2, "b": "\u00e9\\/", "c": [1, 2.50], "d": {"e": None}},
    {"name": "from-metadata", "x": 1}, {"tags": ["user", "environment"]}, "{\"feature\": \"faq\", \"n\": 1.0}",
    "not json", [1, 2], 7, True,
]
HINT_TEXTS = [None, "plain", "quote \" and \\ back", "line\nbreak\ttab\u0001", "caf\u00e9 \u2028 \U0001f600", "", "name"]


def test_hints_written_out_are_the_careful_paths_merge(tmp_path: Path) -> None:
    """The whole-file stage writes a record's hints out (the metadata object, then its non-null hint fields)
    instead of merging them: for metadata of every kind (none, empty, numbers the read rewrites, a hint key
    of its own, a JSON text cell, not an object) and field text that JSON escapes, the stored hints are the
    careful path's, text for text."""
    base = json.loads(_clean_lines()[0])
    lines = []
    for n, (meta, text) in enumerate((m, t) for m in HINT_METADATA for t in HINT_TEXTS):
        record = {**base, "id": f"hint-{n}", "metadata": meta, "name": text, "userId": text if n % 2 else None,
                  "sessionId": None if n % 3 else text, "promptVersion": n}
        if meta is None:
            del record["metadata"]
        lines.append(json.dumps(record))
    path = tmp_path / "hints.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fast = _stored(path, tmp_path / "fast.duckdb", ftaudit.IngestOptions(fast=True))
    assert len(fast[0]) == len(lines)
    assert fast == _stored(path, tmp_path / "careful.duckdb", ftaudit.IngestOptions(fast=False))
    with ftaudit.open_store(tmp_path / "whole.duckdb") as store:
        whole = ftaudit.ingest(store, [path]).files[0]
    assert (whole.fast_path, whole.fast_rows) == (True, len(lines))  # the whole-file stage took every record


def test_the_common_key_lists_have_the_bits_of_their_keys(tmp_path: Path) -> None:
    """langfuse_keys_bits answers the key lists Langfuse writes most from constants: each is the bits of its
    keys one by one (langfuse_key_bits), and any other list (another order, a key more) is read key by key."""
    macros = (Path(ftaudit.__file__).parent.parent / "queries/ingest/formats/langfuse/macros_fast_langfuse.sql").read_text()
    common = [json.loads(m.replace("'", '"')) for m in re.findall(r"when keys = (\[[^\]]*\])", macros)]
    assert len(common) == 5  # the lists the macro names
    lists = common + [list(reversed(keys)) for keys in common] + [[*keys, "input_cache_read"] for keys in common]
    with ftaudit.open_store(tmp_path / "bits.duckdb") as store:
        for keys in lists:
            got, one_by_one = store.con.execute(
                "select langfuse_keys_bits(?::varchar[]), list_transform(?::varchar[], lambda k: langfuse_key_bits(k))",
                [keys, keys],
            ).fetchone() or (None, None)
            assert got == one_by_one and got is not None and len(got) == len(keys), keys
        (openai_shaped,) = store.con.execute("select langfuse_keys_bits(?::varchar[])", [common[0]]).fetchone() or (None,)
    # the documented rule by hand: input 1, cached input 2 (a read), output 64, reasoning 64 + 128, total nothing
    assert (common[0], openai_shaped) == (["input", "input_cached_tokens", "output", "output_reasoning_tokens", "total"],
                                          [1, 2, 64, 192, 0])


def test_a_large_export_with_prompts_is_sampled_for_its_prefixes_and_one_without_is_not(tmp_path: Path) -> None:
    """An export larger than the head ftaudit samples, whose observations carry their chat messages: every
    prefix hash is the md5 of the prefix's JSON text (hashlib here), as the careful path stores it. Its head
    holds a prompt `input` (a list), so the prefix sample runs; the fixture export's head (usage only: its
    usageDetails `"input": 312` is a count) does not, so the whole-file path skips the sample."""
    from ftaudit.ingest.formats.registry import reader_named
    from ftaudit.ingest.prefix_sample import SAMPLE_BYTES

    base = json.loads(_clean_lines()[0])
    policy = "Policy clause: refunds within 30 days, exchanges within 60 days. " * 20
    systems = [f"You are ticket classifier {k}. {policy}" for k in range(3)]
    lines, expected = [], []
    for i in range(1500):
        messages = [{"role": "system", "content": systems[i % 3]}, {"role": "user", "content": f"Ticket {i}"}]
        lines.append(json.dumps({**base, "id": f"obs-{i}", "input": messages if i % 2 else {"messages": messages}}))
        prefix = "[" + json.dumps(messages[0], separators=(",", ":")) + "]"
        expected.append(hashlib.md5(prefix.encode()).hexdigest())
    path = tmp_path / "observations.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size > SAMPLE_BYTES
    with ftaudit.open_store(tmp_path / "fast.duckdb") as store:
        whole = ftaudit.ingest(store, [path]).files[0]
        hashes = [h for (h,) in store.con.execute("select prefix_hash from calls order by source_line").fetchall()]
    assert (whole.fast_path, whole.fast_rows, hashes) == (True, 1500, expected)
    assert _stored(path, tmp_path / "f.duckdb", ftaudit.IngestOptions(fast=True)) == _stored(
        path, tmp_path / "careful.duckdb", ftaudit.IngestOptions(fast=False))
    marker = reader_named("langfuse_observations").fast.prefix_marker  # type: ignore[union-attr]
    assert isinstance(marker, re.Pattern)
    assert marker.search(path.read_bytes()[:SAMPLE_BYTES]) and not marker.search(JSONL.read_bytes())
