"""Benchmark: the replay of a canonical Parquet dataset through DuckDB and through Spark local mode.

    .venv/bin/python benchmarks/scale.py                       # 1M and 10M on both engines, 100M on DuckDB
    .venv/bin/python benchmarks/scale.py --sizes 1000000 --big 0   # quicker

For each size N a canonical dataset (ftaudit/store/dataset.py: calls Hive-partitioned by UTC day) of N
calls is generated with DuckDB in a temporary folder: two OpenAI models over 60 days across genai-prices'
2026-10-12 and 2026-10-14 price changes, cache hits, Batch calls, priority/default tiers, four workloads
(the shape of benchmarks/replay.py). Each replay runs in its own process (`ftaudit.open_dataset` for
DuckDB, `ftaudit.replay.spark.open_spark_store` on local[2] for Spark, as `ftaudit replay --calls DIR
[--engine spark]` does) and reports its wall time and peak RSS: the Python driver's (VmHWM), and
for Spark also the JVM's (VmHWM; in local mode the JVM is driver and executors at once). The two
engines' `replay --json` summaries must be equal. `--big N` then times DuckDB alone on an N-call
dataset (default 100M), which must stay under 2 GB RSS. Every dataset is deleted afterwards.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

GENERATE = """
select 'c' || i as call_id,
       timestamptz '2026-09-20 00:00:00+00' + to_seconds((i * $span_seconds // $n)::bigint) as ts,
       'openai' as provider,
       case when i % 3 = 0 then 'gpt-4.1-2025-04-14' else 'gpt-4o-mini-2024-07-18' end as model,
       case when i % 3 = 0 then 'gpt-4.1-2025-04-14' else 'gpt-4o-mini-2024-07-18' end as base_model,
       false as is_fine_tuned, 'w' || (i % 4) as workload, false as is_bucket, 1 as request_count,
       1100 + (i * 7919) % 3000 as input_tokens,
       case when i % 5 = 0 then 0 else 1024 + 128 * (i % 4) end as cache_read_tokens,
       0 as cache_write_tokens, 0 as cache_write_1h_tokens,
       20 + (i * 104729) % 600 as output_tokens, 0 as reasoning_tokens,
       i % 10 = 7 as is_batch,
       case when i % 10 = 7 then null when i % 7 = 0 then 'priority' when i % 7 = 1 then 'default' end as service_tier,
       null as latency_ms, null as status, null as billed_cost_usd, null as prefix_hash, null as prefix_chars,
       null as variable_chars, null as hints, i as content_hash, 1 as file_id, 'bench' as source_file, i as source_line,
       timestamptz '2026-11-20 00:00:00+00' as ingested_at
from range($n) t(i)
"""
SCENARIO = {"name": "scale", "fine_tuned_model": "ft:gpt-4o-mini-2024-07-18", "remove_prompt_tokens": 600}
SAVED_PER_CALL_USD = 0.0014  # about what this scenario saves per generated call: break-even near mid-span


def generate(root: Path, n: int) -> float:
    """Write an n-call canonical dataset (calls, empty rejects and files, manifest) into root."""
    from ftaudit.store.dataset import CALLS_COLUMNS, PARTITION, write_manifest

    started = time.perf_counter()
    root.mkdir(parents=True)
    casts = ", ".join(f"{c.name}::{'varchar' if c.duckdb == 'json' else c.duckdb} as {c.name}" for c in CALLS_COLUMNS)
    with duckdb.connect(config={"memory_limit": "4GB", "preserve_insertion_order": False}) as con:
        con.execute("set TimeZone = 'UTC'")
        relation = con.sql(f"select {casts}, ts::date as {PARTITION} from ({GENERATE})",
                           params={"n": n, "span_seconds": 60 * 86_400})
        relation.write_parquet(str(root / "calls"), partition_by=[PARTITION])
    write_manifest(root)
    return time.perf_counter() - started


def run_replay(engine: str, calls: str, n: int, out: Path) -> None:
    """The child process: one replay, its summary to `out`, its figures on stdout."""
    import ftaudit

    scenario = ftaudit.make_scenario({**SCENARIO, "training_cost": f"{SAVED_PER_CALL_USD * n / 2:.2f}"})
    started = time.perf_counter()
    jvm_pid = None
    if engine == "spark":
        from ftaudit.replay.spark import open_spark_store

        store = open_spark_store(calls)
        jvm_pid = int(store.session.sparkContext._jvm.ProcessHandle.current().pid())
    else:
        store = ftaudit.open_dataset(calls)
    with store:
        summary = ftaudit.replay(store, scenario).summary()
    seconds = time.perf_counter() - started
    out.write_text(json.dumps(summary, indent=1, sort_keys=True))
    # VmHWM, not getrusage: Linux keeps ru_maxrss across exec, so a child would report its parent's peak
    figures = {"seconds": round(seconds, 1), "driver_peak_rss_mib": _peak_rss_mib("self")}
    if jvm_pid is not None:
        figures["jvm_peak_rss_mib"] = _peak_rss_mib(str(jvm_pid))
    print(json.dumps(figures))


def _peak_rss_mib(pid: str) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))) // 1024


def child(engine: str, root: Path, n: int, out: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, "--child", engine, "--calls-dir", str(root), "-n", str(n),
                           "--out", str(out)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{engine} replay of {n:,} calls failed:\n{done.stderr[-3000:]}")
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000,10000000", help="call counts replayed on both engines")
    parser.add_argument("--big", type=int, default=100_000_000, help="call count replayed on DuckDB only (0: skip)")
    parser.add_argument("--no-spark", action="store_true", help="DuckDB only")
    parser.add_argument("--child", choices=["duckdb", "spark"], help=argparse.SUPPRESS)
    parser.add_argument("--calls-dir", help=argparse.SUPPRESS)
    parser.add_argument("-n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_replay(args.child, args.calls_dir, args.n, args.out)
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    engines = ["duckdb"] if args.no_spark else ["duckdb", "spark"]
    with tempfile.TemporaryDirectory(prefix="ftaudit-scale-") as tmp:
        for n in sizes:
            root = Path(tmp) / f"lake-{n}"
            print(f"{n:,} calls: dataset generated in {generate(root, n):.1f} s "
                  f"({sum(f.stat().st_size for f in root.rglob('*.parquet')) / 2**20:,.0f} MiB of Parquet)", flush=True)
            results = {}
            for engine in engines:
                figures = child(engine, root, n, Path(tmp) / f"{engine}-{n}.json")
                results[engine] = (Path(tmp) / f"{engine}-{n}.json").read_text()
                print(f"  {engine:<6} replay: {figures}", flush=True)
            summary = json.loads(results["duckdb"])
            same = len(set(results.values())) == 1
            print(f"  same result on every engine: {same} (status {summary['status']}, break-even call "
                  f"{summary['break_even_calls']}, net savings ${summary['net_savings_usd']})", flush=True)
            shutil.rmtree(root)
            if not same:
                raise SystemExit("the engines disagree")
        if args.big:
            root = Path(tmp) / f"lake-{args.big}"
            print(f"{args.big:,} calls: dataset generated in {generate(root, args.big):.1f} s "
                  f"({sum(f.stat().st_size for f in root.rglob('*.parquet')) / 2**20:,.0f} MiB of Parquet)", flush=True)
            figures = child("duckdb", root, args.big, Path(tmp) / "duckdb-big.json")
            print(f"  duckdb replay: {figures} (under 2 GB: {figures['driver_peak_rss_mib'] < 2048})", flush=True)
            shutil.rmtree(root)


if __name__ == "__main__":
    main()
