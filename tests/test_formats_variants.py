"""Issue 12's real-world variants, each from a fixture written from the documented shape
(tests/data/formats/variants/), through the real CLI into a real DuckDB file.

Expected numbers are counted by hand from the fixtures (the comments say how). Every variant is also
ingested a second time with the fast paths off: both paths must store the same calls and rejects.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

import ftaudit
from tests.conftest import DATA, Cli, query, rejects
from tests.conftest import ingest_file as ingest

VARIANTS = DATA / "formats" / "variants"
TOKENS = "call_id, provider, model, input_tokens, cache_read_tokens, output_tokens, reasoning_tokens"


def calls(db: Path) -> list[tuple[Any, ...]]:
    return query(db, f"select {TOKENS} from calls order by source_line")


def counts(file: dict[str, Any]) -> tuple[int, int, int, int, int]:
    return (file["rows_read"], file["rows_accepted"], file["rows_rejected"], file["rows_duplicate"], file["rows_superseded"])


def assert_paths_agree(path: Path, tmp_path: Path, options: ftaudit.IngestOptions | None = None) -> None:
    """The fast paths (whole file, clean lines) and the careful path alone store the same rows."""
    stored = []
    for fast in (True, False):
        db = tmp_path / f"paths-{fast}.duckdb"
        base = options or ftaudit.IngestOptions()
        with ftaudit.open_store(db) as store:
            result = ftaudit.ingest(store, [path], ftaudit.IngestOptions(**{**base.__dict__, "fast": fast}))
        with duckdb.connect(str(db), read_only=True) as con:
            rows = con.execute("select * exclude (file_id, source_file, ingested_at) from calls order by source_line").fetchall()
            bad = con.execute("select source_line, reason, detail from rejects order by source_line").fetchall()
        summary = result.summary()
        stored.append((rows, bad, summary["rows_superseded"], summary["rows_duplicate"]))
    assert stored[0] == stored[1]


# -- 1. Gemini / Vertex streamed responses logged chunk by chunk --------------------------------------


def test_gemini_stream_chunks_are_one_call_per_response_with_the_final_usage(cli: Cli, db: Path, tmp_path: Path) -> None:
    """8 lines: response A in 3 chunks (8 prompt, then 5 candidates), B in 3 chunks (1210 prompt of which
    1024 cached, 31 candidates + 96 thoughts at the end), C in one, one cut-off line. The early chunks
    (no candidatesTokenCount) are superseded: not missing_field, not conflicting_duplicate."""
    path = VARIANTS / "gemini_vertex_stream_chunks.jsonl"
    file = ingest(cli, db, path)
    assert file["format"] == "gemini"
    assert counts(file) == (8, 3, 1, 0, 4)
    assert file["rejects_by_reason"] == {"malformed_json": 1}
    assert rejects(cli, db) == [(7, "malformed_json")]
    assert calls(db) == [
        ("q8CXaOXgLsXm7M8P2rKo4Ag", "google", "gemini-2.5-flash", 8, 0, 5, 0),
        ("r9DYbPYhMtYn8N9Q3sLp5Bh", "google", "gemini-2.5-flash", 1210, 1024, 31 + 96, 96),
        ("s1EZcQZiNuZo9O1R4tMq6Ci", "google", "gemini-2.0-flash-001", 300, 0, 4, 0),
    ]
    # the final chunk of each response is the call's line
    assert query(db, "select source_line from calls order by source_line") == [(4,), (6,), (8,)]
    again = ingest(cli, db, path)
    assert again["already_ingested"] and counts(again) == (8, 0, 0, 8, 0)
    assert_paths_agree(path, tmp_path)


def test_superseded_snapshots_keep_the_accounting_identity_in_ledger_and_report(cli: Cli, db: Path, tmp_path: Path) -> None:
    ingest(cli, db, VARIANTS / "gemini_vertex_stream_chunks.jsonl")
    ledger = query(db, "select rows_read, rows_accepted, rows_rejected, rows_duplicate, rows_superseded from ingested_files")
    assert ledger == [(8, 3, 1, 0, 4)]
    out = tmp_path / "report.html"
    cli("report", "--db", db, "--out", out)
    twin = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    totals = twin["data_quality"]["totals"]
    assert (totals["rows_read"], totals["rows_superseded"]) == (8, 4)
    assert totals["rows_read"] == totals["rows_accepted"] + totals["rows_rejected"] + totals["rows_duplicate"] + 4
    assert twin["data_quality"]["files"][0]["rows_superseded"] == 4
    assert "superseded" in out.read_text(encoding="utf-8")


# -- 4. the final streaming chunk of a Chat Completion ---------------------------------------------


def test_chat_completion_chunks_are_detected_and_only_the_usage_chunk_is_a_call(cli: Cli, db: Path, tmp_path: Path) -> None:
    """10 chunk lines, no --format: stream X (5 chunks, usage on the last: 1117 prompt, 1024 cached, 46
    out), stream Y (4 chunks: 250 prompt, 7 out), a vLLM-style stream Z with running usage on both
    chunks (11 then 12 tokens). 3 calls; the 7 other chunks are counted, not rejected."""
    path = VARIANTS / "openai_chat_stream_chunks.jsonl"
    file = ingest(cli, db, path)
    assert file["format"] == "openai_chat"
    assert counts(file) == (10, 3, 0, 0, 7)
    assert rejects(cli, db) == []
    assert calls(db) == [
        ("chatcmpl-BXq9VhN0bU7rYp3mZ2k1", "openai", "gpt-4o-mini-2024-07-18", 1117, 1024, 46, 0),
        ("chatcmpl-BXqA1cD2eF3gH4iJ5kL6", "openai", "gpt-4o-mini-2024-07-18", 250, 0, 7, 0),
        ("chatcmpl-vllm-8f1c2a", "openai", "meta-llama/Llama-3.1-8B-Instruct", 10, 0, 2, 0),
    ]
    assert query(db, "select source_line from calls order by source_line") == [(5,), (8,), (10,)]
    assert_paths_agree(path, tmp_path)


# -- 8. Responses API background polling -----------------------------------------------------------


def test_background_response_polls_are_superseded_by_the_completed_response(cli: Cli, db: Path, tmp_path: Path) -> None:
    """8 polls: R1 queued, in_progress twice, completed (5200 in, 4096 cached, 2400 out of which 1920
    reasoning); R2 queued, in_progress, completed (328 in, 52 out); R3 only queued. 2 calls, 6 superseded."""
    path = VARIANTS / "openai_responses_background.jsonl"
    file = ingest(cli, db, path)
    assert file["format"] == "openai_responses"
    assert counts(file) == (8, 2, 0, 0, 6)
    assert calls(db) == [
        ("resp_68a1b2c3d4e5f60718293a4b", "openai", "o3-2025-04-16", 5200, 4096, 2400, 1920),
        ("resp_68a1b2c3d4e5f60718293a4c", "openai", "o3-2025-04-16", 328, 0, 52, 0),
    ]
    summary = cli.json("ingest", path, "--db", tmp_path / "other.duckdb")
    assert summary["rows_superseded"] == 6
    assert summary["rows_read"] == summary["rows_accepted"] + summary["rows_rejected"] + summary["rows_duplicate"] + 6
    assert_paths_agree(path, tmp_path)


# -- 3. OpenRouter's usage.cost ---------------------------------------------------------------------


def test_openrouter_usage_cost_is_the_billed_cost(cli: Cli, db: Path, tmp_path: Path) -> None:
    """OpenRouter Chat Completion, final stream chunk and Responses objects with usage accounting:
    usage.cost (USD charged) is stored as billed_cost_usd, exactly; a plain OpenAI line beside them has
    none; a cost that is not a number is a bad_type reject."""
    path = VARIANTS / "openrouter_usage_cost.jsonl"
    file = ingest(cli, db, path)
    assert counts(file) == (5, 4, 1, 0, 0)
    assert rejects(cli, db) == [(5, "bad_type")]
    rows = query(db, "select call_id, provider, model, billed_cost_usd from calls order by source_line")
    assert rows == [
        ("gen-1754474400-Xq3kT8vYb2LmN5pR7sWd", "openrouter", "openai/gpt-4o-mini", Decimal("0.000204")),
        ("gen-1754474460-Ab9cD8eF7gH6iJ5kL4mN", "openrouter", "anthropic/claude-sonnet-4", Decimal("0.01275")),
        ("gen-1754474520-Qr1sT2uV3wX4yZ5aB6cD", "openrouter", "openai/o4-mini", Decimal("0.00451")),
        ("chatcmpl-BXq9VhN0bU7rYp3mZ2k9", "openai", "gpt-4o-mini-2024-07-18", None),
    ]
    billed = query(db, "select sum(billed_cost_usd) from calls")[0][0]
    assert billed == Decimal("0.000204") + Decimal("0.01275") + Decimal("0.00451")
    # tokens as logged: the Responses object's 900 output tokens include its 768 reasoning tokens
    assert query(db, "select output_tokens, reasoning_tokens from calls where source_line = 3") == [(900, 768)]
    assert_paths_agree(path, tmp_path)


def test_openrouter_billed_cost_is_reconciled_by_the_replay(cli: Cli, db: Path) -> None:
    """Replayed as logged (genai-prices' OpenRouter rates): claude-sonnet-4 3000 x $3 + 250 x $15 per 1M =
    $0.01275 and o4-mini 500 x $1.10 + 900 x $4.40 per 1M = $0.00451, as billed; gpt-4o-mini 176 x $0.15 +
    1024 cached x $0.075 + 40 x $0.60 per 1M = $0.0001272 against $0.000204 billed: named in a warning."""
    ingest(cli, db, VARIANTS / "openrouter_usage_cost.jsonl")
    out = cli.json("replay", "--db", db, "--fine-tuned-model", "ft:gpt-4o-mini-2024-07-18", "--training-cost", "1")
    by_model = {r["model"]: r for r in out["reconciliation"]["by_model"]}
    assert {m: (Decimal(r["billed_cost_usd"]), Decimal(r["replayed_cost_usd"])) for m, r in by_model.items()} == {
        "anthropic/claude-sonnet-4": (Decimal("0.01275"), (3000 * Decimal("3") + 250 * Decimal("15")) / 10**6),
        "openai/o4-mini": (Decimal("0.00451"), (500 * Decimal("1.10") + 900 * Decimal("4.40")) / 10**6),
        "openai/gpt-4o-mini": (
            Decimal("0.000204"),
            (176 * Decimal("0.15") + 1024 * Decimal("0.075") + 40 * Decimal("0.60")) / 10**6,
        ),
    }
    (warning,) = [w for w in out["warnings"] if "0.5%" in w]
    assert "openai/gpt-4o-mini" in warning and "claude" not in warning


# -- 5. OpenAI-compatible endpoints that count reasoning only in total_tokens -----------------------


def test_reasoning_only_in_total_tokens_is_billed_output(cli: Cli, db: Path, tmp_path: Path) -> None:
    """Gemini's OpenAI-compatible endpoint: completion_tokens 1, prompt_tokens 8, total_tokens 417, so
    output = 417 - 8 = 409 of which 408 reasoning; a line whose total is prompt + completion is as
    logged; 2904 - 1500 = 1404 output, 1384 reasoning, 1024 cached of 1500."""
    path = VARIANTS / "gemini_openai_compat.jsonl"
    file = ingest(cli, db, path)
    assert file["format"] == "openai_chat"
    assert counts(file) == (3, 3, 0, 0, 0)
    assert calls(db) == [
        ("mJ4uaPzXHs2zz7IP5b6T4Qc", "openai", "gemini-2.5-flash", 8, 0, 409, 408),
        ("nK5vbQaYIt3A0_8Pm8yE6Ac", "openai", "gemini-2.0-flash", 12, 0, 3, 0),
        ("oL6wcRbZJu4B1_9Qn9zF7Bd", "openai", "gemini-2.5-pro", 1500, 1024, 1404, 1384),
    ]
    assert_paths_agree(path, tmp_path)


# -- 2. Anthropic Message Batches results carry no time ----------------------------------------------

BATCH_DIR = VARIANTS / "anthropic_batch"
BATCH_RESULTS = BATCH_DIR / "msgbatch_01HkcTjaV5uDC8jWR4ZsDV8d_results.jsonl"
# 3 succeeded (input 11, 10 + 2048 written, 25 + 2048 read; output 36 + 34 + 120), 1 errored, 1 expired
BATCH_CALLS = [
    ("msg_014VwiXbi91y3JMjcpyGBHX5", "anthropic", "claude-sonnet-4-20250514", 11, 0, 36, 0),
    ("msg_01FqfsLoHwgeFbguDgpz48m7", "anthropic", "claude-sonnet-4-20250514", 10 + 2048, 0, 34, 0),
    ("msg_01GrgtMpIxhfGchvEhqa59n8", "anthropic", "claude-3-5-haiku-20241022", 25 + 2048, 2048, 120, 0),
]


def test_batch_results_take_ended_at_from_the_batch_object_beside_them(cli: Cli, db: Path) -> None:
    summary = cli.json("ingest", BATCH_DIR, "--db", db)
    assert summary["skipped"] == [
        f"{BATCH_DIR / 'msgbatch_01HkcTjaV5uDC8jWR4ZsDV8d.json'}: an Anthropic Message Batch "
        "object (its ended_at times the results beside it)"
    ]
    (file,) = summary["files"]
    assert counts(file) == (5, 3, 2, 0, 0)
    assert file["rejects_by_reason"] == {"api_error": 2}
    assert calls(db) == BATCH_CALLS
    ended = datetime(2025, 8, 5, 3, 12, 40, 451218, tzinfo=UTC)
    assert query(db, "select distinct ts, is_batch from calls") == [(ended, True)]
    assert query(db, "select sum(cache_write_tokens)::bigint from calls") == [(2048,)]


def test_batch_results_take_the_ts_flag(cli: Cli, db: Path, tmp_path: Path) -> None:
    alone = tmp_path / "results.jsonl"
    alone.write_bytes(BATCH_RESULTS.read_bytes())
    file = ingest(cli, db, alone, "--ts", "2025-08-05T04:00:00Z")
    assert counts(file) == (5, 3, 2, 0, 0)
    assert query(db, "select distinct ts from calls") == [(datetime(2025, 8, 5, 4, tzinfo=UTC),)]
    assert calls(db) == BATCH_CALLS
    assert_paths_agree(alone, tmp_path, ftaudit.IngestOptions(ts=datetime(2025, 8, 5, 4, tzinfo=UTC)))


def test_an_implausible_ts_is_a_usage_error(cli: Cli, db: Path) -> None:
    result = cli("ingest", BATCH_RESULTS, "--db", db, "--ts", "2001-01-01")
    assert result.exit_code == 2 and "--ts 2001-01-01T00:00:00+00:00 is not a plausible call time" in result.stderr


def test_batch_results_without_any_time_are_one_error_naming_the_flag(cli: Cli, db: Path, tmp_path: Path) -> None:
    alone = tmp_path / "results.jsonl"
    alone.write_bytes(BATCH_RESULTS.read_bytes())
    result = cli("ingest", alone, "--db", db)
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"ftaudit: error: {alone}: 3 Anthropic Message Batches result(s) carry no time: pass --ts TIMESTAMP"
    assert "ended_at" in lines[1] and "beside the results" in lines[1] and len(lines) == 2
    stored = "select (select count(*) from calls), (select count(*) from rejects), (select count(*) from ingested_files)"
    assert query(db, stored) == [(0, 0, 0)]


# -- 6. Usage API pages exported without group_by=model ------------------------------------------------

UNGROUPED = VARIANTS / "usage_without_group_by"


def test_usage_pages_without_model_are_one_error_per_file_saying_to_regroup(cli: Cli, db: Path) -> None:
    page = UNGROUPED / "usage_completions_page_2.json"
    result = cli("ingest", page, "--db", db)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("ftaudit: error:")]
    # page 2: two buckets of one result each, model null (not grouped by model)
    assert errors == [f"ftaudit: error: {page}: 2 Usage API bucket result(s) have no model: re-export with group_by=model"]
    assert "cannot be priced" in result.stderr
    assert query(db, "select (select count(*) from calls), (select count(*) from rejects)") == [(0, 0)]


def test_other_files_of_the_run_are_ingested_beside_refused_pages(cli: Cli, db: Path, tmp_path: Path) -> None:
    for source in [*UNGROUPED.iterdir(), DATA / "formats" / "openai_usage_completions.json"]:
        (tmp_path / source.name).write_bytes(source.read_bytes())
    result = cli("ingest", tmp_path, "--db", db, "--json")
    assert result.exit_code == 1
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("ftaudit: error:")]
    # page 1 has 2 results (one bucket is idle), page 2 has 2
    assert error.startswith("ftaudit: error: 2 files refused: ")
    assert f"{tmp_path / 'usage_completions_page_1.json'}: 2 Usage API bucket result(s) have no model" in error
    assert f"{tmp_path / 'usage_completions_page_2.json'}: 2 Usage API bucket result(s) have no model" in error
    summary = json.loads(result.stdout)
    assert [(Path(f["path"]).name, f["rows_accepted"]) for f in summary["files"]] == [("openai_usage_completions.json", 4)]
    assert query(db, "select count(*) from calls") == [(4,)]


# -- 7. the older LiteLLM /spend/logs JSON schema (2024 releases) ---------------------------------------


def test_litellm_spend_logs_of_2024_are_recognised(cli: Cli, db: Path, tmp_path: Path) -> None:
    """May 2024: metadata / request_tags null, messages as JSON text, no model_group / provider / status,
    times without a zone (UTC); a response-cache hit (model '', 0 tokens) is not a priced call."""
    path = VARIANTS / "litellm_spend_logs_2024.json"
    file = ingest(cli, db, path)
    assert file["format"] == "litellm_spend_logs"
    assert counts(file) == (3, 2, 1, 0, 0)
    assert file["rejects_by_reason"] == {"missing_field": 1}
    rows = query(db, "select call_id, ts, model, input_tokens, output_tokens, billed_cost_usd from calls order by ts")
    assert rows == [
        (
            "litellm:chatcmpl-9QkYvZ5dJ3mXeL2bN8oP1qR4sT6u",
            datetime(2024, 5, 22, 18, 22, 39, 123000, tzinfo=UTC),
            "gpt-3.5-turbo-0125",
            1020,
            170,
            Decimal("0.000165"),
        ),
        (
            "litellm:chatcmpl-9QkZ0aB1cD2eF3gH4iJ5kL6mN7oP",
            datetime(2024, 5, 22, 18, 25, 2, 10000, tzinfo=UTC),
            "gpt-4-turbo-2024-04-09",
            2100,
            210,
            Decimal("0.01542"),
        ),
    ]
    assert_paths_agree(path, tmp_path)


def test_litellm_spend_logs_of_january_2024_with_a_usage_column_are_recognised(cli: Cli, db: Path, tmp_path: Path) -> None:
    """LiteLLM v1.2x: no token columns, `usage` {prompt_tokens 14, completion_tokens 20} and
    `modelParameters` instead; spend 7.2e-05 is stored exactly as $0.000072."""
    path = VARIANTS / "litellm_spend_logs_2024_01.json"
    file = ingest(cli, db, path)
    assert file["format"] == "litellm_spend_logs"
    assert counts(file) == (2, 2, 0, 0, 0)
    rows = query(db, "select model, input_tokens, output_tokens, billed_cost_usd from calls order by ts")
    assert rows == [("gpt-3.5-turbo-0613", 14, 20, Decimal("0.000072")), ("gpt-4-0613", 29, 16, Decimal("0.00183"))]
    assert query(db, "select sum(billed_cost_usd) from calls") == [(Decimal("0.000072") + Decimal("0.00183"),)]
    assert_paths_agree(path, tmp_path)
