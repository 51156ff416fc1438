"""Ingestion promises of the foundation issue: counts add up, nothing is lost, re-reads add nothing,
formats are detected from content, the real traces ingest with the README's commands."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

import ftaudit
from tests.conftest import DATA, REAL_TRACES, Cli, needs_real_traces, query

OPENAI = DATA / "openai"


def assert_counts_add_up(summary: dict[str, object]) -> None:
    files = summary["files"]
    assert isinstance(files, list)
    for f in files:
        assert f["rows_read"] == f["rows_accepted"] + f["rows_rejected"] + f["rows_duplicate"], f


# The README's command for both Azure traces (same columns).
AZURE_ARGS = [
    *("--map", "ts=TIMESTAMP", "--map", "input_tokens=ContextTokens", "--map", "output_tokens=GeneratedTokens"),
    *("--model", "gpt-4o-2024-08-06"),
]


@needs_real_traces()
@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        (
            "AzureLLMInferenceTrace_conv.csv",
            AZURE_ARGS,
            19_366,
        ),
        (
            "AzureLLMInferenceTrace_code.csv",
            AZURE_ARGS,
            8_819,
        ),
        (
            "conversation_trace.jsonl",
            [
                "--map",
                "ts=timestamp",
                "--map",
                "input_tokens=input_length",
                "--map",
                "output_tokens=output_length",
                "--ts-unit",
                "ms",
                "--start",
                "2026-01-05T00:00:00Z",
                "--model",
                "gpt-4o-mini-2024-07-18",
            ],
            12_031,
        ),
    ],
)
def test_real_traces_ingest_every_call(cli: Cli, db: Path, name: str, args: list[str], expected: int) -> None:
    summary = cli.json("ingest", REAL_TRACES / name, "--db", db, *args)
    assert summary["rows_accepted"] == expected
    assert summary["rows_rejected"] == 0
    assert query(db, "select count(*) from calls")[0][0] == expected
    if name.startswith("conversation"):
        # relative milliseconds shifted to the given start: the trace spans one hour
        first, last = query(db, "select min(ts), max(ts) from calls")[0]
        assert str(first).startswith("2026-01-05 00:00:00")
        assert (last - first).total_seconds() == pytest.approx(3537, abs=1)  # type: ignore[operator]


@needs_real_traces()
def test_mapped_tokens_equal_the_trace(cli: Cli, db: Path) -> None:
    path = REAL_TRACES / "AzureLLMInferenceTrace_code.csv"
    cli.json(
        "ingest",
        path,
        "--db",
        db,
        "--map",
        "ts=TIMESTAMP",
        "--map",
        "input_tokens=ContextTokens",
        "--map",
        "output_tokens=GeneratedTokens",
        "--model",
        "m",
    )
    lines = path.read_text().splitlines()[1:]
    expected_in = sum(int(line.split(",")[1]) for line in lines)
    expected_out = sum(int(line.split(",")[2]) for line in lines)
    assert query(db, "select sum(input_tokens)::bigint, sum(output_tokens)::bigint from calls")[0] == (expected_in, expected_out)


def test_same_file_twice_is_all_duplicates(cli: Cli, db: Path) -> None:
    first = cli.json("ingest", OPENAI / "chat_responses.jsonl", "--db", db)
    assert first["rows_accepted"] == 20
    second = cli.json("ingest", OPENAI / "chat_responses.jsonl", "--db", db)
    assert (second["rows_read"], second["rows_accepted"], second["rows_duplicate"]) == (20, 0, 20)
    assert query(db, "select count(*) from calls")[0][0] == 20
    assert query(db, "select count(*) from ingested_files")[0][0] == 2


def test_overlapping_export_is_deduplicated_by_call_id(cli: Cli, db: Path, tmp_path: Path) -> None:
    lines = (OPENAI / "chat_responses.jsonl").read_text().splitlines()
    (tmp_path / "week1.jsonl").write_text("\n".join(lines[:12]) + "\n")
    (tmp_path / "week2.jsonl").write_text("\n".join(lines[8:]) + "\n")
    a = cli.json("ingest", tmp_path / "week1.jsonl", "--db", db)
    b = cli.json("ingest", tmp_path / "week2.jsonl", "--db", db)
    assert (a["rows_accepted"], b["rows_accepted"], b["rows_duplicate"]) == (12, 8, 4)
    assert query(db, "select count(*), count(distinct call_id) from calls")[0] == (20, 20)


def test_conflicting_duplicate_is_rejected(cli: Cli, db: Path, tmp_path: Path) -> None:
    record = json.loads((OPENAI / "chat_responses.jsonl").read_text().splitlines()[0])
    changed = json.loads(json.dumps(record))
    changed["usage"]["prompt_tokens"] += 1
    (tmp_path / "a.jsonl").write_text(json.dumps(record) + "\n" + json.dumps(changed) + "\n" + json.dumps(record) + "\n")
    summary = cli.json("ingest", tmp_path / "a.jsonl", "--db", db)
    assert (summary["rows_accepted"], summary["rows_rejected"], summary["rows_duplicate"]) == (1, 1, 1)
    assert summary["rejects_by_reason"] == {"conflicting_duplicate": 1}
    assert query(db, "select input_tokens from calls")[0][0] == record["usage"]["prompt_tokens"]  # the first is kept


def test_malformed_lines_are_listed_with_line_and_reason(cli: Cli, db: Path) -> None:
    result = cli("ingest", OPENAI / "malformed.jsonl", "--db", db, "--max-rejects", "3", "--json")
    assert result.exit_code == 3
    assert "more than --max-rejects 3" in result.stderr
    summary = json.loads(result.stdout)
    assert_counts_add_up(summary)
    assert (summary["rows_read"], summary["rows_accepted"], summary["rows_rejected"]) == (12, 5, 7)
    rejects = cli.json("rejects", "--db", db)["rejects"]
    assert [(r["source_line"], r["reason"]) for r in rejects] == [
        (2, "malformed_json"),
        (4, "negative_tokens"),
        (5, "cached_exceeds_input"),
        (6, "bad_type"),
        (8, "bad_timestamp"),
        (9, "missing_field"),
        (11, "not_an_object"),
    ]
    assert all(len(r["raw_prefix"]) <= 200 for r in rejects)
    # stored anyway: the limit only changes the exit code
    assert query(db, "select count(*) from calls")[0][0] == 5
    assert query(db, "select rows_read, rows_accepted, rows_rejected, rows_duplicate from ingested_files")[0] == (12, 5, 7, 0)


def test_rejects_filter_by_reason(cli: Cli, db: Path) -> None:
    cli("ingest", OPENAI / "malformed.jsonl", "--db", db)
    rejects = cli.json("rejects", "--db", db, "--reason", "bad_type")["rejects"]
    assert [r["source_line"] for r in rejects] == [6]


_EVERY_COLUMN_BUT_THE_FILE = (
    "call_id, ts, provider, model, base_model, is_fine_tuned, workload, is_bucket, request_count, input_tokens, "
    "cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens, reasoning_tokens, is_batch, "
    "service_tier, latency_ms, status, billed_cost_usd, prefix_hash, prefix_chars, variable_chars, hints::varchar, "
    "content_hash, source_line"
)


def _stored(db: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    calls = query(db, f"select {_EVERY_COLUMN_BUT_THE_FILE} from calls order by source_line")
    rejects = query(db, "select source_line, reason, detail from rejects order by source_line")
    return calls, rejects


def test_fast_and_careful_paths_store_the_same_calls(cli: Cli, db: Path, tmp_path: Path) -> None:
    fast = cli.json("ingest", OPENAI / "chat_responses.jsonl", "--db", db)
    assert fast["files"][0]["fast_path"] is True
    careful_db = tmp_path / "careful.duckdb"
    with ftaudit.open_store(careful_db) as store:
        careful = ftaudit.ingest(store, [OPENAI / "chat_responses.jsonl"], ftaudit.IngestOptions(fast=False)).summary()
    assert (careful["files"][0]["fast_path"], careful["files"][0]["fast_rows"]) == (False, 0)
    assert _stored(db) == _stored(careful_db)


def _chat_line(i: int, prompt_tokens: str = "500", cached_tokens: str = "0") -> str:
    return (
        f'{{"id": "chatcmpl-edge{i}", "object": "chat.completion", "created": {1760006000 + i}, '
        f'"model": "gpt-4o-mini-2024-07-18", "usage": {{"prompt_tokens": {prompt_tokens}, "completion_tokens": 10, '
        f'"prompt_tokens_details": {{"cached_tokens": {cached_tokens}}}}}}}'
    )


@pytest.mark.parametrize(
    ("prompt_tokens", "cached_tokens", "outcome"),
    [
        ("true", "0", "bad_type"),  # a strict BIGINT reader would store 1
        ("12.5", "0", "bad_type"),  # ... or 12
        ("500", "false", "bad_type"),
        ('"0x10"', "0", "bad_type"),  # DuckDB's try_cast to BIGINT reads 16
        ('"0b1"', "0", "bad_type"),
        ("5e-1", "0", "bad_type"),  # try_cast to BIGINT rounds to 1
        ('"500"', "0", 500),  # a whole number as text is a count on both paths
        ("500.0", "0", 500),
        ("5e2", "0", 500),
        ('"0500"', "0", 500),
        ("500", "null", 500),
        ("-5", "0", "negative_tokens"),
    ],
)
def test_token_texts_give_the_same_outcome_on_both_paths(
    cli: Cli, tmp_path: Path, prompt_tokens: str, cached_tokens: str, outcome: object
) -> None:
    text = "\n".join([_chat_line(1), _chat_line(2, prompt_tokens, cached_tokens), _chat_line(3)]) + "\n"
    plain = tmp_path / "edge.jsonl"  # the whole-file fast path, or the line path when a line is bad
    plain.write_text(text)
    packed = tmp_path / "edge.jsonl.gz"  # compressed: the line path
    packed.write_bytes(gzip.compress(text.encode()))
    careful_db = tmp_path / "careful.duckdb"
    with ftaudit.open_store(careful_db) as store:
        ftaudit.ingest(store, [plain], ftaudit.IngestOptions(fast=False))
    for path in (plain, packed):
        db = tmp_path / f"{path.name}.duckdb"
        assert_counts_add_up(cli.json("ingest", path, "--db", db))
        assert _stored(db) == _stored(careful_db)
    calls, rejects = _stored(careful_db)
    if isinstance(outcome, str):
        assert [(r[0], r[1]) for r in rejects] == [(2, outcome)]
    else:
        assert [c[9] for c in calls] == [500, outcome, 500]  # input_tokens


def test_a_few_bad_lines_do_not_send_the_clean_ones_the_careful_way(cli: Cli, tmp_path: Path) -> None:
    """A big export with a handful of bad lines: the clean lines are stored the fast way, the others
    the careful way, and the result is what the careful path alone stores, column by column."""
    extra = {"ts": "2026-01-01T00:00:00Z", "latency_ms": 1234, "status": "incomplete"}
    lines = [
        "\ufeff" + _chat_line(1),  # a byte-order mark on the first line
        *(_chat_line(i) for i in range(2, 30)),
        '{"id": "broken',  # malformed
        "",  # blank
        _chat_line(5),  # the id of line 5 again, same numbers: a duplicate
        _chat_line(7, prompt_tokens="501"),  # the id of line 7 with other numbers: a conflict
        _chat_line(40, prompt_tokens="true"),  # bad_type
        json.dumps({**json.loads(_chat_line(41)), **extra}),  # fields the careful reader uses
        json.dumps({**json.loads(_chat_line(42)), "custom_id": "req-42"}),
        "[1, 2]",  # not an object
        *(_chat_line(i) for i in range(50, 60)),
    ]
    text = "\n".join(lines) + "\n"
    plain, packed = tmp_path / "mixed.jsonl", tmp_path / "mixed.jsonl.gz"
    plain.write_text(text, encoding="utf-8")
    packed.write_bytes(gzip.compress(text.encode()))
    summaries = [cli.json("ingest", path, "--db", tmp_path / f"{path.name}.duckdb") for path in (plain, packed)]
    careful_db = tmp_path / "careful.duckdb"
    with ftaudit.open_store(careful_db) as store:
        careful = ftaudit.ingest(store, [plain], ftaudit.IngestOptions(fast=False)).summary()
    assert careful["files"][0]["fast_rows"] == 0
    for summary, path in zip(summaries, (plain, packed), strict=True):
        # lines 5 and 7 share their ids: careful; lines 41 and 42 (ts, latency, status, custom_id) are fast too
        assert summary["files"][0]["fast_rows"] == 29 + 10 - 2 + 2
        assert {k: summary[k] for k in ("rows_read", "rows_accepted", "rows_rejected", "rows_duplicate")} == {
            k: careful[k] for k in ("rows_read", "rows_accepted", "rows_rejected", "rows_duplicate")
        }
        assert _stored(tmp_path / f"{path.name}.duckdb") == _stored(careful_db)
    assert careful["rejects_by_reason"] == {"bad_type": 1, "conflicting_duplicate": 1, "malformed_json": 1, "not_an_object": 1}
    # the lines with fields the fast reader does not read kept them (time, latency, status, Batch)
    kept = "select call_id, ts::date::varchar, latency_ms, status, is_batch from calls where source_line in (35, 36)"
    assert query(careful_db, kept) == [
        ("chatcmpl-edge41", "2026-01-01", 1234.0, "incomplete", False),
        ("chatcmpl-edge42", "2025-10-09", None, "completed", True),
    ]


def test_blank_lines_keep_line_numbers_right(cli: Cli, db: Path, tmp_path: Path) -> None:
    path = tmp_path / "gaps.jsonl"
    path.write_text(_chat_line(1) + "\n\n" + _chat_line(2) + "\n   \n" + _chat_line(3))  # no final newline
    summary = cli.json("ingest", path, "--db", db)
    assert summary["rows_accepted"] == 3
    assert query(db, "select call_id, source_line from calls order by source_line") == [
        ("chatcmpl-edge1", 1),
        ("chatcmpl-edge2", 3),
        ("chatcmpl-edge3", 5),
    ]


def test_an_unrecognised_file_is_one_line_even_when_a_key_holds_a_newline(cli: Cli, db: Path, tmp_path: Path) -> None:
    """The refusal names the first keys as JSON text: a key with a line break does not break the line."""
    path = tmp_path / "odd.jsonl"
    path.write_text('{"a\\nb": 1, "c": 2}\n{"a\\nb": 3}\n', encoding="utf-8")
    result = cli("ingest", path, "--db", db)
    assert result.exit_code == 1
    first, hint = result.stderr.splitlines()
    assert first == f'ftaudit: error: {path}: unrecognised log format (first record keys: "a\\nb", "c")'
    assert hint.startswith("  hint: pass --format NAME")


def test_a_jsonl_file_whose_first_line_is_an_array_is_read_line_by_line(cli: Cli, db: Path, tmp_path: Path) -> None:
    """A first line that is a whole array, then calls and a cut-off line: JSON Lines (no JSON document goes
    on after a whole array), each line accounted for, not one refusal of the file as a broken document."""
    path = tmp_path / "array_first.jsonl"
    path.write_text("[1, 2]\n" + _chat_line(1) + "\n" + _chat_line(2)[:30] + "\n" + _chat_line(3) + "\n")
    summary = cli.json("ingest", path, "--db", db, "--format", "openai_chat")
    assert (summary["rows_read"], summary["rows_accepted"], summary["rows_rejected"]) == (4, 2, 2)
    assert query(db, "select source_line, reason from rejects order by source_line") == [
        (1, "not_an_object"), (3, "malformed_json")]


def test_a_plain_file_takes_the_fast_path_with_file_line_numbers(cli: Cli, db: Path, tmp_path: Path) -> None:
    path = tmp_path / "plain.jsonl"
    path.write_text("\n".join(_chat_line(i) for i in range(1, 4)))
    summary = cli.json("ingest", path, "--db", db)
    assert summary["files"][0]["fast_path"] is True
    assert query(db, "select call_id, source_line from calls order by source_line") == [
        (f"chatcmpl-edge{i}", i) for i in range(1, 4)
    ]


def test_compressed_and_folders(cli: Cli, db: Path, tmp_path: Path) -> None:
    zstandard = pytest.importorskip("zstandard")
    folder = tmp_path / "logs" / "nested"
    folder.mkdir(parents=True)
    raw = (OPENAI / "chat_responses.jsonl").read_bytes()
    (folder / "a.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(raw))
    (tmp_path / "logs" / "b.json").write_text((OPENAI / "responses_array.json").read_text())
    (tmp_path / "logs" / "notes.md").write_text("not a log")
    summary = cli.json("ingest", tmp_path / "logs", "--db", db)
    assert sorted((Path(f["path"]).name, f["format"], f["rows_accepted"]) for f in summary["files"]) == [
        ("a.jsonl.zst", "openai_chat", 20),
        ("b.json", "openai_responses", 3),
    ]


def test_truncated_gzip_leaves_the_database_as_it_was(cli: Cli, db: Path, tmp_path: Path) -> None:
    data = gzip.compress((OPENAI / "chat_responses.jsonl").read_bytes())
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    cli.json("ingest", OPENAI / "chat_pairs.jsonl", "--db", db)
    result = cli("ingest", tmp_path / "cut.jsonl.gz", "--db", db)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"ftaudit: error: {tmp_path / 'cut.jsonl.gz'}")
    assert len(result.stderr.strip().splitlines()) == 2  # the error and its hint, no traceback
    assert query(db, "select count(*) from calls")[0][0] == 5
    assert query(db, "select count(*) from ingested_files")[0][0] == 1


def test_request_messages_give_prefix_hash_not_text(cli: Cli, db: Path) -> None:
    cli.json("ingest", OPENAI / "chat_pairs.jsonl", "--db", db, "--workload-from", "feature")
    rows = query(
        db, "select workload, prefix_hash, prefix_chars, variable_chars, hints->>'$.feature' from calls order by source_line"
    )
    classify = [r for r in rows if r[0] == "ticket-classifier"]
    assert len(classify) == 4 and len({r[1] for r in classify}) == 1  # same static messages, one hash
    static = json.loads((OPENAI / "chat_pairs.jsonl").read_text().splitlines()[0])["request"]["messages"][:-1]
    assert classify[0][2] == sum(len(m["content"]) for m in static)
    assert [r[3] for r in classify] == [
        len("Refund please"),
        len("Button does nothing when I click it twice"),
        len("Hello"),
        len("CANARY-7f3e9 secret ticket text"),
    ]
    assert rows[-1][0] == "reply-drafter"
    assert b"CANARY-7f3e9" not in db.read_bytes()


def test_workload_defaults_to_prefix_hash_then_model(cli: Cli, db: Path) -> None:
    cli.json("ingest", OPENAI / "chat_pairs.jsonl", OPENAI / "chat_responses.jsonl", "--db", db)
    names = dict(query(db, "select workload, count(*) from calls group by workload"))
    prefixed = [n for n in names if str(n).startswith("prefix-")]
    assert len(prefixed) == 2 and sorted(names[n] for n in prefixed) == [1, 4]
    assert names["gpt-4o-mini-2024-07-18"] == 20


def test_batch_output_joins_its_input_in_either_order(cli: Cli, db: Path, tmp_path: Path) -> None:
    summary = cli.json("ingest", OPENAI / "batch_output.jsonl", OPENAI / "batch_input.jsonl", "--db", db)
    assert [f["format"] for f in summary["files"]] == ["openai_batch_input", "openai_batch_output"]  # inputs first
    assert summary["rejects_by_reason"] == {"api_error": 1}
    rows = query(db, "select is_batch, prefix_hash is not null, workload like 'prefix-%' from calls")
    assert rows == [(True, True, True)] * 3
    other = tmp_path / "later.duckdb"
    cli.json("ingest", OPENAI / "batch_output.jsonl", "--db", other)
    assert query(other, "select count(*) from calls where prefix_hash is not null")[0][0] == 0
    cli.json("ingest", OPENAI / "batch_input.jsonl", "--db", other)
    assert query(other, "select count(*) from calls where prefix_hash is not null and workload like 'prefix-%'")[0][0] == 3


def test_responses_api_objects_in_a_json_array(cli: Cli, db: Path) -> None:
    summary = cli.json("ingest", OPENAI / "responses_array.json", "--db", db)
    assert summary["files"][0]["format"] == "openai_responses"
    rows = query(
        db,
        "select input_tokens, cache_read_tokens, output_tokens, reasoning_tokens, prefix_hash is not null "
        "from calls order by call_id",
    )
    assert rows == [(2000 + i, 1920, 40, 20, True) for i in range(3)]


def test_fine_tuned_model_names_give_base_model(cli: Cli, db: Path, tmp_path: Path) -> None:
    record = json.loads((OPENAI / "chat_responses.jsonl").read_text().splitlines()[0])
    record["model"] = "ft:gpt-4o-mini-2024-07-18:acme::abc123"
    (tmp_path / "ft.jsonl").write_text(json.dumps(record) + "\n")
    cli.json("ingest", tmp_path / "ft.jsonl", "--db", db)
    assert query(db, "select base_model, is_fine_tuned from calls") == [("gpt-4o-mini-2024-07-18", True)]


def test_unknown_format_is_a_clear_error(cli: Cli, db: Path, tmp_path: Path) -> None:
    (tmp_path / "x.jsonl").write_text('{"hello": 1}\n')
    result = cli("ingest", tmp_path / "x.jsonl", "--db", db)
    assert result.exit_code == 1
    assert "unrecognised log format" in result.stderr and "hint: pass --format" in result.stderr


def test_mapping_needs_a_model(cli: Cli, db: Path, tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_text("t,i,o\n2026-01-01 00:00:00,10,2\n")
    result = cli("ingest", tmp_path / "m.csv", "--db", db, "--map", "ts=t", "--map", "input_tokens=i", "--map", "output_tokens=o")
    assert result.exit_code == 2
    assert "hint: pass --model NAME" in result.stderr


def test_env_var_names_the_database(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "env.duckdb"
    monkeypatch.setenv("FTAUDIT_DB", str(target))
    cli.json("ingest", OPENAI / "chat_responses.jsonl")
    assert query(target, "select count(*) from calls")[0][0] == 20


def test_installed_queries_folder_is_packaged() -> None:
    # the wheel maps queries/ into the package; a checkout finds it beside the package
    from ftaudit.store import queries

    assert (queries.queries_dir() / "store" / "macros.sql").is_file()
    assert shutil.which("ftaudit") is not None or True
