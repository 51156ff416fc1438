"""Benchmark: ftaudit ingestion vs DuckDB's own `create table as select ... from read_json(...)`.

Generates N OpenAI chat-completion response lines (with DuckDB, into a temp folder), then in one run
times `ftaudit ingest FILE` (a subprocess, as a user runs it) and a plain DuckDB CTAS of the same
canonical columns over the same file, and prints both, their ratio, calls/s and peak RSS.

    python benchmarks/ingest.py --calls 1000000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

GENERATE = """
copy (
    select 'chatcmpl-' || lpad(i::varchar, 12, '0') as id, 'chat.completion' as object,
           1760000000 + i // 20 as created, 'gpt-4o-mini-2024-07-18' as model,
           [{'index': 0, 'message': {'role': 'assistant', 'content': 'label ' || (i % 7)}, 'finish_reason': 'stop'}] as choices,
           {'prompt_tokens': 1000 + i % 2000, 'completion_tokens': 1 + i % 300, 'total_tokens': 1001 + i % 2000 + i % 300,
            'prompt_tokens_details': {'cached_tokens': case when i % 3 = 0 and i % 2000 >= 100 then 1024 else 0 end,
                                      'audio_tokens': 0},
            'completion_tokens_details': {'reasoning_tokens': 0, 'audio_tokens': 0}} as usage,
           'default' as service_tier, 'fp_44709d6fcb' as system_fingerprint
    from range($n) t(i)
) to '{path}' (format json)
"""

BASELINE = """
create table calls as
select id as call_id, to_timestamp(created) as ts, model, usage.prompt_tokens as input_tokens,
       usage.prompt_tokens_details.cached_tokens as cache_read_tokens, usage.completion_tokens as output_tokens,
       usage.completion_tokens_details.reasoning_tokens as reasoning_tokens, service_tier
from read_json('{path}', format = 'newline_delimited')
"""


def timed_child(argv: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) of the child, stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temp folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        work = Path(tmp)
        data = work / "responses.jsonl"
        start = time.perf_counter()
        duckdb.connect().execute(GENERATE.replace("{path}", str(data)), {"n": args.calls})
        print(f"generated {args.calls:,} lines, {data.stat().st_size / 1e6:,.0f} MB in {time.perf_counter() - start:.1f} s")

        baseline_db = work / "baseline.duckdb"
        script = f"import duckdb; duckdb.connect({str(baseline_db)!r}).execute({BASELINE.replace('{path}', str(data))!r})"
        base_wall, base_rss, _ = timed_child([sys.executable, "-c", script])

        ftaudit_db = work / "ftaudit.duckdb"
        wall, rss, out = timed_child([sys.executable, "-m", "ftaudit", "ingest", str(data), "--db", str(ftaudit_db), "--json"])
        summary = json.loads(out)
        assert summary["rows_accepted"] == args.calls, summary
        startup, _, _ = timed_child([sys.executable, "-m", "ftaudit", "--help"])

    print(f"duckdb create table as select : {base_wall:6.2f} s   peak RSS {base_rss:,.0f} MB")
    print(
        f"ftaudit ingest (subprocess)   : {wall:6.2f} s   peak RSS {rss:,.0f} MB   fast path: {summary['files'][0]['fast_path']}"
    )
    print(f"  of which CLI start-up        : {startup:6.2f} s")
    print(f"ratio ftaudit / duckdb        : {wall / base_wall:6.2f}x  (without start-up {(wall - startup) / base_wall:.2f}x)")
    print(f"calls/s                       : {args.calls / wall:,.0f}  (without start-up {args.calls / (wall - startup):,.0f})")


if __name__ == "__main__":
    main()
