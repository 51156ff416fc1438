"""ftaudit replay: the issue's acceptance points on calls ingested with the real `ftaudit ingest`.
Expected money comes from `Decimal(rate) * tokens / 10**6` in the test or from genai_prices.calc_price,
never from ftaudit."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from genai_prices import Usage, calc_price

from ftaudit.prices.catalog import load_prices
from ftaudit.replay.run import replay
from ftaudit.replay.scenario import load_scenario
from ftaudit.store.connection import open_store
from tests.conftest import DATA, Cli

REPLAY_DATA = DATA / "replay"
M = Decimal(10**6)
JAN1 = datetime(2026, 1, 1, tzinfo=UTC)


def ingest_csv(
    cli: Cli, db: Path, path: Path, columns: dict[str, list[Any]], *, model: str | None = None, provider: str | None = None
) -> None:
    """Write `columns` as a CSV with polars and ingest it through --map (column name = canonical field)."""
    pl.DataFrame(columns).write_csv(path)
    args: list[str | Path] = ["ingest", "--db", db, path]
    for name in columns:
        args += ["--map", f"{name}={name}"]
    if model:
        args += ["--model", model]
    if provider:
        args += ["--provider", provider]
    if "workload" in columns:
        args += ["--workload-from", "workload"]
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    assert f"{len(next(iter(columns.values()))):,} accepted" in result.stderr


def epoch(ts: datetime) -> int:
    return int(ts.timestamp())


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def replay_json(cli: Cli, db: Path, *args: str | Path) -> dict[str, Any]:
    out: dict[str, Any] = cli.json("replay", "--db", db, *args)
    return out


# -- the worked example ----------------------------------------------------------------------

# The seed's worked example: a fine-tuned gpt-4o-mini whose prompt is 1,900 tokens shorter.
WORKED_SCENARIO = ("--fine-tuned-model", "ft:gpt-4o-mini", "--remove-prompt-tokens", "1900")
WORKED_PRICES = '[models."gpt-4o-mini"]\ninput_mtok = "0.15"\n[models."ft:gpt-4o-mini"]\ninput_mtok = "0.30"\n'
WORKED_FLAGS = (*WORKED_SCENARIO, "--training-cost", "62")


def test_worked_example_breaks_even_at_call_229630(cli: Cli, db: Path, tmp_path: Path) -> None:
    n = 230_000
    ingest_csv(
        cli,
        db,
        tmp_path / "calls.csv",
        {
            "ts": [epoch(JAN1) + 2 * i for i in range(n)],
            "input_tokens": [2000] * n,
            "output_tokens": [0] * n,
        },
        model="gpt-4o-mini",
    )
    prices = write(tmp_path / "prices.toml", WORKED_PRICES)
    out = replay_json(cli, db, *WORKED_FLAGS, "--prices", prices)

    base_per_call = Decimal("0.15") * 2000 / M
    ft_per_call = Decimal("0.30") * (2000 - 1900) / M
    saved = base_per_call - ft_per_call
    assert saved == Decimal("0.000270")
    assert Decimal(out["net_savings_per_call_usd"]) == saved
    expected_call = next(i for i in range(1, n + 1) if saved * i >= 62)  # first call whose savings cover $62
    assert expected_call == 229_630 == out["break_even_calls"]
    assert out["status"] == "reached"
    assert out["break_even_date"] == (JAN1 + timedelta(seconds=2 * (expected_call - 1))).date().isoformat()
    assert Decimal(out["base_cost_usd"]) == base_per_call * n
    assert Decimal(out["fine_tuned_inference_cost_usd"]) == ft_per_call * n
    assert Decimal(out["training_cost_usd"]) == 62
    assert Decimal(out["net_savings_usd"]) == saved * n - 62
    assert Decimal(out["daily"][-1]["cumulative_savings_usd"]) == saved * n

    # The CLI's JSON is the library's result, and the text form says the same.
    with open_store(db, read_only=True) as store:
        scenario = load_scenario(
            None, fine_tuned_model="ft:gpt-4o-mini", remove_prompt_tokens="1900", training_cost="62", prices=str(prices)
        )
        assert replay(store, scenario).summary() == out
    text = cli("replay", "--db", db, *WORKED_FLAGS, "--prices", prices)
    assert text.exit_code == 0 and "reached at call 229,630" in text.stdout and text.stderr == ""


def test_saving_exactly_the_training_cost_counts_as_reached(cli: Cli, db: Path, tmp_path: Path) -> None:
    # 10 calls saving $0.00027 each: $0.0027 after the 10th call. A training cost of exactly that is reached there.
    ingest_csv(
        cli,
        db,
        tmp_path / "calls.csv",
        {
            "ts": [epoch(JAN1) + 60 * i for i in range(10)],
            "input_tokens": [2000] * 10,
            "output_tokens": [0] * 10,
        },
        model="gpt-4o-mini",
    )
    prices = write(tmp_path / "prices.toml", WORKED_PRICES)
    exact = replay_json(
        cli,
        db,
        *WORKED_SCENARIO,
        "--training-cost",
        str(Decimal("0.00027") * 10),
        "--prices",
        prices,
    )
    assert (exact["status"], exact["break_even_calls"]) == ("reached", 10)
    above = replay_json(
        cli,
        db,
        *WORKED_SCENARIO,
        "--training-cost",
        "0.002700000001",
        "--prices",
        prices,
    )
    assert above["status"] != "reached" and above["break_even_calls"] is None


# -- acceptance: a dated price change flips the verdict --------------------------------------------------


def test_history_price_change_flips_the_verdict(cli: Cli, db: Path, tmp_path: Path) -> None:
    days, per_day = 10, 50
    ts = [epoch(JAN1 + timedelta(days=d, minutes=10 * i)) for d in range(days) for i in range(per_day)]
    n = len(ts)
    ingest_csv(
        cli, db, tmp_path / "calls.csv", {"ts": ts, "input_tokens": [2000] * n, "output_tokens": [0] * n}, model="gpt-4o-mini"
    )
    flags = ("--fine-tuned-model", "ft:gpt-4o-mini", "--remove-prompt-tokens", "1900", "--training-cost", "0.05")
    flat = write(tmp_path / "flat.toml", WORKED_PRICES)
    cut = write(
        tmp_path / "cut.toml", WORKED_PRICES + '[[models."gpt-4o-mini".history]]\nfrom = "2026-01-02"\ninput_mtok = "0.01"\n'
    )

    before = replay_json(cli, db, *flags, "--prices", flat)
    assert before["status"] == "reached"  # $0.00027 x 500 = $0.135 >= $0.05
    after = replay_json(cli, db, *flags, "--prices", cut)
    assert after["status"] == "never"
    assert "does not cost less" in after["never_reason"]
    # Day 1 keeps the old price; from 2026-01-02 a base call costs 2,000 x $0.01 / 1M, less than the fine-tune's.
    assert Decimal(after["daily"][0]["base_cost_usd"]) == Decimal("0.15") * 2000 * per_day / M
    assert Decimal(after["daily"][1]["base_cost_usd"]) == Decimal("0.01") * 2000 * per_day / M
    assert Decimal(after["daily"][1]["fine_tuned_cost_usd"]) == Decimal("0.30") * 100 * per_day / M


# -- acceptance: a fully cached prefix -------------------------------------------------------------------


def test_fully_cached_prefix_turns_reached_into_never(cli: Cli, db: Path, tmp_path: Path) -> None:
    # gpt-4.1-mini: base 0.40 / cached 0.10 / output 1.60 (genai-prices); its fine-tune 0.80 / 0.20 / 3.20 (catalog).
    n = 100
    ts = [epoch(datetime(2026, 9, 1, tzinfo=UTC)) + 600 * i for i in range(n)]
    common = {"ts": ts, "input_tokens": [2000] * n, "output_tokens": [100] * n}
    flags = ("--fine-tuned-model", "ft:gpt-4.1-mini-2025-04-14", "--remove-prompt-tokens", "1900", "--training-cost", "0.01")
    ingest_csv(
        cli,
        db,
        tmp_path / "uncached.csv",
        {**common, "cache_read_tokens": [0] * n},
        model="gpt-4.1-mini-2025-04-14",
        provider="openai",
    )
    uncached = replay_json(cli, db, *flags)
    assert uncached["status"] == "reached"
    assert Decimal(uncached["base_cost_usd"]) == n * (2000 * Decimal("0.40") + 100 * Decimal("1.60")) / M

    cached_db = tmp_path / "cached.duckdb"
    ingest_csv(
        cli,
        cached_db,
        tmp_path / "cached.csv",
        {**common, "cache_read_tokens": [1920] * n},
        model="gpt-4.1-mini-2025-04-14",
        provider="openai",
    )
    cached = replay_json(cli, cached_db, *flags)
    base_call = (80 * Decimal("0.40") + 1920 * Decimal("0.10") + 100 * Decimal("1.60")) / M
    ft_call = (100 * Decimal("0.80") + 100 * Decimal("3.20")) / M  # 100 tokens left: below 1,024, never cached
    assert Decimal(cached["base_cost_usd"]) == n * base_call
    assert Decimal(cached["fine_tuned_inference_cost_usd"]) == n * ft_call
    assert cached["status"] == "never" and cached["break_even_calls"] is None
    assert "a fine-tuned call does not cost less than a base call" in cached["never_reason"]
    assert Decimal(cached["net_savings_per_call_usd"]) == base_call - ft_call < 0


# -- acceptance: serving_until before the projected date, and the projection --------------------------------


def _ten_days(cli: Cli, db: Path, tmp_path: Path) -> None:
    ts = [epoch(JAN1 + timedelta(days=d, minutes=10 * i)) for d in range(10) for i in range(100)]
    ingest_csv(
        cli,
        db,
        tmp_path / "calls.csv",
        {"ts": ts, "input_tokens": [2000] * 1000, "output_tokens": [0] * 1000},
        model="gpt-4o-mini",
    )


def test_projection_of_constant_savings(cli: Cli, db: Path, tmp_path: Path) -> None:
    _ten_days(cli, db, tmp_path)
    prices = write(tmp_path / "prices.toml", WORKED_PRICES)
    out = replay_json(
        cli,
        db,
        *WORKED_SCENARIO,
        "--training-cost",
        "1",
        "--prices",
        prices,
    )
    daily = Decimal("0.00027") * 100
    expected_day = next(k for k in range(1, 1000) if daily * k >= 1)  # the k-th day from the start
    assert out["status"] == "projected"
    assert out["projected_break_even_date"] == (JAN1.date() + timedelta(days=expected_day - 1)).isoformat()
    assert out["projected_range"] == {"low": out["projected_break_even_date"], "high": out["projected_break_even_date"]}
    assert Decimal(out["projected_daily_savings_usd"]) == daily
    assert "least-squares" in out["projection_method"]

    short = replay_json(
        cli,
        db,
        *WORKED_SCENARIO,
        "--training-cost",
        "1",
        "--prices",
        prices,
        "--horizon-days",
        "20",
    )
    assert short["status"] == "never" and "20-day horizon" in short["never_reason"]


def test_serving_until_before_the_projected_date_is_never(cli: Cli, db: Path, tmp_path: Path) -> None:
    _ten_days(cli, db, tmp_path)
    prices = write(tmp_path / "prices.toml", WORKED_PRICES + 'serving_until = "2026-01-20"\n')
    out = replay_json(
        cli,
        db,
        *WORKED_SCENARIO,
        "--training-cost",
        "1",
        "--prices",
        prices,
    )
    assert out["status"] == "never"
    assert "stops serving on 2026-01-20" in out["never_reason"]
    assert "2026-02-07" in out["never_reason"]  # the date it would have broken even
    assert out["serving_until"] == "2026-01-20"


# -- exact break-even with fixed costs that grow inside a day --------------------------------------------


def test_break_even_call_matches_a_brute_force_walk(cli: Cli, db: Path, tmp_path: Path) -> None:
    # Savings per call vary and are sometimes negative (long outputs cost twice as much on the fine-tune);
    # hosting accrues per started hour, so the fixed costs change inside a day.
    n = 3000
    inputs = [2000 + (i * 37) % 1500 for i in range(n)]
    outputs = [(i * 53) % 400 for i in range(n)]
    ts = [JAN1 + timedelta(seconds=97 * i) for i in range(n)]
    ingest_csv(
        cli,
        db,
        tmp_path / "calls.csv",
        {"ts": [epoch(t) for t in ts], "input_tokens": inputs, "output_tokens": outputs},
        model="gpt-4o-mini-2024-07-18",
    )
    training, hourly = Decimal("0.010"), Decimal("0.0001")
    out = replay_json(
        cli,
        db,
        "--fine-tuned-model",
        "ft:gpt-4o-mini-2024-07-18",
        "--remove-prompt-tokens",
        "1800",
        "--training-cost",
        str(training),
        "--hosting-per-hour",
        str(hourly),
    )
    # genai-prices: gpt-4o-mini 0.15 / 0.60; ft:gpt-4o-mini 0.30 / 1.20 (no call here is cached).
    cumulative, expected = Decimal(0), None
    for i in range(n):
        base = (inputs[i] * Decimal("0.15") + outputs[i] * Decimal("0.60")) / M
        ft = (max(inputs[i] - 1800, 0) * Decimal("0.30") + outputs[i] * Decimal("1.20")) / M
        cumulative += base - ft
        hours = int((ts[i] - ts[0]).total_seconds()) // 3600 + 1
        if cumulative >= training + hourly * hours:
            expected = i + 1
            break
    assert expected is not None and out["break_even_calls"] == expected
    assert out["break_even_date"] == ts[expected - 1].date().isoformat()


# -- prices as genai-prices computes them ------------------------------------------------------------------


def test_base_cost_equals_calc_price_call_by_call(cli: Cli, db: Path, tmp_path: Path) -> None:
    """OpenAI chat.completion objects across the 2026-10-12 tier change, with cache hits and service tiers;
    a cache-writing Anthropic model; a Gemini call above the 200K tier."""
    rows, oracle = [], Decimal(0)
    for i in range(60):
        ts = datetime(2026, 10, 9, tzinfo=UTC) + timedelta(hours=2 * i + 1)
        model = ["gpt-4o-mini-2024-07-18", "gpt-4.1-2025-04-14"][i % 2]
        tier = [None, "default", "priority"][i % 3]
        prompt, cached, completion = 1500 + 17 * i, (1024 + 128 * (i % 4)) if i % 5 else 0, 20 + 3 * i
        rows.append(
            {
                "id": f"chatcmpl-{i}",
                "object": "chat.completion",
                "created": epoch(ts),
                "model": model,
                "service_tier": tier,
                "choices": [],
                "usage": {
                    "prompt_tokens": prompt,
                    "completion_tokens": completion,
                    "total_tokens": prompt + completion,
                    "prompt_tokens_details": {"cached_tokens": cached},
                },
            }
        )
        oracle += calc_price(
            Usage(input_tokens=prompt, cache_read_tokens=cached, output_tokens=completion),
            model,
            provider_id="openai",
            genai_request_timestamp=ts,
            price_context={"service_tier": tier} if tier else None,
        ).total_price
    log = tmp_path / "chat.jsonl"
    log.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert cli("ingest", "--db", db, log).exit_code == 0

    claude = {
        "ts": [epoch(datetime(2026, 10, 10, 5, tzinfo=UTC)) + 60 * i for i in range(5)],
        "input_tokens": [6000, 9000, 3000, 12000, 5000],
        "cache_read_tokens": [0, 4000, 0, 8000, 2048],
        "cache_write_tokens": [4000, 0, 2500, 1000, 0],
        "output_tokens": [300, 10, 50, 900, 0],
    }
    ingest_csv(cli, db, tmp_path / "claude.csv", claude, model="claude-sonnet-4-5", provider="anthropic")
    gemini = {
        "ts": [epoch(datetime(2026, 10, 11, tzinfo=UTC))] * 2,
        "input_tokens": [250_000, 150_000],
        "output_tokens": [2000, 1000],
        "call_id": ["g1", "g2"],
    }
    ingest_csv(cli, db, tmp_path / "gemini.csv", gemini, model="gemini-2.5-pro", provider="google")
    for cols, model, provider in ((claude, "claude-sonnet-4-5", "anthropic"), (gemini, "gemini-2.5-pro", "google")):
        for i, t in enumerate(cols["ts"]):
            usage = Usage(
                input_tokens=cols["input_tokens"][i],
                cache_read_tokens=cols.get("cache_read_tokens", [0] * 9)[i],
                cache_write_tokens=cols.get("cache_write_tokens", [0] * 9)[i],
                output_tokens=cols["output_tokens"][i],
            )
            oracle += calc_price(
                usage, model, provider_id=provider, genai_request_timestamp=datetime.fromtimestamp(t, UTC)
            ).total_price

    out = replay_json(cli, db, "--fine-tuned-model", "ft:gpt-4o-mini-2024-07-18", "--training-cost", "1")
    # ft:gpt-4o-mini has no priority rate: the verdict prices the priority calls' base side at the standard
    # tier and keeps the priority premium as its own line; the two add up to what was billed.
    assert Decimal(out["base_cost_usd"]) + Decimal(out["service_tier_premium_usd"]) == oracle
    assert {r["service_tier"] for r in out["service_tier_premium"]} == {"priority"}
    assert out["calls"] == 67


def test_reconciliation_names_models_off_by_more_than_half_a_percent(cli: Cli, db: Path, tmp_path: Path) -> None:
    n = 20
    base = [epoch(JAN1) + 60 * i for i in range(n)]
    exact = Decimal("0.15") * 1000 / M + Decimal("0.60") * 100 / M  # gpt-4o-mini as genai-prices prices it
    ingest_csv(
        cli,
        db,
        tmp_path / "billed.csv",
        {
            "ts": base + base,
            "input_tokens": [1000] * 2 * n,
            "output_tokens": [100] * 2 * n,
            "model": ["gpt-4o-mini"] * n + ["gpt-4o"] * n,
            "billed_cost_usd": [str(exact)] * n + [str((Decimal("2.50") * 1000 + Decimal("10") * 100) / M * Decimal("1.1"))] * n,
            "call_id": [f"c{i}" for i in range(2 * n)],
        },
    )
    out = replay_json(
        cli, db, "--fine-tuned-model", "ft:gpt-4o-mini-2024-07-18", "--training-cost", "1", "--base-model", "gpt-4o-mini"
    )
    rec = out["reconciliation"]
    by_model = {r["model"]: r for r in rec["by_model"]}
    assert Decimal(by_model["gpt-4o-mini"]["difference_usd"]) == 0
    assert Decimal(by_model["gpt-4o"]["replayed_cost_usd"]) == n * (Decimal("2.50") * 1000 + Decimal("10") * 100) / M
    warning = next(w for w in out["warnings"] if "0.5%" in w)
    assert "gpt-4o" in warning and "gpt-4o-mini" not in warning
    # The what-if prices every call as gpt-4o-mini; reconciliation still prices calls as logged.
    assert Decimal(out["base_cost_usd"]) == 2 * n * exact


def test_unpriced_model_is_an_error_with_counts_and_a_guess(cli: Cli, db: Path, tmp_path: Path) -> None:
    ingest_csv(
        cli,
        db,
        tmp_path / "calls.csv",
        {"ts": [epoch(JAN1) + i for i in range(7)], "input_tokens": [10] * 7, "output_tokens": [1] * 7},
        model="gpt-4o-mnii",
    )
    result = cli("replay", "--db", db, "--fine-tuned-model", "ft:gpt-4o-mini", "--training-cost", "1")
    assert result.exit_code == 1 and result.stdout == ""
    assert "no price for 1 model(s): `gpt-4o-mnii` (7 calls" in result.stderr
    assert "did you mean `gpt-4o-mini`" in result.stderr and "--prices FILE" in result.stderr


def test_workloads_filter_and_auto_prefix_removal(cli: Cli, db: Path, tmp_path: Path) -> None:
    n = 40
    ingest_csv(
        cli,
        db,
        tmp_path / "calls.csv",
        {
            "ts": [epoch(JAN1) + 300 * i for i in range(n)],
            "input_tokens": [3000] * n,
            "output_tokens": [10] * n,
            "cache_read_tokens": [2048] * (n // 2) + [0] * (n // 2),
            "workload": ["support"] * (n // 2) + ["search"] * (n // 2),
        },
        model="gpt-4o-mini-2024-07-18",
        provider="openai",
    )
    unknown = cli("replay", "--db", db, "--fine-tuned-model", "ft:gpt-4o-mini", "--training-cost", "1", "--workload", "Support")
    assert unknown.exit_code == 2 and "did you mean `support`" in unknown.stderr
    out = replay_json(
        cli,
        db,
        "--fine-tuned-model",
        "ft:gpt-4o-mini-2024-07-18",
        "--training-cost",
        "1",
        "--workload",
        "support",
        "--remove-prompt-tokens",
        "auto",
    )
    assert out["calls"] == n // 2 and out["workload"] == "support"
    removed = {r["workload"]: r["remove_tokens"] for r in out["prompt_tokens_removed"]}
    assert removed["support"] == 2048  # the median cache read of the workload's cache hits (a lower bound)
    ft_call = (952 * Decimal("0.30") + 10 * Decimal("1.20")) / M  # 952 left: under 1,024, so never cached
    assert Decimal(out["fine_tuned_inference_cost_usd"]) == ft_call * (n // 2)


def test_scenario_file_and_flags(cli: Cli, db: Path, tmp_path: Path) -> None:
    ingest_csv(
        cli,
        db,
        tmp_path / "calls.csv",
        {"ts": [epoch(JAN1) + i for i in range(10)], "input_tokens": [2000] * 10, "output_tokens": [0] * 10},
        model="gpt-4o-mini",
    )
    write(tmp_path / "prices.toml", WORKED_PRICES)
    scenario = write(
        tmp_path / "s.toml",
        'name = "distil"\nfine_tuned_model = "ft:gpt-4o-mini"\n'
        'remove_prompt_tokens = 1900\ntraining_cost = "5"\nprices = "prices.toml"\n',
    )
    from_file = replay_json(cli, db, "--scenario", scenario)
    assert from_file["scenario"]["name"] == "distil" and Decimal(from_file["training_cost_usd"]) == 5
    assert Decimal(from_file["net_savings_per_call_usd"]) == Decimal("0.00027")
    flagged = replay_json(cli, db, "--scenario", scenario, "--training-cost", "0.001")
    assert Decimal(flagged["training_cost_usd"]) == Decimal("0.001") and flagged["status"] == "reached"
    bad = write(tmp_path / "bad.toml", 'fine_tuned_model = "ft:gpt-4o-mini"\nremove_prompt = 10\n')
    result = cli("replay", "--db", db, "--scenario", bad)
    assert result.exit_code == 1
    assert "unknown scenario key `remove_prompt`; did you mean `remove_prompt_tokens`?" in result.stderr
    negative = cli("replay", "--db", db, "--scenario", scenario, "--output-ratio", "-1")
    assert negative.exit_code == 1 and "`output_ratio` must be a non-negative number" in negative.stderr


def test_training_from_tokens_and_catalog_price(cli: Cli, db: Path, tmp_path: Path) -> None:
    ingest_csv(
        cli,
        db,
        tmp_path / "calls.csv",
        {"ts": [epoch(JAN1) + i for i in range(10)], "input_tokens": [2000] * 10, "output_tokens": [0] * 10},
        model="gpt-4o-mini",
    )
    out = replay_json(
        cli,
        db,
        "--fine-tuned-model",
        "ft:gpt-4o-mini-2024-07-18",
        "--training-tokens",
        "1000000",
        "--epochs",
        "2",
        "--runs",
        "2",
        "--retrain-every",
        "1",
    )
    # $3.00 per 1M training tokens (catalog, not $25), 2 epochs, 2 runs; no retrain within the first day.
    assert Decimal(out["training_cost_usd"]) == Decimal("3.00") * 2_000_000 / M * 2
    assert out["training"]["epochs"] == 2 and "catalog" in out["training"]["training_price_source"]
    prices = load_prices(write(tmp_path / "p.toml", '[models."ft:gpt-4o-mini"]\ntraining_mtok = "1"\nhosting_per_hour = "0.5"\n'))
    assert prices.models[0].terms["hosting_per_hour"] == Decimal("0.5")


def test_serving_until_from_the_catalog_is_reported(cli: Cli, db: Path, tmp_path: Path) -> None:
    ingest_csv(
        cli,
        db,
        tmp_path / "calls.csv",
        # 7 days of 15 calls: enough to project (fewer is `insufficient_data`, see test_forward.py)
        {"ts": [epoch(JAN1 + timedelta(days=d)) + i for d in range(7) for i in range(15)],
         "input_tokens": [2000] * 105, "output_tokens": [0] * 105},
        model="gpt-4o-mini",
    )
    out = replay_json(
        cli, db, "--fine-tuned-model", "ft:gpt-4.1-nano-2025-04-14", "--training-cost", "1000", "--remove-prompt-tokens", "1900"
    )
    assert out["serving_until"] == "2026-10-23"
    assert out["status"] == "never" and "stops serving on 2026-10-23" in out["never_reason"]
    assert date.fromisoformat(out["end_date"]) < date(2026, 10, 23)


def test_start_retraining_and_a_distillation_scenario(cli: Cli, db: Path, tmp_path: Path) -> None:
    """gpt-4o calls distilled into a fine-tuned gpt-4o-mini, replayed from day 3, retrained every 2 days."""
    ts = [epoch(JAN1 + timedelta(days=d, hours=h)) for d in range(10) for h in range(0, 24, 6)]
    n = len(ts)
    ingest_csv(
        cli,
        db,
        tmp_path / "calls.csv",
        {"ts": ts, "input_tokens": [3000] * n, "output_tokens": [200] * n},
        model="gpt-4o-2024-08-06",
        provider="openai",
    )
    out = replay_json(
        cli,
        db,
        "--fine-tuned-model",
        "ft:gpt-4o-mini-2024-07-18",
        "--start",
        "2026-01-03",
        "--training-tokens",
        "500000",
        "--epochs",
        "3",
        "--retrain-every",
        "2",
        "--remove-prompt-tokens",
        "2500",
    )
    replayed = [t for t in ts if t >= epoch(datetime(2026, 1, 3, tzinfo=UTC))]
    assert out["start_date"] == "2026-01-03" and out["calls"] == len(replayed)
    base_call = (3000 * Decimal("2.50") + 200 * Decimal("10")) / M  # gpt-4o, genai-prices
    ft_call = (500 * Decimal("0.30") + 200 * Decimal("1.20")) / M  # ft:gpt-4o-mini, genai-prices
    assert Decimal(out["base_cost_usd"]) == base_call * len(replayed)
    assert Decimal(out["fine_tuned_inference_cost_usd"]) == ft_call * len(replayed)
    per_run = Decimal("3.00") * 500_000 * 3 / M
    elapsed_days = (replayed[-1] - replayed[0]) // 86400  # the start is midnight of 2026-01-03, the first call
    assert Decimal(out["training_cost_usd"]) == per_run * (1 + elapsed_days // 2)
    assert out["scenario"]["retrain_every"] == 2


def test_auto_removal_falls_back_without_the_estimator(
    cli: Cli, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest_csv(
        cli,
        db,
        tmp_path / "calls.csv",
        {
            "ts": [epoch(JAN1) + 60 * i for i in range(9)],
            "input_tokens": [3000] * 9,
            "output_tokens": [5] * 9,
            "cache_read_tokens": [1024, 1152, 1152, 1280, 1280, 0, 0, 0, 0],
        },
        model="gpt-4o-mini-2024-07-18",
        provider="openai",
    )
    monkeypatch.setitem(sys.modules, "ftaudit.stats.workloads", None)  # as if the estimator were not written yet
    with open_store(db, read_only=True) as store:
        scenario = load_scenario(
            None, fine_tuned_model="ft:gpt-4o-mini-2024-07-18", remove_prompt_tokens="auto", training_cost="1"
        )
        out = replay(store, scenario).summary()
    assert out["prompt_tokens_removed"] == [
        {"workload": "gpt-4o-mini-2024-07-18", "remove_tokens": 1152, "method": "cache_read_fallback"}
    ]
    assert any("no static-prefix estimator available" in w for w in out["warnings"])
