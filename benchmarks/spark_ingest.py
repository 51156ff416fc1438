"""Benchmark: `ftaudit ingest` of OpenAI request/response pair lines (or Anthropic Messages wrappers,
--format anthropic) on DuckDB and with --engine spark.

    .venv/bin/python benchmarks/spark_ingest.py                 # 1M pair lines
    .venv/bin/python benchmarks/spark_ingest.py --lines 100000  # quicker
    .venv/bin/python benchmarks/spark_ingest.py --lines 100000 --format anthropic

Writes N JSONL lines of `{"request": {...messages, metadata}, "response": {chat.completion}}` (three system
prompts, so three prefix workloads) into a temporary folder, then ingests them in a child process per
engine: DuckDB into a new database file, Spark local[2] into a new Parquet dataset. Prints each engine's
wall time and peak RSS (VmHWM) of the Python driver, and for Spark of the JVM (in local mode the JVM is
driver and executors at once), and checks that both stored the same number of calls and the same total
input tokens. Everything is deleted afterwards.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

LINES = """
copy (
    select json_object(
        'request', json_object('model', 'gpt-4o-mini', 'messages', json_array(
            json_object('role', 'system', 'content', 'You are support bot ' || (i % 3) || '. Answer briefly and politely.'),
            json_object('role', 'user', 'content', 'ticket ' || i || ': my invoice is wrong')),
            'metadata', json_object('feature', 'support')),
        'response', json_object('id', 'chatcmpl-' || i, 'object', 'chat.completion',
            'created', 1788000000 + i % 2000000, 'model', 'gpt-4o-mini-2024-07-18',
            'choices', json_array(json_object('index', 0, 'finish_reason', 'stop',
                                              'message', json_object('role', 'assistant', 'content', 'billing'))),
            'usage', json_object('prompt_tokens', 900 + i % 700, 'completion_tokens', 5 + i % 50,
                                 'prompt_tokens_details', json_object('cached_tokens', 512)))) as line
    from range($n) t(i)
) to '{path}' (format csv, header false, quote '', delimiter '\x1f')
"""


# {ts, request, response} wrappers: system prompt a string or a list of blocks, cache reads and 1h writes
ANTHROPIC_LINES = """
copy (
    select json_object(
        'ts', 1788000000 + i % 2000000, 'latency_ms', 800 + i % 900,
        'request', json_object('model', 'claude-sonnet-4-5', 'max_tokens', 1024,
            'system', case when i % 2 = 0 then to_json('You are support bot ' || (i % 3) || '. Answer briefly.')
                           else json_array(json_object('type', 'text', 'text', 'You are support bot ' || (i % 3) || '.')) end,
            'messages', json_array(json_object('role', 'user', 'content', 'ticket ' || i || ': my invoice is wrong')),
            'metadata', json_object('user_id', 'u' || (i % 10))),
        'response', json_object('id', 'msg_' || i, 'type', 'message', 'role', 'assistant', 'model', 'claude-sonnet-4-5',
            'content', json_array(json_object('type', 'text', 'text', 'billing')), 'stop_reason', 'end_turn',
            'usage', json_object('input_tokens', 40 + i % 70, 'cache_read_input_tokens', 900 + i % 700,
                                 'cache_creation_input_tokens', i % 5,
                                 'cache_creation', json_object('ephemeral_5m_input_tokens', i % 5 - least(i % 2, i % 5),
                                                               'ephemeral_1h_input_tokens', least(i % 2, i % 5)),
                                 'output_tokens', 5 + i % 50, 'service_tier', 'standard'))) as line
    from range($n) t(i)
) to '{path}' (format csv, header false, quote '', delimiter '\x1f')
"""


def generate(path: Path, n: int, kind: str = "openai") -> None:
    with duckdb.connect() as con:
        con.execute((ANTHROPIC_LINES if kind == "anthropic" else LINES).replace("{path}", str(path)), {"n": n})


def run(engine: str, log: Path, target: Path) -> None:
    """The child process: one ingest, its figures on stdout."""
    import ftaudit

    started = time.perf_counter()
    jvm_pid = None
    if engine == "spark":
        from ftaudit.ingest.spark.run import ingest_spark
        from ftaudit.ingest.spark.session import spark_session

        session = spark_session("local[2]")
        jvm_pid = int(session.sparkContext._jvm.ProcessHandle.current().pid())
        result = ingest_spark([str(log)], str(target))
        with ftaudit.open_dataset(target) as lake:
            tokens = lake.con.sql("select sum(input_tokens)::bigint from calls").fetchall()[0]
    else:
        with ftaudit.open_store(target) as store:
            result = ftaudit.ingest(store, [log])
            tokens = store.con.sql("select sum(input_tokens)::bigint from calls").fetchall()[0]
    figures = {"seconds": round(time.perf_counter() - started, 1), "calls": result.total("rows_accepted"),
               "input_tokens": int(tokens[0]) if tokens else 0, "driver_peak_rss_mib": _peak_rss_mib("self")}
    if jvm_pid is not None:
        figures["jvm_peak_rss_mib"] = _peak_rss_mib(str(jvm_pid))
    print(json.dumps(figures))


def _peak_rss_mib(pid: str) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))) // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--format", choices=["openai", "anthropic"], default="openai")
    parser.add_argument("--child", choices=["duckdb", "spark"], help=argparse.SUPPRESS)
    parser.add_argument("--log", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--target", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run(args.child, args.log, args.target)
        return
    with tempfile.TemporaryDirectory(prefix="ftaudit-spark-ingest-") as tmp:
        log = Path(tmp) / "pairs.jsonl"
        generate(log, args.lines, args.format)
        print(f"{args.lines:,} {args.format} pair lines, {log.stat().st_size / 2**20:,.0f} MiB", flush=True)
        results = {}
        for engine, target in (("duckdb", Path(tmp) / "ftaudit.duckdb"), ("spark", Path(tmp) / "lake")):
            done = subprocess.run([sys.executable, __file__, "--child", engine, "--log", str(log), "--target", str(target)],
                                  capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise SystemExit(f"{engine} ingest failed:\n{done.stderr[-3000:]}")
            results[engine] = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"  {engine:<6} ingest: {results[engine]}", flush=True)
        same = all(results["duckdb"][k] == results["spark"][k] for k in ("calls", "input_tokens"))
        print(f"  same calls and input tokens on both engines: {same}")
        if not same:
            raise SystemExit("the engines disagree")


if __name__ == "__main__":
    main()
