"""Bedrock invocation-log reader (log-formats.md §10) through the real CLI into a real DuckDB file.

Expected totals come from the fixture parsed here with `json` and the documented rule: for Claude,
cacheRead/cacheWriteInputTokenCount are outside inputTokenCount, so the prompt is their sum.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.conftest import DATA, Cli, query

INVOCATIONS = DATA / "formats" / "bedrock_invocations.jsonl"

TOKENS = ("input_tokens", "cache_read_tokens", "cache_write_tokens", "output_tokens")

REJECTS = [(7, "malformed_json"), (8, "missing_field"), (9, "malformed_json")]
DUPLICATES = frozenset({5})  # line 1 delivered twice


def ingest(cli: Cli, db: Path, *flags: str) -> dict[str, Any]:
    summary = cli.json("ingest", "--db", db, *flags, INVOCATIONS)
    (file,) = summary["files"]
    assert file["rows_read"] == file["rows_accepted"] + file["rows_rejected"] + file["rows_duplicate"]
    return dict(file)


def stored_call(db: Path, call_id: str) -> dict[str, Any]:
    columns = ("ts", "model", "workload", "cache_write_1h_tokens", *TOKENS)
    rows = query(db, f"select {', '.join(columns)} from calls where call_id = ?", call_id)
    assert len(rows) == 1, f"{call_id}: {len(rows)} rows"
    return dict(zip(columns, rows[0], strict=True))


def expected_totals() -> dict[str, int]:
    totals = dict.fromkeys(TOKENS, 0)
    bad = {line for line, _ in REJECTS} | DUPLICATES
    for number, text in enumerate(INVOCATIONS.read_text(encoding="utf-8").splitlines(), start=1):
        if number in bad:
            continue
        record = json.loads(text)
        read = record["input"].get("cacheReadInputTokenCount", 0)
        write = record["input"].get("cacheWriteInputTokenCount", 0)
        totals["input_tokens"] += record["input"]["inputTokenCount"] + read + write
        totals["cache_read_tokens"] += read
        totals["cache_write_tokens"] += write
        totals["output_tokens"] += record["output"]["outputTokenCount"]
    return totals


def test_every_line_is_accounted_for(cli: Cli, db: Path) -> None:
    file = ingest(cli, db)
    assert file["format"] == "bedrock_invocations"
    assert (file["rows_read"], file["rows_accepted"], file["rows_rejected"], file["rows_duplicate"]) == (9, 5, 3, 1)
    found = sorted((r["source_line"], r["reason"]) for r in cli.json("rejects", "--db", db)["rejects"])
    assert found == REJECTS  # 8: no output.outputTokenCount


def test_token_totals_follow_the_documented_rule(cli: Cli, db: Path) -> None:
    ingest(cli, db)
    row = query(db, f"select {', '.join(f'sum({c})::bigint' for c in TOKENS)} from calls")[0]
    assert dict(zip(TOKENS, row, strict=True)) == expected_totals()


def test_cache_counts_are_added_to_input(cli: Cli, db: Path) -> None:
    ingest(cli, db)
    write = stored_call(db, "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111")  # the documented 3 + 25,037 write
    assert (write["input_tokens"], write["cache_write_tokens"], write["output_tokens"]) == (25040, 25037, 13)
    read = stored_call(db, "b2c3d4e5-6789-01bc-def0-EXAMPLE22222")  # input 100 + cache read 2,000
    assert (read["input_tokens"], read["cache_read_tokens"]) == (2100, 2000)
    assert read["ts"] == datetime(2025, 1, 15, 12, 0, 41, tzinfo=UTC)
    # the 1h share of a Claude cache write is read from the provider's own usage in outputBodyJson
    invoke = stored_call(db, "c3d4e5f6-7890-12cd-ef01-EXAMPLE33333")
    assert (invoke["input_tokens"], invoke["cache_write_tokens"], invoke["cache_write_1h_tokens"]) == (2220, 1800, 1200)
    nova = stored_call(db, "d4e5f6a7-8901-23de-f012-EXAMPLE44444")  # no cache fields at all
    assert (nova["input_tokens"], nova["cache_read_tokens"], nova["cache_write_tokens"]) == (1500, 0, 0)


def test_model_id_is_kept_as_logged(cli: Cli, db: Path) -> None:
    ingest(cli, db)
    assert stored_call(db, "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111")["model"] == "us.anthropic.claude-sonnet-4-20250514-v1:0"
    profile = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/k9xq2hz7b3mp"
    assert stored_call(db, "e5f6a7b8-9012-34ef-0123-EXAMPLE55555")["model"] == profile
    assert query(db, "select distinct provider from calls") == [("bedrock",)]


def test_request_metadata_names_workloads(cli: Cli, db: Path) -> None:
    ingest(cli, db, "--workload-from", "team")
    workloads = dict(query(db, "select call_id, workload from calls"))
    assert workloads["a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"] == "search"
    assert workloads["b2c3d4e5-6789-01bc-def0-EXAMPLE22222"] == "search"
    assert workloads["e5f6a7b8-9012-34ef-0123-EXAMPLE55555"] == "support"
    # untagged calls fall back to their system prompt, else their model
    assert workloads["c3d4e5f6-7890-12cd-ef01-EXAMPLE33333"].startswith("prefix-")
    assert workloads["d4e5f6a7-8901-23de-f012-EXAMPLE44444"] == "amazon.nova-lite-v1:0"
    (hints,) = query(db, "select hints from calls where call_id = ?", "e5f6a7b8-9012-34ef-0123-EXAMPLE55555")[0]
    assert json.loads(hints) == {
        "operation": "InvokeModelWithResponseStream",
        "team": "support",
        "env": "prod",
        "identity_arn": "arn:aws:sts::123456789012:assumed-role/app-role/session",
    }
