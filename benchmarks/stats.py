"""Benchmark: `ftaudit stats` on 5,000,000 calls (target: under 20 s on the 2-core dev machine).

Builds the database through `open_store` (the real migrations), fills `calls` with one
`insert ... select from range()` (20 workloads over 3 models and 90 days, with static prefixes,
variable text lengths, cache hits, latency and a few bucket rows), then times the CLI as a user runs
it, in a subprocess. Usage:

    /work/venv/bin/python benchmarks/stats.py [--calls 5000000] [--db PATH] [--keep]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ftaudit.store.connection import open_store

# Synthetic calls: workload w has a static prefix of 400 + 150 w tokens and a variable part of
# 50..2,049 characters at 4 characters a token; every 7th call of a workload over 1,024 tokens hits
# the cache. A benchmark fixture, so it writes the table directly rather than through a query file.
FILL_CALLS = """
insert into calls
select 'bench-' || i as call_id,
       timestamptz '2026-08-01 00:00:00+00' + to_seconds((i * 7919) % (90 * 86400)) as ts,
       'openai' as provider,
       m as model, m as base_model, false as is_fine_tuned,
       'prefix-' || substr(md5('w' || w), 1, 6) as workload,
       (i % 100000 = 0) as is_bucket,
       case when i % 100000 = 0 then 500 else 1 end as request_count,
       prefix_tokens + 6 + vchars // 4 as input_tokens,
       case when prefix_tokens >= 1024 and i % 7 <> 0 then (prefix_tokens // 128) * 128 else 0 end
           as cache_read_tokens,
       0 as cache_write_tokens, 0 as cache_write_1h_tokens,
       1 + (i * 31) % 600 as output_tokens, 0 as reasoning_tokens,
       (w = 3) as is_batch, 'default' as service_tier,
       case when w % 2 = 0 then 200 + (i * 13) % 4000 end::double as latency_ms,
       'completed' as status, null as billed_cost_usd,
       md5('w' || w) as prefix_hash, prefix_tokens * 4 as prefix_chars, vchars as variable_chars,
       null as hints, hash(i) as content_hash,
       1 as file_id, 'benchmark' as source_file, i as source_line, now() as ingested_at
from (
    select range as i, range % 20 as w,
           ['gpt-4o-mini-2024-07-18', 'gpt-4o-2024-08-06', 'gpt-4.1-mini-2025-04-14'][1 + range % 3] as m,
           400 + 150 * (range % 20) as prefix_tokens,
           50 + (range * 104729) % 2000 as vchars
    from range($calls)
)
"""


def build(db: Path, calls: int) -> float:
    started = time.perf_counter()
    with open_store(db) as store:
        store.con.execute(FILL_CALLS, {"calls": calls})
        store.con.execute("checkpoint")
    return time.perf_counter() - started


def time_stats(db: Path, *extra: str) -> float:
    command = [sys.executable, "-m", "ftaudit", "stats", "--db", str(db), *extra]
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=5_000_000)
    parser.add_argument("--db", type=Path, help="database to (re)build; default: a temporary file")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.duckdb"
        db.unlink(missing_ok=True)
        built = build(db, args.calls)
        print(f"built {args.calls:,} calls in {built:.1f} s ({db.stat().st_size / 1e6:,.0f} MB)", file=sys.stderr)
        for extra in ((), ("--json",), ("--by", "week")):
            seconds = time_stats(db, *extra)
            label = " ".join(("ftaudit stats", *extra))
            print(f"{label}: {seconds:.2f} s on {args.calls:,} calls (target < 20 s)")
        if args.keep and args.db is None:
            kept = Path.cwd() / "bench.duckdb"
            db.replace(kept)
            print(f"kept {kept}", file=sys.stderr)


if __name__ == "__main__":
    main()
