"""Data read wrongly or lost, silently (issue 14 items 1-7 and 17): file names DuckDB would glob, JSON
documents over 32 MB on one line, a cut zstd stream, timestamps and token counts no call has, non-objects
in an export page, and files mixing formats. The fixtures of tests/data/bad/ cover what fits there."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import duckdb

from tests.conftest import DATA, Cli, query

BAD = DATA / "bad"
BOUND = 10**15  # a token count must be below this, on every path


def test_bad_timestamp_rejects_say_the_value_and_why(cli: Cli, db: Path) -> None:
    cli.json("ingest", BAD / "implausible_timestamps.jsonl", BAD / "out_of_range_timestamps.jsonl", "--db", db)
    details = {
        (Path(r["source_file"]).name, r["source_line"]): r["detail"]
        for r in cli.json("rejects", "--db", db, "--limit", "0")["rejects"]
    }
    assert details[("implausible_timestamps.jsonl", 1)] == "timestamp 0: before 2015-01-01"
    assert details[("implausible_timestamps.jsonl", 2)].startswith("timestamp 4102444800: in the future (after ")
    assert details[("out_of_range_timestamps.jsonl", 2)].startswith("timestamp 100000000000000000000.0: in the future")
    assert details[("out_of_range_timestamps.jsonl", 4)] == "timestamp NaN: not a finite number"
    assert details[("out_of_range_timestamps.jsonl", 5)] == "timestamp infinity: not a finite number"
    assert details[("out_of_range_timestamps.jsonl", 7)] == "timestamp -100000000000000000000.0: before 2015-01-01"


def test_totals_past_bigint_still_add_up(cli: Cli, db: Path, tmp_path: Path) -> None:
    """12,000 calls of the largest count accepted: their sum (1.2e19) is past BIGINT; stats, replay and
    report still work and give the exact total."""
    calls, tokens = 12_000, BOUND - 1
    path = tmp_path / "huge_counts.jsonl"
    path.write_text(
        "".join(
            json.dumps({"id": f"c{i}", "object": "chat.completion", "created": 1760000000 + 60 * i,
                        "model": "gpt-4o-mini-2024-07-18", "usage": {"prompt_tokens": tokens, "completion_tokens": 1}})
            + "\n"
            for i in range(calls)
        )
    )
    assert cli.json("ingest", path, "--db", db)["rows_accepted"] == calls
    stats = cli.json("stats", "--db", db)
    (workload,) = stats["workloads"]
    assert workload["input_tokens"] == calls * tokens
    scenario = tmp_path / "scenario.toml"
    scenario.write_text(
        (DATA.parent.parent / "scenarios" / "classify.toml").read_text().replace('"classify"', '"gpt-4o-mini-2024-07-18"')
    )
    replayed = cli("replay", "--scenario", scenario, "--db", db)
    assert replayed.exit_code == 0, replayed.stderr
    out = tmp_path / "report.html"
    report = cli("report", "--scenario", scenario, "--db", db, "--out", out)
    assert report.exit_code == 0, report.stderr
    assert out.stat().st_size > 0


def test_one_token_bound_on_both_paths(cli: Cli, tmp_path: Path) -> None:
    """The largest count is accepted and 1e15 rejected whether the fast path or the careful one reads it."""
    lines = [
        {"id": f"c{i}", "object": "chat.completion", "created": 1760000000 + i, "model": "m",
         "usage": {"prompt_tokens": n, "completion_tokens": 1}}
        for i, n in enumerate([BOUND - 1, BOUND, 2**63 - 1])
    ]
    path = tmp_path / "bound.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in lines))
    fast, careful = tmp_path / "fast.duckdb", tmp_path / "careful.duckdb"
    cli.json("ingest", path, "--db", fast)
    cli.json("ingest", path, "--db", careful, "--keep-text")  # --keep-text takes the careful path
    for db in (fast, careful):
        assert query(db, "select input_tokens from calls") == [(BOUND - 1,)]
        assert query(db, "select source_line, reason from rejects order by 1") == [(2, "bad_type"), (3, "bad_type")]


def _chat_lines(prefix: str, n: int) -> str:
    return "".join(
        json.dumps({"id": f"{prefix}-{i}", "object": "chat.completion", "created": 1760000000 + i, "model": "m",
                    "usage": {"prompt_tokens": 10, "completion_tokens": 1}}) + "\n"
        for i in range(n)
    )


def test_glob_characters_in_file_names_are_read_literally(cli: Cli, db: Path, tmp_path: Path) -> None:
    """Each named file gives its own calls, never a neighbour's that its name would match as a glob
    (DuckDB reads the literal name only when the pattern matches nothing)."""
    neighbours = {"a1.jsonl": 1, "xy.jsonl": 2, "qq.jsonl": 3, "b.jsonl.gz": 4, "d1/f.jsonl": 9}
    globby = {"a[1].jsonl": 5, "x*.jsonl": 6, "q?.jsonl": 7, "[b].jsonl.gz": 8, "d[1]/f.jsonl": 10}
    for name, n in {**neighbours, **globby}.items():
        path = tmp_path / "logs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = _chat_lines(name, n)
        path.write_bytes(gzip.compress(text.encode(), mtime=0) if name.endswith(".gz") else text.encode())
    summary = cli.json("ingest", *(tmp_path / "logs" / name for name in globby), "--db", db)
    assert {f["path"]: f["rows_accepted"] for f in summary["files"]} == {
        str(tmp_path / "logs" / name): n for name, n in globby.items()
    }
    stored = query(db, "select source_file, list(distinct regexp_replace(call_id, '-[0-9]+$', '')) from calls group by all")
    assert {f: ids for f, ids in stored} == {str(tmp_path / "logs" / name): [name] for name in globby}
    assert sorted(p for (p,) in query(db, "select path from ingested_files")) == sorted(
        str(tmp_path / "logs" / name) for name in globby
    )
    everything = tmp_path / "all.duckdb"
    assert cli.json("ingest", tmp_path / "logs", "--db", everything)["rows_accepted"] == sum(neighbours.values()) + sum(
        globby.values()
    )


def test_zstd_cut_anywhere_is_an_error_and_whole_frames_are_read(cli: Cli, tmp_path: Path) -> None:
    """DuckDB's own zstd output, one frame and two frames end to end, is read whole; the same cut at
    any of several places (a header, a block, the last bytes) is an error naming the file, nothing stored."""
    plain = tmp_path / "calls.jsonl"
    plain.write_text(_chat_lines("z", 3000))
    packed = tmp_path / "calls.jsonl.zst"
    duckdb.sql(f"copy (select content from read_text('{plain}')) to '{packed}' (format csv, header false, quote '', "
               "compression zstd)")
    data = packed.read_bytes()
    two = tmp_path / "two_frames.jsonl.zst"
    two.write_bytes(data + data)
    summary = cli.json("ingest", packed, two, "--db", tmp_path / "whole.duckdb")
    assert (summary["rows_read"], summary["rows_accepted"], summary["rows_duplicate"]) == (9000, 3000, 6000)
    assert query(tmp_path / "whole.duckdb", "select count(*) from calls") == [(3000,)]
    for cut in (2, 5, 9, 100, len(data) // 2, len(data) - 1, len(data) + 7):
        cut_path = tmp_path / f"cut_{cut}.jsonl.zst"
        cut_path.write_bytes((data + data)[:cut])
        db = tmp_path / f"cut_{cut}.duckdb"
        result = cli("ingest", cut_path, "--db", db)
        assert result.exit_code == 1, (cut, result.stdout)
        assert result.stderr.startswith(f"ftaudit: error: {cut_path}: "), result.stderr
        if db.exists():
            assert query(db, "select count(*) from calls") == [(0,)]


def _chat(i: int, content: str) -> dict[str, object]:
    return {"id": f"big-{i}", "object": "chat.completion", "created": 1760000000 + i, "model": "m",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 10 + i, "completion_tokens": 1}}


def test_one_line_json_documents_over_32_and_64_megabytes(cli: Cli, db: Path, tmp_path: Path) -> None:
    """What JSON.stringify writes: a whole export on one line. Over DuckDB's 32 MB line limit it is read
    as a JSON document (it was "not a text log file"; over 64 MB, an empty file, exit 0)."""
    array = tmp_path / "array_34mb.json"
    array.write_text(json.dumps([_chat(i, "x" * 1_700_000) for i in range(20)]))
    page = tmp_path / "page_70mb.jsonl.gz"
    page.write_bytes(gzip.compress(
        (json.dumps({"object": "list", "data": [_chat(100 + i, "y" * 3_500_000) for i in range(20)]}) + "\n").encode(),
        compresslevel=1))
    single = tmp_path / "single_68mb.jsonl"
    single.write_text(json.dumps(_chat(200, "z" * 68_000_000)) + "\n")
    assert array.stat().st_size > 32 << 20 and single.stat().st_size > 64 << 20
    summary = cli.json("ingest", array, page, single, "--db", db)
    assert [(f["rows_read"], f["rows_accepted"], f["format"]) for f in summary["files"]] == [
        (20, 20, "openai_chat"), (20, 20, "openai_chat"), (1, 1, "openai_chat")
    ]
    expected = sum(10 + i for i in range(20)) + sum(110 + i for i in range(20)) + 210
    assert query(db, "select sum(input_tokens)::bigint from calls") == [(expected,)]


def test_a_long_line_that_is_not_json_is_not_an_empty_file(cli: Cli, db: Path, tmp_path: Path) -> None:
    path = tmp_path / "noise.jsonl"
    path.write_text("n" * (70 << 20) + "\n")
    result = cli("ingest", path, "--db", db)
    assert result.exit_code == 1 and result.stderr.startswith(f"ftaudit: error: {path}: not a text log file"), result.stderr


MIXED_SOURCES = ["openai/chat_responses.jsonl", "formats/bedrock_invocations.jsonl", "formats/gemini_vertex.jsonl",
                 "formats/anthropic_messages_wrapped.jsonl", "formats/langfuse_observations.jsonl"]
PER_PROVIDER = ("select provider, count(*), sum(input_tokens)::bigint, sum(cache_read_tokens)::bigint, "
                "sum(output_tokens)::bigint from calls group by all order by provider")


def test_a_file_mixing_formats_is_read_line_by_line(cli: Cli, tmp_path: Path) -> None:
    """Lines of five formats interleaved in one file give, per provider, the calls and token totals each
    fixture gives alone (those are checked against the documented rules in tests/test_formats_*.py)."""
    sources = [(DATA / name).read_text().splitlines() for name in MIXED_SOURCES]
    mixed = [line for i in range(max(map(len, sources))) for lines in sources if i < len(lines) for line in [lines[i]]]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(mixed) + "\n")
    alone = tmp_path / "alone.duckdb"
    cli.json("ingest", *(DATA / name for name in MIXED_SOURCES), "--db", alone)
    together = tmp_path / "together.duckdb"
    summary = cli.json("ingest", path, "--db", together)
    assert summary["rows_read"] == summary["rows_accepted"] + summary["rows_rejected"] + summary["rows_duplicate"]
    assert query(together, PER_PROVIDER) == query(alone, PER_PROVIDER)
    providers = [row[0] for row in query(together, PER_PROVIDER)]
    assert providers == ["anthropic", "bedrock", "google", "google_vertexai", "langfuse", "openai"]


def test_a_foreign_line_after_the_sample_beside_the_fast_path(cli: Cli, db: Path, tmp_path: Path) -> None:
    """Detected as OpenAI from its first lines, the file's clean lines go the fast way; a Bedrock line at
    line 40 is read by the Bedrock reader, not rejected. With --format openai_chat it is rejected."""
    bedrock = (DATA / "formats/bedrock_invocations.jsonl").read_text().splitlines()[0]
    openai = _chat_lines("o", 60).splitlines()
    path = tmp_path / "late_foreign_line.jsonl"
    path.write_text("\n".join([*openai[:39], bedrock, *openai[39:]]) + "\n")
    file = cli.json("ingest", path, "--db", db)["files"][0]
    assert (file["format"], file["rows_accepted"], file["rows_rejected"], file["fast_rows"]) == ("openai_chat", 61, 0, 60)
    assert query(db, "select provider, source_line from calls where provider <> 'openai'") == [("bedrock", 40)]
    forced = tmp_path / "forced.duckdb"
    file = cli.json("ingest", path, "--db", forced, "--format", "openai_chat")["files"][0]
    assert (file["rows_accepted"], file["rows_rejected"]) == (60, 1)
