"""ftaudit training-cost and the training part of a replay: the cookbook's default epochs, the per-example
cap, the offline token estimate (computed independently here from the file's text) and the price."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ftaudit.replay.listing import training_cost
from ftaudit.replay.training import default_epochs
from tests.conftest import DATA, Cli
from tests.test_replay import epoch, ingest_csv, write

TRAIN_5 = DATA / "replay" / "train_5.jsonl"
M = Decimal(10**6)


def independent_tokens(messages: list[dict[str, Any]]) -> int:
    """3 per message, ceil(chars / 4) per text value, +1 per name, +3 per example."""
    total = 3
    for message in messages:
        total += 3
        for key, value in message.items():
            if isinstance(value, str):
                total += math.ceil(len(value) / 4)
            if key == "name":
                total += 1
    return total


def file_tokens(path: Path) -> list[int]:
    return [independent_tokens(json.loads(line)["messages"]) for line in path.read_text().splitlines() if line.strip()]


@pytest.mark.parametrize(("examples", "epochs"), [(1, 25), (5, 20), (50, 3), (500, 3), (10_000, 2), (40_000, 1)])
def test_default_epochs_follow_the_cookbook(examples: int, epochs: int) -> None:
    assert default_epochs(examples) == epochs


def test_training_cost_of_a_file(cli: Cli) -> None:
    out = cli.json("training-cost", TRAIN_5, "--model", "gpt-4o-mini-2024-07-18")
    tokens = file_tokens(TRAIN_5)
    assert out["examples"] == 5 and out["epochs"] == 20 and "Cookbook" in out["epochs_rule"]
    assert out["dataset_tokens"] == sum(tokens)
    assert out["billed_tokens"] == 20 * sum(tokens)
    assert Decimal(out["cost_usd"]) == Decimal("3.00") * 20 * sum(tokens) / M
    assert out["tokens_per_example"]["max"] == max(tokens) and out["tokens_per_example"]["min"] == min(tokens)
    assert out["max_tokens_per_example"] == 65536 and out["examples_over_cap"] == 0
    assert "estimated offline" in out["token_method"]

    text = cli("training-cost", TRAIN_5, "--model", "ft:gpt-4o-mini-2024-07-18", "--epochs", "3")
    assert text.exit_code == 0
    assert f"billed training tokens: {3 * sum(tokens):,}" in text.stdout
    assert "estimated offline" in text.stderr  # the method is stated, apart from the data


def test_per_example_cap_and_price_override(cli: Cli, tmp_path: Path) -> None:
    prices = write(tmp_path / "p.toml", '[models."ft:gpt-4o-mini"]\nmax_tokens_per_example = 40\ntraining_mtok = "2"\n')
    out = cli.json("training-cost", TRAIN_5, "--model", "gpt-4o-mini", "--prices", prices, "--epochs", "2")
    tokens = file_tokens(TRAIN_5)
    assert out["examples_over_cap"] == sum(t > 40 for t in tokens) > 0
    assert out["billed_tokens"] == 2 * sum(min(t, 40) for t in tokens)
    assert Decimal(out["cost_usd"]) == Decimal(2) * out["billed_tokens"] / M


def test_preference_examples_count_both_outputs() -> None:
    cost = training_cost(DATA / "replay" / "dpo_1.jsonl", "gpt-4.1-mini-2025-04-14", epochs=1)
    example = json.loads((DATA / "replay" / "dpo_1.jsonl").read_text())
    expected = (
        independent_tokens(example["input"]["messages"])
        + independent_tokens(example["preferred_output"])
        - 3
        + independent_tokens(example["non_preferred_output"])
        - 3
    )
    assert cost.billed_tokens == expected
    assert cost.cost_per_run_usd == Decimal("5.00") * expected / M


def test_errors_name_the_line_and_the_missing_price(cli: Cli, tmp_path: Path) -> None:
    bad = cli("training-cost", DATA / "replay" / "bad_line.jsonl", "--model", "gpt-4o-mini")
    assert bad.exit_code == 1 and "bad_line.jsonl:2: not a fine-tuning example" in bad.stderr
    rft = cli("training-cost", TRAIN_5, "--model", "o4-mini-2025-04-16")
    assert rft.exit_code == 1 and "billed per training hour" in rft.stderr and "--training-cost" in rft.stderr
    epochs = cli("training-cost", TRAIN_5, "--model", "gpt-4o-mini", "--epochs", "zero")
    assert epochs.exit_code == 2


def test_replay_uses_the_same_training_cost_and_minimum_charge(cli: Cli, db: Path, tmp_path: Path) -> None:
    ingest_csv(
        cli,
        db,
        tmp_path / "calls.csv",
        {
            "ts": [epoch(datetime(2026, 3, 1, tzinfo=UTC)) + i for i in range(5)],
            "input_tokens": [2000] * 5,
            "output_tokens": [10] * 5,
        },
        model="gpt-4o-mini",
    )
    alone = cli.json("training-cost", TRAIN_5, "--model", "gpt-4o-mini-2024-07-18")
    out = cli.json("replay", "--db", db, "--fine-tuned-model", "ft:gpt-4o-mini-2024-07-18", "--training-file", TRAIN_5)
    assert out["training_cost_usd"] == alone["cost_usd"] and out["training"]["epochs"] == 20

    # Mistral: no per-token price in the notes, $4 minimum per job: a tiny job costs the minimum.
    prices = write(
        tmp_path / "m.toml",
        '[models."ft:open-mistral-nemo"]\ntraining_mtok = "1"\ninput_mtok = "0.1"\noutput_mtok = "0.1"\n'
        '[models."gpt-4o-mini"]\ninput_mtok = "0.15"\n',
    )
    mistral = cli.json(
        "replay",
        "--db",
        db,
        "--fine-tuned-model",
        "ft:open-mistral-nemo",
        "--fine-tuned-provider",
        "mistral",
        "--training-tokens",
        "1000",
        "--epochs",
        "1",
        "--runs",
        "2",
        "--prices",
        prices,
    )
    assert Decimal(mistral["training_cost_usd"]) == 2 * Decimal(4)
    assert Decimal(mistral["storage_cost_usd"]) == Decimal(2)  # $2 per model-month, first month started
