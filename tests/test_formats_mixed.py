"""One folder holding a file of every supported format, mixed: each file is detected as its format,
and each file's token totals are the same as when it is ingested alone (those are checked against
the fixture, by the documented rule, in tests/test_formats_*.py and tests/test_ingest.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

import ftaudit
from tests.conftest import DATA, Cli

EXPECTED_FORMAT = {
    "openai/chat_pairs.jsonl": "openai_chat",
    "openai/responses_array.json": "openai_responses",
    "openai/batch_input.jsonl": "openai_batch_input",
    "openai/batch_output.jsonl": "openai_batch_output",
    "formats/anthropic_messages_wrapped.jsonl": "anthropic_messages",
    "formats/anthropic_usage_report.json": "anthropic_usage_report",
    "formats/gemini_vertex.jsonl": "gemini",
    "formats/gemini_sdk_snake_case.json": "gemini",
    "formats/bedrock_invocations.jsonl": "bedrock_invocations",
    "formats/litellm_spendlogs.csv": "litellm_spend_logs",
    "formats/litellm_spend_logs.json": "litellm_spend_logs",
    "formats/langfuse_observations.jsonl": "langfuse_observations",
    "formats/langfuse_observations.csv": "langfuse_observations",
    "formats/helicone_export.jsonl": "helicone_requests",
    "formats/helicone_export.csv": "helicone_requests",
    "formats/openrouter_generations.jsonl": "openrouter_generation",
    "formats/openrouter_activity.json": "openrouter_activity",
    "formats/openai_usage_completions.json": "openai_usage_completions",
    "formats/openai_costs.json": "openai_costs",
}

TOTALS = (
    "select source_file, sum(input_tokens)::bigint, sum(cache_read_tokens)::bigint, sum(cache_write_tokens)::bigint, "
    "sum(output_tokens)::bigint, sum(billed_cost_usd) from calls group by source_file order by source_file"
)


def test_every_format_in_one_folder(cli: Cli, db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    for i, relative in enumerate(sorted(EXPECTED_FORMAT)):
        # names say nothing about the format: detection is by content only
        shutil.copy(DATA / relative, folder / f"export_{i:02d}{Path(relative).suffix}")
    summary = cli.json("ingest", folder, "--db", db)
    detected = {Path(f["path"]).name: f["format"] for f in summary["files"]}
    expected = {f"export_{i:02d}{Path(r).suffix}": EXPECTED_FORMAT[r] for i, r in enumerate(sorted(EXPECTED_FORMAT))}
    assert detected == expected
    for f in summary["files"]:
        assert f["rows_read"] == f["rows_accepted"] + f["rows_rejected"] + f["rows_duplicate"]
    assert {r.name for r in ftaudit.readers()} - set(EXPECTED_FORMAT.values()) == {"mapped"}  # every reader covered

    with duckdb.connect(str(db), read_only=True) as con:
        mixed = {Path(row[0]).name: row[1:] for row in con.execute(TOTALS).fetchall()}
    for i, relative in enumerate(sorted(EXPECTED_FORMAT)):
        name = f"export_{i:02d}{Path(relative).suffix}"
        alone_db = tmp_path / f"alone_{i}.duckdb"
        alone_dir = tmp_path / f"alone_{i}"
        alone_dir.mkdir()
        shutil.copy(folder / name, alone_dir / name)
        if EXPECTED_FORMAT[relative] == "openai_batch_output":  # its prefix comes from the input file
            shutil.copy(DATA / "openai/batch_input.jsonl", alone_dir / "input.jsonl")
        cli.json("ingest", alone_dir, "--db", alone_db)
        with duckdb.connect(str(alone_db), read_only=True) as con:
            alone = {Path(row[0]).name: row[1:] for row in con.execute(TOTALS).fetchall()}
        assert mixed.get(name) == alone.get(name), relative
