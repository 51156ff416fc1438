"""The money rules of issue 11 §3, each on calls ingested with the real `ftaudit ingest` and replayed with
the real CLI; every expected amount is written here as rate x tokens / 10**6 from the price notes
(docs/pricing.md), never taken from ftaudit."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from tests.conftest import Cli
from tests.test_replay import epoch, ingest_csv, replay_json, write

M = Decimal(10**6)
JAN1 = datetime(2026, 1, 1, tzinfo=UTC)


# -- cache hits on the fine-tuned side ---------------------------------------------------------------

def test_the_removed_prefix_is_what_was_cached(cli: Cli, db: Path, tmp_path: Path) -> None:
    # (input, cached) per call; 1,000 prompt tokens removed. OpenAI: cached from 1,024 tokens, in steps of 128.
    calls = [(3000, 2560), (3000, 1800), (1500, 1280), (3000, 0)]
    ingest_csv(cli, db, tmp_path / "calls.csv", {
        "ts": [epoch(JAN1) + 60 * i for i in range(len(calls))],
        "input_tokens": [c[0] for c in calls], "cache_read_tokens": [c[1] for c in calls], "output_tokens": [100] * 4,
    }, model="gpt-4o-mini-2024-07-18", provider="openai")
    out = replay_json(cli, db, "--fine-tuned-model", "ft:gpt-4o-mini-2024-07-18", "--remove-prompt-tokens", "1000",
                      "--training-cost", "1")
    # tuned (input, cached): 2000 with max(2560 - 1000, 0) = 1560 -> 1536 (step 128); 2000 with 800 -> under
    # 1,024: 0; 500 (under 1,024): 0; 2000 with 0. ft:gpt-4o-mini: 0.30 input, 0.15 cached, 1.20 output.
    tuned = [(2000, 1536), (2000, 0), (500, 0), (2000, 0)]
    ft = sum(((i - c) * Decimal("0.30") + c * Decimal("0.15") + 100 * Decimal("1.20")) / M for i, c in tuned)
    base = sum(((i - c) * Decimal("0.15") + c * Decimal("0.075") + 100 * Decimal("0.60")) / M for i, c in calls)
    assert Decimal(out["fine_tuned_inference_cost_usd"]) == ft
    assert Decimal(out["base_cost_usd"]) == base


def test_the_cache_rule_is_stated_in_the_help(cli: Cli) -> None:
    text = " ".join(cli("replay", "--help").stdout.split())
    assert "max(logged cached - removed, 0)" in text


# -- Batch on both sides --------------------------------------------------------------------------------

def anthropic_batch(path: Path, calls: list[tuple[int, int, int]], model: str = "claude-sonnet-4-5") -> Path:
    """Message Batches results lines (uncached input, cache reads, output) ended 2025-08-05, before
    genai-prices' own Batch start date: the catalog's 50% rule (pricing.md §10) prices them."""
    lines = []
    for n, (fresh, cached, out) in enumerate(calls):
        message = {"id": f"msg_{n:03d}", "type": "message", "role": "assistant", "model": model, "content": [],
                   "stop_reason": "end_turn",
                   "usage": {"input_tokens": fresh, "cache_read_input_tokens": cached, "cache_creation_input_tokens": 0,
                             "output_tokens": out, "service_tier": "batch"}}
        ended = (datetime(2025, 8, 5, 3, tzinfo=UTC) + timedelta(minutes=n)).isoformat().replace("+00:00", "Z")
        lines.append(json.dumps({"custom_id": f"t-{n}", "batch_ended_at": ended,
                                 "result": {"type": "succeeded", "message": message}}))
    return write(path, "\n".join(lines) + "\n")


BATCH_CALLS = [(1200, 0, 310), (900, 4096, 45), (5000, 0, 1200)]


def test_anthropic_batch_calls_at_half_price_on_both_sides(cli: Cli, db: Path, tmp_path: Path) -> None:
    log = anthropic_batch(tmp_path / "batch.jsonl", BATCH_CALLS)
    assert cli("ingest", "--db", db, log, "--ts-field", "batch_ended_at").exit_code == 0
    out = replay_json(cli, db, "--fine-tuned-model", "ft:gpt-4o-mini-2024-07-18", "--training-cost", "1")
    # Sonnet 4.5 standard: 3.00 input, 0.30 cache read, 15.00 output; Batch: 50% of each.
    half = Decimal("0.5")
    base = sum((f * Decimal("3.00") * half + c * Decimal("0.30") * half + o * Decimal("15.00") * half) / M
               for f, c, o in BATCH_CALLS)
    # ft:gpt-4o-mini's sourced Batch rates: 0.15 input, 0.075 cached, 0.60 output (OpenAI fine-tuning table).
    ft = sum((f * Decimal("0.15") + c * Decimal("0.075") + o * Decimal("0.60")) / M for f, c, o in BATCH_CALLS)
    assert Decimal(out["base_cost_usd"]) == base
    assert Decimal(out["fine_tuned_inference_cost_usd"]) == ft
    assert not [w for w in out["warnings"] if "Batch" in w]


def test_a_side_without_a_batch_rate_prices_both_at_standard(cli: Cli, db: Path, tmp_path: Path) -> None:
    log = anthropic_batch(tmp_path / "batch.jsonl", BATCH_CALLS)
    assert cli("ingest", "--db", db, log, "--ts-field", "batch_ended_at").exit_code == 0
    prices = write(tmp_path / "p.toml", '[models."ft:my-model"]\ninput_mtok = "0.50"\noutput_mtok = "2.00"\n')
    out = replay_json(cli, db, "--fine-tuned-model", "ft:my-model", "--fine-tuned-provider", "openai",
                      "--training-cost", "1", "--prices", prices)
    base = sum((f * Decimal("3.00") + c * Decimal("0.30") + o * Decimal("15.00")) / M for f, c, o in BATCH_CALLS)
    ft = sum(((f + c) * Decimal("0.50") + o * Decimal("2.00")) / M for f, c, o in BATCH_CALLS)
    assert Decimal(out["base_cost_usd"]) == base  # the Batch discount is not one-sided savings
    assert Decimal(out["fine_tuned_inference_cost_usd"]) == ft
    assert any("3 Batch calls: no sourced Batch rate for ft:my-model" in w for w in out["warnings"])


# -- service tiers like for like ----------------------------------------------------------------------

def test_a_priority_premium_is_its_own_line(cli: Cli, db: Path, tmp_path: Path) -> None:
    calls = [(2000, 150, "priority"), (1000, 50, "priority"), (3000, 200, None)]
    rows = [{"id": f"c{n}", "object": "chat.completion", "created": epoch(datetime(2026, 11, 2, tzinfo=UTC)) + n,
             "model": "gpt-4o-mini-2024-07-18", "service_tier": tier, "choices": [],
             "usage": {"prompt_tokens": p, "completion_tokens": o, "total_tokens": p + o}}
            for n, (p, o, tier) in enumerate(calls)]
    log = write(tmp_path / "chat.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    assert cli("ingest", "--db", db, log).exit_code == 0
    out = replay_json(cli, db, "--fine-tuned-model", "ft:gpt-4o-mini-2024-07-18", "--training-cost", "1")
    # gpt-4o-mini standard 0.15 / 0.60, priority 0.25 / 1.00 (genai-prices); ft:gpt-4o-mini has no priority rate.
    verdict_base = sum((p * Decimal("0.15") + o * Decimal("0.60")) / M for p, o, _ in calls)
    premium = sum((p * (Decimal("0.25") - Decimal("0.15")) + o * (Decimal("1.00") - Decimal("0.60"))) / M
                  for p, o, tier in calls if tier == "priority")
    ft = sum((p * Decimal("0.30") + o * Decimal("1.20")) / M for p, o, _ in calls)
    assert Decimal(out["base_cost_usd"]) == verdict_base
    assert Decimal(out["fine_tuned_inference_cost_usd"]) == ft
    assert out["service_tier_premium"] == [{"service_tier": "priority", "model": "gpt-4o-mini-2024-07-18", "calls": 2,
                                            "premium_usd": str(premium)}]
    assert Decimal(out["service_tier_premium_usd"]) == premium
    assert any("2 calls at service tier priority" in w for w in out["warnings"])


# -- a removal larger than the prompt -------------------------------------------------------------------

def test_a_removal_larger_than_the_prompt_warns_with_its_share(cli: Cli, db: Path, tmp_path: Path) -> None:
    def run(short: int, name: str) -> list[str]:
        path = tmp_path / f"{name}.duckdb"
        inputs = [400] * short + [3000] * (200 - short)
        ingest_csv(cli, path, tmp_path / f"{name}.csv", {"ts": [epoch(JAN1) + i for i in range(200)],
                                                          "input_tokens": inputs, "output_tokens": [10] * 200},
                   model="gpt-4o-mini-2024-07-18", provider="openai")
        out = replay_json(cli, path, "--fine-tuned-model", "ft:gpt-4o-mini", "--remove-prompt-tokens", "500",
                          "--training-cost", "1")
        return [w for w in out["warnings"] if "exceed the logged prompt" in w]

    assert run(2, "one_percent") == []  # 1.0% of calls: not more than 1%
    (warning,) = run(5, "two_and_a_half")
    assert "on 5 of 200 calls (2.5%)" in warning


# -- required hosting is never $0 ---------------------------------------------------------------------

FIREWORKS = ("--fine-tuned-model", "ft:llama-v3p1-8b-instruct", "--fine-tuned-provider", "fireworks")


def test_a_dedicated_gpu_target_without_hosting_is_an_error(cli: Cli, db: Path, tmp_path: Path) -> None:
    ingest_csv(cli, db, tmp_path / "calls.csv", {"ts": [epoch(JAN1) + i for i in range(10)],
                                                 "input_tokens": [1000] * 10, "output_tokens": [10] * 10},
               model="gpt-4o-mini-2024-07-18", provider="openai")
    result = cli("replay", "--db", db, *FIREWORKS, "--training-cost", "1")
    assert result.exit_code != 0 and result.stdout == ""
    assert result.stderr.startswith("ftaudit: error: ft:llama-v3p1-8b-instruct on fireworks serves only on paid hosting")
    assert "Traceback" not in result.stderr and "--hosting-per-hour" in result.stderr


def test_a_dedicated_gpu_target_is_priced_per_hour(cli: Cli, db: Path, tmp_path: Path) -> None:
    # 10 calls over 8 hours and 51 minutes: 9 started hours of an H100 ($5.80/h, Fireworks on-demand).
    ingest_csv(cli, db, tmp_path / "calls.csv", {"ts": [epoch(JAN1) + 3540 * i for i in range(10)],
                                                 "input_tokens": [1000] * 10, "output_tokens": [10] * 10},
               model="gpt-4o-mini-2024-07-18", provider="openai")
    out = replay_json(cli, db, *FIREWORKS, "--hosting-per-hour", "5.80", "--training-tokens", "1000000", "--epochs", "1")
    assert Decimal(out["hosting_cost_usd"]) == 9 * Decimal("5.80")
    assert Decimal(out["fine_tuned_inference_cost_usd"]) == 0  # billed per GPU-second, not per token
    assert Decimal(out["training_cost_usd"]) == Decimal("0.50")  # LoRA SFT up to 16B: $0.50 per 1M tokens


# -- the catalog's dates, hosting and lifecycle rows -----------------------------------------------------

def test_every_catalog_row_has_its_source_date_and_read_on(cli: Cli) -> None:
    import tomllib

    from ftaudit.prices.catalog import load_catalog

    raw = tomllib.loads((Path(__file__).parent.parent / "ftaudit" / "prices" / "catalog.toml").read_text())
    rows = [row for key, rows in raw.items() if key != "catalog" for row in rows]
    assert rows and all("source_date" in row and "read_on" in row for row in rows)
    assert len(load_catalog().entries) == len(rows)
    # Azure's meters: a dated snapshot of the Retail Prices API, read with the notes of 2026-11-29.
    text = cli("prices", "ft:gpt-4o-mini-2024-07-18", "--provider", "azure").stdout
    assert "hosting_per_hour" in text and "(source dated 2026-07-31, read 2026-11-29)" in text
    batch = cli.json("prices", "claude-sonnet-4-5", "--provider", "anthropic")
    (sonnet,) = [r for r in batch["rates"] if r["context"] == "batch" and r["field"] == "output_mtok"]
    assert sonnet["rate"].startswith("7.50 ") and (sonnet["source_date"], sonnet["read_on"]) == ("undated", "2026-12-01")


def test_every_retiring_snapshot_has_its_lifecycle_row(cli: Cli) -> None:
    for model in ("ft:gpt-4o-2024-11-20", "ft:gpt-4o-2024-08-06", "ft:gpt-4o-mini-2024-07-18", "gpt-4o-2024-11-20",
                  "gpt-4.1-mini-2025-04-14"):
        terms = {t["term"]: t["value"] for t in cli.json("prices", model, "--provider", "openai")["terms"]}
        assert terms["serving_until"] == "2027-01-14", model
    nano = {t["term"]: t["value"] for t in cli.json("prices", "gpt-4.1-nano-2025-04-14", "--provider", "openai")["terms"]}
    assert nano["serving_until"] == "2026-10-23"


def test_hosting_rows_say_whether_hosting_is_required(cli: Cli) -> None:
    def terms(model: str, provider: str) -> dict[str, str]:
        return {t["term"]: t["value"] for t in cli.json("prices", model, "--provider", provider)["terms"]}

    assert terms("ft:gpt-4o-mini-2024-07-18", "openai")["hosting_required"] == "false"
    azure = terms("ft:gpt-4o-mini-2024-07-18", "azure")
    assert (azure["hosting_required"], azure["hosting_per_hour"], azure["per_replica"]) == ("true", "1.70", "false")
    for model, provider in (("ft:llama-v3p1-8b-instruct", "fireworks"), ("ft:meta.llama3-1-8b-instruct-v1", "aws")):
        found = terms(model, provider)
        assert (found["hosting_required"], found["per_replica"]) == ("true", "true") and "hosting_per_hour" not in found
        assert "replica_tokens_per_s" not in found  # no source gives one replica's throughput
    assert terms("ft:amazon.nova-lite-v1", "aws")["hosting_required"] == "false"  # on-demand custom Nova
