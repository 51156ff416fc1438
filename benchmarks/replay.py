"""Benchmark: `ftaudit.replay` of N calls vs pricing the same calls one by one with genai_prices.calc_price.

    /work/venv/bin/python benchmarks/replay.py --calls 10000000

Calls are generated with DuckDB `range()` straight into the `calls` table of a fresh database (no JSON):
two OpenAI models, 60 days across genai-prices' 2026-10-12 service-tier and 2026-10-14 Batch price
changes, cache hits, Batch calls and service tiers, four workloads. The replay prices every call twice
(base and fine-tuned) and finds the break-even call; the Python loop prices a sample once (base only, half
the replay's work) and is extrapolated to N. The base cost of the sample must be identical (Decimal).
`--from D` also times the forward replay from D on the replay's tables (its 28-day window priced once per
price segment after D: from 2026-10-01, three segments, at genai-prices' 2026-10-12 and 2026-10-14 changes).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from genai_prices import Usage, calc_price

from ftaudit.replay.forward import forward
from ftaudit.replay.forward_options import ForwardOptions
from ftaudit.replay.run import replay
from ftaudit.replay.scenario import load_scenario
from ftaudit.store.connection import open_store

GENERATE = """
insert into calls by name
select 'c' || i as call_id,
       timestamptz '2026-09-20 00:00:00+00' + to_seconds((i * $span_seconds // $n)::bigint) as ts,
       'openai' as provider,
       case when i % 3 = 0 then 'gpt-4.1-2025-04-14' else 'gpt-4o-mini-2024-07-18' end as model,
       case when i % 3 = 0 then 'gpt-4.1-2025-04-14' else 'gpt-4o-mini-2024-07-18' end as base_model,
       false as is_fine_tuned,
       'w' || (i % 4) as workload,
       false as is_bucket, 1 as request_count,
       1100 + (i * 7919) % 3000 as input_tokens,
       case when i % 5 = 0 then 0 else 1024 + 128 * (i % 4) end as cache_read_tokens,
       0 as cache_write_tokens, 0 as cache_write_1h_tokens,
       20 + (i * 104729) % 600 as output_tokens, 0 as reasoning_tokens,
       i % 10 = 7 as is_batch,
       case when i % 10 = 7 then null when i % 7 = 0 then 'priority' when i % 7 = 1 then 'default' end as service_tier,
       0 as content_hash, 1 as file_id, 'bench' as source_file, i as source_line, now() as ingested_at
from range($n) t(i)
"""
SAMPLE = """
select ts, model, input_tokens, cache_read_tokens, output_tokens, is_batch, service_tier, call_id
from calls where source_line % $step = 0 order by source_line
"""
SAMPLE_COST = "select sum(base_cost_usd) from replay_call_costs where call_id in (select call_id from sample) order by 1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=10_000_000)
    parser.add_argument("--sample", type=int, default=20_000, help="calls priced one by one with calc_price")
    parser.add_argument("--db", type=Path, default=None, help="database file (default: a temporary one)")
    parser.add_argument("--from", dest="from_date", type=date.fromisoformat, default=None,
                        help="also time the forward replay from this date (YYYY-MM-DD)")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    db = args.db or Path(folder.name) / "bench.duckdb"
    n = args.calls

    with open_store(db) as store:
        started = time.perf_counter()
        store.con.execute(GENERATE, {"n": n, "span_seconds": 60 * 86_400})
        store.con.execute("checkpoint")
        print(f"generated {n:,} calls in {time.perf_counter() - started:.1f} s")

    scenario = load_scenario(None, fine_tuned_model="ft:gpt-4o-mini-2024-07-18", remove_prompt_tokens="600",
                             training_cost="2000")
    with open_store(db, read_only=True) as store:
        started = time.perf_counter()
        result = replay(store, scenario)
        replay_s = time.perf_counter() - started
        summary = result.summary()
        step = max(n // args.sample, 1)
        store.con.execute(f"create temp table sample as {SAMPLE}", {"step": step})
        sample = store.con.execute("select * from sample order by call_id").fetchall()
        replayed_sample = store.con.execute(SAMPLE_COST).fetchall()[0][0]
        if args.from_date is not None:
            started = time.perf_counter()
            ahead = forward(store, scenario, ForwardOptions(from_date=args.from_date), history=result).summary()
            forward_s = time.perf_counter() - started
            window_calls = sum(w["calls"] for w in ahead["window"])
            print(f"forward replay from {args.from_date}: {forward_s:.2f} s for a window of {window_calls:,} calls "
                  f"(status {ahead['status']}, break-even {ahead['break_even_date']}, "
                  f"net after 12 months ${Decimal(ahead['net_after_12_months_usd'] or 0):,.2f})")

    started = time.perf_counter()
    oracle = Decimal(0)
    for ts, model, inp, cached, out, batch, tier, _ in sample:
        context = {"processing": "batch"} if batch else {}
        if tier:
            context["service_tier"] = tier
        oracle += calc_price(Usage(input_tokens=inp, cache_read_tokens=cached, output_tokens=out), model,
                             provider_id="openai", genai_request_timestamp=ts.astimezone(UTC),
                             price_context=context or None).total_price
    loop_s = time.perf_counter() - started
    loop_rate = len(sample) / loop_s
    loop_n_s = n / loop_rate

    print(f"replay: {n:,} calls in {replay_s:.2f} s = {n / replay_s:,.0f} calls/s "
          f"(status {summary['status']}, break-even call {summary['break_even_calls']}, "
          f"base ${Decimal(summary['base_cost_usd']):,.2f})")
    print(f"calc_price loop: {len(sample):,} sampled calls in {loop_s:.2f} s = {loop_rate:,.0f} calls/s "
          f"-> {loop_n_s:,.0f} s for {n:,} calls (base price only)")
    print(f"speedup: {loop_n_s / replay_s:,.0f}x")
    print(f"time for 10M calls: {replay_s * 10_000_000 / n:.2f} s" + ("" if n == 10_000_000 else " (extrapolated)"))
    identical = oracle == replayed_sample
    print(f"sample base cost: replay {replayed_sample} vs calc_price {oracle}: {'identical' if identical else 'DIFFERENT'}")
    print(f"run at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    folder.cleanup()
    if not identical:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
