"""ftaudit compare (issue 11 §2): the real CLI on ingested logs; expected money written here from the
price notes (docs/pricing.md), never taken from ftaudit."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import ftaudit
from ftaudit.replay.forward_options import ForwardOptions
from ftaudit.replay.scenario import load_scenario
from ftaudit.store.connection import open_store
from tests.conftest import ROOT, SAMPLE_LOGS, Cli
from tests.test_replay import epoch, ingest_csv, write

D = "2026-12-01"
SERVING_DAYS_IN_12_MONTHS = 364  # trained on D, serving from D + 1 (lead 1 day) to D + 364
CLASSIFY = ROOT / "scenarios" / "classify.toml"  # 400,000 training tokens x 3 epochs, static prefix removed


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    cli = Cli()
    assert cli("ingest", "--db", db, SAMPLE_LOGS).exit_code == 0
    names = {w["model"]: w["name"] for w in json.loads((SAMPLE_LOGS / "MANIFEST.json").read_text())["workloads"]}
    for w in cli.json("workloads", "--db", db)["workloads"]:  # as `ftaudit demo` names them
        assert cli("workloads", "rename", "--db", db, w["workload"], names[w["models"][0]]).exit_code == 0
    return db


def by_target(out: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["target"]: t for t in out["targets"]}


def test_compare_on_the_sample_logs(cli: Cli, sample_db: Path) -> None:
    out = cli.json("compare", "--db", sample_db, "--from", D, "--scenario", CLASSIFY)
    targets = by_target(out)
    assert out["workload"] == "classify" and out["models"] == ["gpt-4o-mini-2024-07-18"]
    openai, azure = targets["openai/ft:gpt-4o-mini-2024-07-18"], targets["azure/ft:gpt-4o-mini-2024-07-18"]
    for priced in (openai, azure):
        assert priced["status"] in ("pays_back", "never") and priced["needs"] == []
        assert priced["net_after_12_months_usd"] is not None and priced["monthly_net_savings_usd"] is not None
    # OpenAI: no hosting; the tuned model stops serving 2027-01-14, so 12 months end on its last serving day.
    assert openai["end_of_service_date"] == "2027-01-13" and openai["net_at_end_of_service_usd"] is not None
    training = 400_000 * 3 * Decimal("3.00") / 10**6  # $3.00 per 1M training tokens on both (not $25)
    assert Decimal(openai["fixed_costs_usd"]) == training
    # Azure: the same training price, plus $1.70 per hour of every serving day in the 12 months.
    assert Decimal(azure["hosting_per_hour_usd"]) == Decimal("1.70")
    assert Decimal(azure["fixed_costs_usd"]) == training + Decimal("1.70") * 24 * SERVING_DAYS_IN_12_MONTHS
    assert any("$1.70/h per deployment" in n for n in azure["notes"])
    # Unpriced targets: named needs and the --prices lines to fill in; never priced at $0.
    unpriced = {name: t for name, t in targets.items() if t["status"] == "unpriced"}
    fireworks = unpriced["fireworks/ft:llama-v3p1-8b-instruct"]
    assert {n["field"] for n in fireworks["needs"]} == {"hosting_per_hour", "replica_tokens_per_s"}
    assert {n["field"] for n in unpriced["google/ft:gemini-3.5-flash-lite"]["needs"]} >= {"training_mtok", "hosting_per_hour"}
    assert {n["field"] for n in unpriced["mistral/ft:open-mistral-nemo"]["needs"]} >= {"training_mtok", "input_mtok"}
    assert "training_mtok" in {n["field"] for n in unpriced["aws/ft:amazon.nova-lite-v1"]["needs"]}
    assert "input_mtok" in {n["field"] for n in unpriced["aws/ft:amazon.nova-lite-v1"]["needs"]}
    for t in unpriced.values():
        assert t["net_after_12_months_usd"] is None and t["fixed_costs_usd"] is None
    assert '[models."ft:llama-v3p1-8b-instruct"]\nhosting_per_hour = "..."' in out["prices_toml"]
    # Ranked: priced verdicts first, unpriced last; the shut-down nano and other bases are not candidates.
    statuses = [t["status"] for t in out["targets"]]
    assert statuses[-len(unpriced):] == ["unpriced"] * len(unpriced)
    excluded = {x["target"]: x["reason"] for x in out["excluded"]}
    assert excluded["openai/ft:gpt-4.1-nano-2025-04-14"].startswith("shut down on 2026-10-23")
    assert "cannot serve" in excluded["openai/ft:gpt-4o-2024-08-06"]
    assert any("cross-provider" in n for n in fireworks["notes"])


def test_the_cli_json_equals_the_library(cli: Cli, sample_db: Path) -> None:
    out = cli.json("compare", "--db", sample_db, "--from", D, "--scenario", CLASSIFY, "--target",
                   "openai/ft:gpt-4o-mini-2024-07-18")
    with open_store(sample_db, read_only=True) as store:
        lib = ftaudit.compare(store, load_scenario(CLASSIFY), ForwardOptions(from_date=date(2026, 12, 1)),
                              targets=["openai/ft:gpt-4o-mini-2024-07-18"]).summary()
    assert out == lib and [t["target"] for t in out["targets"]] == ["openai/ft:gpt-4o-mini-2024-07-18"]


def test_compare_needs_the_training_size(cli: Cli, sample_db: Path) -> None:
    result = cli("compare", "--db", sample_db, "--from", D, "--workload", "classify")
    assert result.exit_code != 0 and result.stdout == ""
    assert result.stderr.startswith("ftaudit: error: compare needs the size of the training data")


# -- dedicated GPUs: priced per replica-hour ---------------------------------------------------------

def dedicated_db(cli: Cli, db: Path, tmp_path: Path) -> None:
    """14 days of 20 calls a day (1,000 input + 200 output tokens each), plus one busy minute on the last
    day with 30 calls: 36,000 tokens in one minute = 600 tokens/s, the busiest minute."""
    start = datetime(2026, 11, 1, 9, tzinfo=UTC)
    ts = [epoch(start + timedelta(days=d, minutes=5 * i)) for d in range(14) for i in range(20)]
    ts += [epoch(datetime(2026, 11, 14, 15, 0, tzinfo=UTC)) + i for i in range(30)]
    n = len(ts)
    ingest_csv(cli, db, tmp_path / "calls.csv", {"ts": ts, "input_tokens": [1000] * n, "output_tokens": [200] * n},
               model="gpt-4o-mini-2024-07-18", provider="openai")


FIREWORKS = "fireworks/ft:llama-v3p1-8b-instruct"


def test_a_fireworks_target_without_hosting_lists_its_needs(cli: Cli, db: Path, tmp_path: Path) -> None:
    dedicated_db(cli, db, tmp_path)
    out = cli.json("compare", "--db", db, "--from", D, "--target", FIREWORKS, "--training-tokens", "1000000",
                   "--epochs", "1", "--replica-tokens-per-s", "250")
    (row,) = out["targets"]
    assert row["status"] == "unpriced" and [n["field"] for n in row["needs"]] == ["hosting_per_hour"]
    assert row["net_after_12_months_usd"] is None  # never $0


def test_a_fireworks_target_with_hosting_is_priced_per_replica_hour(cli: Cli, db: Path, tmp_path: Path) -> None:
    dedicated_db(cli, db, tmp_path)
    prices = write(tmp_path / "p.toml", '[models."ft:llama-v3p1-8b-instruct"]\nhosting_per_hour = "5.80"\n')
    out = cli.json("compare", "--db", db, "--from", D, "--target", FIREWORKS, "--training-tokens", "1000000",
                   "--epochs", "1", "--replica-tokens-per-s", "250", "--prices", prices)
    (row,) = out["targets"]
    replicas = math.ceil(Decimal(30 * 1200) / 60 / 250)  # 600 tokens/s over 250 per replica -> 3
    assert row["replicas"] == replicas == 3 and row["needs"] == []
    assert Decimal(row["hosting_per_hour_usd"]) == replicas * Decimal("5.80")
    training = 1_000_000 * Decimal("0.50") / 10**6  # Fireworks LoRA SFT up to 16B
    hosting_12_months = replicas * Decimal("5.80") * 24 * SERVING_DAYS_IN_12_MONTHS
    assert Decimal(row["fixed_costs_usd"]) == training + hosting_12_months
    # No per-token charge on dedicated GPUs: the 12-month net is the base cost of the replayed calls minus fixed.
    window_base = (20 * 14 + 30) * (1000 * Decimal("0.15") + 200 * Decimal("0.60")) / 10**6  # gpt-4o-mini
    per_day = window_base / 14
    monthly = per_day * 30 - replicas * Decimal("5.80") * 24 * 30
    assert Decimal(row["monthly_net_savings_usd"]) == monthly.quantize(Decimal("1e-12"))  # JSON money: 12 places
    assert row["status"] == "never" and any("replicas = ceil(" in n for n in row["notes"])


def test_the_scenarios_own_fine_tune_is_a_candidate(cli: Cli, sample_db: Path) -> None:
    # draft: gpt-4o calls (Batch API) distilled into ft:gpt-4o-mini, the scenario's fine-tuned model.
    out = cli.json("compare", "--db", sample_db, "--from", D, "--scenario", ROOT / "scenarios" / "draft-distill.toml")
    targets = by_target(out)
    assert out["models"] == ["gpt-4o-2024-08-06"]
    distilled = targets["openai/ft:gpt-4o-mini-2024-07-18"]
    assert distilled["status"] != "unpriced" and any(n.startswith("a different base model") for n in distilled["notes"])
    assert targets["openai/ft:gpt-4o-2024-08-06"]["notes"] == [] or all(
        "different base" not in n for n in targets["openai/ft:gpt-4o-2024-08-06"]["notes"])
    assert "azure/ft:gpt-4o-2024-08-06" in targets and "azure/ft:gpt-4o-mini-2024-07-18" in {
        x["target"] for x in out["excluded"]}


def test_a_target_without_a_sourced_shutdown_says_so(cli: Cli, sample_db: Path) -> None:
    out = cli.json("compare", "--db", sample_db, "--from", D, "--scenario", CLASSIFY, "--target",
                   "azure/ft:gpt-4o-mini-2024-07-18", "--target", "openai/ft:gpt-4o-mini-2024-07-18")
    targets = by_target(out)
    azure = targets["azure/ft:gpt-4o-mini-2024-07-18"]["notes"]
    assert any(n.startswith("no source gives an end-of-service date") for n in azure)
    assert not any("end-of-service" in n for n in targets["openai/ft:gpt-4o-mini-2024-07-18"]["notes"])
