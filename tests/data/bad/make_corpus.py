"""Writes the adversarial corpus of tests/data/bad/ and expected.json (what each file must give).

Run from anywhere: `python tests/data/bad/make_corpus.py`. Deterministic; the files are committed.
The 20 MB single line is made by the test itself (too big to commit).
"""

from __future__ import annotations

import gzip
import json
import tempfile
from pathlib import Path
from typing import Any

import duckdb

HERE = Path(__file__).resolve().parent
EXPECTED: dict[str, dict[str, Any]] = {}


def chat(i: int, **usage: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": f"chatcmpl-bad{i:04d}",
        "object": "chat.completion",
        "created": 1760000000 + i,
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}],
        "usage": {
            "prompt_tokens": 100,
            "completion_tokens": 5,
            "total_tokens": 105,
            "prompt_tokens_details": {"cached_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0},
        },
    }
    record["usage"].update(usage)
    return record


def line(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def write(name: str, content: str | bytes, why: str, **expected: Any) -> None:
    path = HERE / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    EXPECTED[name] = {"why": why, **expected}


def _zstd(text: str) -> bytes:
    """`text` compressed by DuckDB's own zstd writer (no zstd module in the standard library)."""
    with tempfile.TemporaryDirectory() as tmp:
        plain, packed = Path(tmp) / "in.txt", Path(tmp) / "out.zst"
        plain.write_text(text)
        duckdb.sql(
            f"copy (select content from read_text('{plain}')) to '{packed}' "
            "(format csv, header false, quote '', compression zstd)"
        )
        data = packed.read_bytes()
    return data


def main() -> None:
    good = "".join(line(chat(i)) for i in range(5))
    gz = gzip.compress(good.encode(), mtime=0)
    write("truncated.jsonl.gz", gz[: len(gz) // 2], "gzip cut in the middle", error="truncated.jsonl.gz")
    write(
        "truncated.jsonl.zst",
        bytes.fromhex("28b52ffd") + b"\x00\x58\x35" + b"x" * 10,
        "zstd frame cut short",
        error="truncated.jsonl.zst",
    )
    write(
        "cut_zstd_stream.jsonl.zst",
        _zstd(good * 600)[:1500],
        "a real zstd stream of 3,000 lines cut short: DuckDB reads it up to the cut, quietly",
        error="truncated or corrupt zstd file",
    )
    write(
        "truncated_last_line.jsonl",
        good + line(chat(9))[:60],
        "export stopped mid-record",
        accepted=5,
        rejected={"malformed_json": [6]},
    )
    write("utf8_bom.jsonl", "\ufeff" + good, "UTF-8 byte order mark before the first record", accepted=5)
    write("crlf.jsonl", good.replace("\n", "\r\n"), "Windows line ends", accepted=5)
    write(
        "invalid_utf8.jsonl",
        good.encode() + b'{"id": "chatcmpl-\xff\xfe"}\n' + line(chat(7)).encode(),
        "a line with bytes that are not UTF-8",
        accepted=6,
        rejected={"invalid_utf8": [6]},
    )
    write(
        "numbers_as_strings.jsonl",
        line(chat(1, prompt_tokens="100", completion_tokens="5")),
        "integers written as JSON strings are read as integers",
        accepted=1,
    )
    write(
        "floats.jsonl",
        line(chat(1, prompt_tokens=100.0)) + line(chat(2, prompt_tokens=100.5)),
        "a whole float is an integer; a fractional token count is not",
        accepted=1,
        rejected={"bad_type": [2]},
    )
    write(
        "nulls.jsonl",
        line(chat(1, prompt_tokens=None)) + line(chat(2, completion_tokens=None)),
        "null where a count belongs",
        rejected={"missing_field": [1, 2]},
    )
    write(
        "booleans.jsonl",
        line(chat(1, prompt_tokens=True)) + line(chat(2, completion_tokens=False)),
        "booleans where a count belongs",
        rejected={"bad_type": [1, 2]},
    )
    write(
        "negative_tokens.jsonl",
        line(chat(1, completion_tokens=-1)) + line(chat(2, prompt_tokens=-100)),
        "negative counts",
        rejected={"negative_tokens": [1, 2]},
    )
    write(
        "cached_exceeds_input.jsonl",
        line(chat(1, prompt_tokens_details={"cached_tokens": 101})),
        "more cached tokens than prompt tokens",
        rejected={"cached_exceeds_input": [1]},
    )
    write(
        "reasoning_exceeds_output.jsonl",
        line(chat(1, completion_tokens_details={"reasoning_tokens": 6})),
        "more reasoning tokens than output tokens",
        rejected={"reasoning_exceeds_output": [1]},
    )
    write("huge_number.jsonl", line(chat(1, prompt_tokens=10**20)), "a count beyond any real call", rejected={"bad_type": [1]})
    r1970 = chat(1)
    r1970["created"] = 0
    rfuture = chat(2)
    rfuture["created"] = 4102444800  # 2100-01-01
    rms = chat(3)
    rms["created"] = 1760000000000  # milliseconds where seconds belong: year 57,000
    write(
        "implausible_timestamps.jsonl",
        line(r1970) + line(rfuture) + line(rms),
        "1970, far-future and milliseconds-as-seconds timestamps",
        rejected={"bad_timestamp": [1, 2, 3]},
    )
    pairs = [
        {"ts": ts, "request": {"messages": [{"role": "user", "content": "hi"}]}, "response": chat(i)}
        for i, ts in enumerate(["2026-03-01T10:00:00+02:00", "2026-03-01T08:00:00Z", "2026-03-01 08:00:00"])
    ]
    write(
        "iso_timestamps_with_offsets.jsonl",
        "".join(line(p) for p in pairs),
        "ISO times with offsets, Z and none are all UTC 08:00",
        accepted=3,
        ts_utc=["2026-03-01 08:00:00+00:00"] * 3,
    )
    csv_rows = "t,i,o\n" + "".join(f"{t},100,5\n" for t in ["1772352000", "1772352001"])
    write(
        "mapped_seconds.csv",
        csv_rows,
        "epoch seconds through --map",
        accepted=2,
        args=["--map", "ts=t", "--map", "input_tokens=i", "--map", "output_tokens=o", "--model", "m"],
    )
    write(
        "mapped_milliseconds.csv",
        csv_rows.replace("1772352000", "1772352000000").replace("1772352001,", "1772352001000,"),
        "epoch milliseconds through --map --ts-unit ms",
        accepted=2,
        args=["--map", "ts=t", "--map", "input_tokens=i", "--map", "output_tokens=o", "--model", "m", "--ts-unit", "ms"],
    )
    write(
        "mapped_microseconds.csv",
        csv_rows.replace("1772352000", "1772352000000000").replace("1772352001,", "1772352001000000,"),
        "epoch microseconds through --map --ts-unit us",
        accepted=2,
        args=["--map", "ts=t", "--map", "input_tokens=i", "--map", "output_tokens=o", "--model", "m", "--ts-unit", "us"],
    )
    changed = chat(1, prompt_tokens=999)
    write(
        "conflicting_duplicate.jsonl",
        line(chat(1)) + line(changed) + line(chat(1)),
        "same call id twice with different numbers: keep the first",
        accepted=1,
        duplicate=1,
        rejected={"conflicting_duplicate": [2]},
    )
    write("exact_duplicate_lines.jsonl", line(chat(1)) * 3, "the same record three times", accepted=1, duplicate=2)
    write("empty.jsonl", "", "an empty file", accepted=0, format="empty")
    write("blank_lines_only.jsonl", "\n \n\t\n", "only blank lines: no records", accepted=0, format="empty")
    write("binary.jsonl", bytes(range(256)) * 8, "a binary file named like a log", error="not a text log file")
    write(
        "json_array_in_jsonl_file.jsonl",
        json.dumps([chat(i) for i in range(3)], indent=2),
        "a JSON array where JSONL is expected (detected from content)",
        accepted=3,
    )
    extra = chat(1)
    extra["x_gateway"] = {"region": "eu", "tags": [1, 2]}
    extra["usage"]["some_future_field"] = 7
    write("unknown_extra_fields.jsonl", line(extra), "fields we do not know are ignored", accepted=1)
    html = chat(1)
    html["model"] = "<script>alert(1)</script>"
    write("html_in_model.jsonl", line(html), "script in the model name: stored as data", accepted=1)
    uni = {
        "request": {
            "messages": [{"role": "user", "content": "héllo"}],
            "metadata": {"feature": '分类 🚀 "quoted"; drop table calls; --'},
        },
        "response": chat(1),
    }
    write(
        "unicode_metadata.jsonl",
        line(uni),
        "unicode, quotes and SQL in metadata: a workload name, nothing more",
        accepted=1,
        args=["--workload-from", "feature"],
        workload='分类 🚀 "quoted"; drop table calls; --',
    )
    write(
        "missing_mapped_column.csv",
        "t,i\n2026-01-01,100\n",
        "a CSV without the column --map names",
        args=["--map", "ts=t", "--map", "input_tokens=i", "--map", "output_tokens=o", "--model", "m"],
        error="--map names column(s) the file does not have: output_tokens=o",
    )
    write(
        "not_objects.jsonl",
        '3\n"text"\n[1, 2]\nnull\n' + line(chat(1)),
        "JSON values that are not objects",
        accepted=1,
        rejected={"not_an_object": [1, 2, 3, 4]},
    )
    no_usage = chat(1)
    del no_usage["usage"]
    write(
        "missing_usage.jsonl",
        line(no_usage) + line(chat(2)),
        "a streamed call logged without usage",
        accepted=1,
        rejected={"missing_field": [1]},
    )
    no_model = chat(1)
    del no_model["model"]
    write("missing_model.jsonl", line(no_model) + line(chat(2)), "no model", accepted=1, rejected={"missing_field": [1]})
    write(
        "trailing_garbage.json",
        json.dumps([chat(1)]) + "\n}}} garbage",
        "a JSON document followed by garbage",
        error="trailing_garbage.json",
    )
    write(
        "csv_quoted_newlines.csv",
        't,i,o,note\n2026-01-01 00:00:00,100,5,"line one\nline two"\n2026-01-01 00:00:01,7,1,x\n',
        "quoted newlines inside a CSV field",
        accepted=2,
        args=["--map", "ts=t", "--map", "input_tokens=i", "--map", "output_tokens=o", "--model", "m"],
    )
    out_of_range = [chat(1), chat(2), chat(3), chat(4), chat(5), chat(6), chat(7)]
    out_of_range[1]["created"] = 1e20  # beyond what a timestamp holds: was a conversion error for the file
    out_of_range[3]["created"] = "NaN"
    out_of_range[4]["created"] = "infinity"
    out_of_range[6]["created"] = -1e20
    write(
        "out_of_range_timestamps.jsonl",
        "".join(line(r) for r in out_of_range),
        "timestamps no date can hold (1e20, NaN, infinity, -1e20) reject their line only",
        accepted=3,
        rejected={"bad_timestamp": [2, 4, 5, 7]},
    )
    write(
        "token_bound.jsonl",
        line(chat(1, prompt_tokens=10**15 - 1)) + line(chat(2, prompt_tokens=10**15))
        + line(chat(3, prompt_tokens=2**63 - 1)) + line(chat(4, completion_tokens=-(2**63))),
        "one bound for every path: a count must be below 1e15",
        accepted=1,
        rejected={"bad_type": [2, 3, 4]},
    )
    page = {"object": "list", "data": [chat(1), 5, "text", None, [1], chat(2)], "has_more": False}
    write(
        "page_with_non_objects.json",
        json.dumps(page) + "\n",
        "items of an export page's data array that are not objects are rejected, not dropped",
        accepted=2,
        rejected={"not_an_object": [1, 1, 1, 1]},
    )
    bedrock = (HERE.parent / "formats" / "bedrock_invocations.jsonl").read_text().splitlines()[0] + "\n"
    write(
        "mixed_formats.jsonl",
        "".join(line(chat(i)) for i in range(3)) + bedrock + "".join(line(chat(i)) for i in range(3, 6)),
        "6 OpenAI lines and 1 Bedrock line: each line read by its own format",
        accepted=7,
    )
    # issue 14 items 12, 14 and 15: what used to stop a run with no file named, or say nothing
    write(
        "deep_nesting.jsonl",
        "[" * 100_000 + "]" * 100_000 + "\n" + '{"a":' * 100_000 + "1" + "}" * 100_000 + "\n" + line(chat(1)),
        "JSON nested 100,000 deep (Python's parser gives up: RecursionError) is rejected, the rest stored",
        accepted=1,
        rejected={"not_an_object": [1], "missing_field": [2]},
    )
    write(
        "all_rejected_ms_as_seconds.csv",
        "t,i,o\n1772352000000,100,5\n1772352001000,7,1\n",
        "milliseconds read as seconds: every line rejected, and the hint names --ts-unit and --replace",
        rejected={"bad_timestamp": [2, 3]},  # a CSV's records are numbered by file line: the header is line 1
        args=["--map", "ts=t", "--map", "input_tokens=i", "--map", "output_tokens=o", "--model", "m"],
        hint="--ts-unit s|ms|us",
    )
    (HERE / "no_log_files").mkdir(exist_ok=True)
    write("no_log_files/README.md", "# only notes here\n", "a folder with no file that could be a log: exit 4",
          error="no log file in", exit=4)
    EXPECTED["no_log_files"] = EXPECTED.pop("no_log_files/README.md")
    (HERE / "only_unusable_files").mkdir(exist_ok=True)
    write("only_unusable_files/notes.log", '{"hello": "world"}\n', "a folder whose only file is no known log: exit 4",
          error="every file was skipped", exit=4)
    EXPECTED["only_unusable_files"] = EXPECTED.pop("only_unusable_files/notes.log")
    (HERE / "expected.json").write_text(json.dumps(EXPECTED, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
