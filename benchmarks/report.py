"""Benchmark: the report (gather + render + write) over N calls, after ingestion.

    /work/venv/bin/python benchmarks/report.py --calls 10000000

Calls are generated with DuckDB `range()` straight into the `calls` table of a fresh database (through
open_store's migrations; no JSON): 365 days, six workloads on two OpenAI models, cache hits, Batch calls
and logged latency. Two scenarios are replayed. Prints the time of each stage and the size of the HTML
and JSON files. Targets: HTML under 6 MB and report under 30 s after ingestion.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from ftaudit import report
from ftaudit.replay.scenario import load_scenario
from ftaudit.report.page import render_report
from ftaudit.store.connection import open_store

GENERATE = """
insert into calls by name
select 'c' || i as call_id,
       timestamptz '2025-11-01 00:00:00+00' + to_seconds((i * $span_seconds // $n)::bigint) as ts,
       'openai' as provider,
       case when i % 6 < 2 then 'gpt-4o-2024-08-06' else 'gpt-4o-mini-2024-07-18' end as model,
       case when i % 6 < 2 then 'gpt-4o-2024-08-06' else 'gpt-4o-mini-2024-07-18' end as base_model,
       false as is_fine_tuned,
       'workload-' || (i % 6) as workload,
       false as is_bucket, 1 as request_count,
       1100 + (i * 7919) % 3000 as input_tokens,
       case when i % 5 = 0 then 0 else 1024 + 128 * (i % 4) end as cache_read_tokens,
       0 as cache_write_tokens, 0 as cache_write_1h_tokens,
       20 + (i * 104729) % 600 as output_tokens, 0 as reasoning_tokens,
       i % 10 = 7 as is_batch,
       case when i % 10 = 7 then null else 'default' end as service_tier,
       250 + 0.04 * (1100 + (i * 7919) % 3000) + 15 * (20 + (i * 104729) % 600) + (i % 97) as latency_ms,
       i::ubigint as content_hash, 1 as file_id, 'bench' as source_file, i as source_line, now() as ingested_at
from range($n) t(i)
"""
LEDGER = """
insert into ingested_files values (1, 'bench', 'sha', 0, 'openai_chat', $n, $n, 0, 0, 0, '{}', now(), now())
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=10_000_000)
    parser.add_argument("--db", type=Path, default=None, help="database file (default: a temporary one)")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    db = args.db or Path(folder.name) / "bench.duckdb"
    n = args.calls

    with open_store(db) as store:
        started = time.perf_counter()
        store.con.execute(GENERATE, {"n": n, "span_seconds": 365 * 86_400})
        store.con.execute(LEDGER, {"n": n})
        store.con.execute("checkpoint")
        print(f"generated {n:,} calls in {time.perf_counter() - started:.1f} s (ingestion stand-in, not timed below)")

    scenarios = [
        load_scenario(
            None,
            name="mini fine-tune",
            workload="workload-3",
            fine_tuned_model="ft:gpt-4o-mini-2024-07-18",
            remove_prompt_tokens="1000",
            training_cost="150",
        ),
        load_scenario(
            None,
            name="distil 4o",
            workload="workload-1",
            fine_tuned_model="ft:gpt-4o-mini-2024-07-18",
            remove_prompt_tokens="800",
            training_cost="2000",
        ),
    ]
    out = Path(folder.name) / "bench.html"
    started = time.perf_counter()
    with open_store(db, read_only=True) as store:
        data = report.gather(store, scenarios, title=f"Benchmark: {n:,} calls")
    gathered = time.perf_counter()
    page = render_report(data, generated_at=datetime.now(UTC))
    rendered = time.perf_counter()
    html_path, json_path = report.write_report(data, out, generated_at=datetime.now(UTC))
    total = time.perf_counter() - started
    html_bytes, json_bytes = html_path.stat().st_size, json_path.stat().st_size
    print(f"gather (replays, statistics, histograms, data quality): {gathered - started:.1f} s")
    print(f"render: {rendered - gathered:.1f} s")
    print(f"report total (gather + render + write both files): {total:.1f} s  [target < 30 s]")
    print(f"HTML {html_bytes:,} bytes ({html_bytes / 2**20:.2f} MiB; page string {len(page.encode()):,})  [target < 6 MiB]")
    print(f"JSON twin {json_bytes:,} bytes")
    for block in data["scenarios"]:
        print(f"  {block['name']}: {block['verdict']}")
    print("OK" if html_bytes < report.MAX_REPORT_BYTES and total < 30 else "TARGET MISSED")


if __name__ == "__main__":
    main()
