"""Training cost as OpenAI bills supervised and preference fine-tuning (pricing.md §2):
billed tokens = epochs x sum over examples of min(tokens(example), per-example cap); cost = billed tokens
x the training price per 1M, never below the provider's minimum job charge.

Tokens of an OpenAI chat fine-tuning JSONL file are counted offline with a stated estimate (tiktoken's
encodings are downloaded on first use, which fails offline): see TOKEN_METHOD. Default epochs follow
the OpenAI Cookbook heuristic. No database, no network.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from statistics import mean, median
from typing import Any

from ftaudit.errors import ConfigError, InputFileError
from ftaudit.prices.catalog import Priced

# OpenAI Cookbook, examples/Chat_finetuning_data_prep.ipynb (pricing.md §2.2-2.3).
TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
REPLY_PRIMING_TOKENS = 3
DEFAULT_MAX_TOKENS_PER_EXAMPLE = 16385
TARGET_EPOCHS = 3
MIN_TARGET_EXAMPLES = 100
MAX_TARGET_EXAMPLES = 25000
MIN_DEFAULT_EPOCHS = 1
MAX_DEFAULT_EPOCHS = 25
CHARS_PER_TOKEN = 4
TOKEN_METHOD = (
    "estimated offline: ceil(characters / 4) per text value, plus 3 tokens per message (+1 per name) and "
    "3 per example as in the OpenAI Cookbook; tiktoken encodings cannot be downloaded here, so counts "
    "are approximate (use the job's trained_tokens when you have it)"
)


def default_epochs(examples: int) -> int:
    """The cookbook's stand-in for the API's `n_epochs: auto`: 5 -> 20, 50 -> 3, 10,000 -> 2, 40,000 -> 1."""
    epochs = TARGET_EPOCHS
    if examples * TARGET_EPOCHS < MIN_TARGET_EXAMPLES:
        epochs = min(MAX_DEFAULT_EPOCHS, MIN_TARGET_EXAMPLES // max(examples, 1))
    elif examples * TARGET_EPOCHS > MAX_TARGET_EXAMPLES:
        epochs = max(MIN_DEFAULT_EPOCHS, MAX_TARGET_EXAMPLES // examples)
    return epochs


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def _value_tokens(value: Any) -> int:
    if isinstance(value, str):
        return estimate_tokens(value)
    if isinstance(value, list) and all(isinstance(p, dict) and p.get("type") == "text" for p in value):
        return sum(estimate_tokens(str(p.get("text", ""))) for p in value)
    if isinstance(value, bool | int | float) or value is None:
        return 0  # e.g. the `weight` flag of a training message: not text
    return estimate_tokens(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def messages_tokens(messages: list[Any]) -> int:
    """The cookbook's num_tokens_from_messages, with the offline estimate per value."""
    total = 0
    for message in messages:
        if not isinstance(message, dict):
            raise ValueError("a message is not an object")
        total += TOKENS_PER_MESSAGE
        for key, value in message.items():
            total += _value_tokens(value)
            if key == "name":
                total += TOKENS_PER_NAME
    return total + REPLY_PRIMING_TOKENS


def example_tokens(example: Any) -> int:
    """Tokens of one training example: chat SFT ({"messages": [...]}) or preference (DPO) format
    ({"input": {"messages": [...]}, "preferred_output": [...], "non_preferred_output": [...]}), with
    tool definitions when present."""
    if not isinstance(example, dict):
        raise ValueError("the line is not a JSON object")
    if isinstance(example.get("messages"), list):
        total = messages_tokens(example["messages"])
    elif isinstance(example.get("input"), dict) and isinstance(example["input"].get("messages"), list):
        total = messages_tokens(example["input"]["messages"])
        for key in ("preferred_output", "non_preferred_output"):
            total += messages_tokens(example.get(key) or []) - REPLY_PRIMING_TOKENS
        example = example["input"]
    else:
        raise ValueError("no `messages` list (chat format) and no `input.messages` (preference format)")
    for key in ("tools", "functions"):
        if example.get(key):
            total += _value_tokens(example[key])
    return total


@dataclass(frozen=True)
class TrainingFile:
    path: Path
    tokens_per_example: tuple[int, ...]
    max_tokens_per_example: int

    @property
    def examples(self) -> int:
        return len(self.tokens_per_example)

    @property
    def billing_tokens(self) -> int:
        """Tokens billed per epoch: each example capped at max_tokens_per_example."""
        return sum(min(n, self.max_tokens_per_example) for n in self.tokens_per_example)

    @property
    def over_cap(self) -> int:
        return sum(n > self.max_tokens_per_example for n in self.tokens_per_example)

    def distribution(self) -> dict[str, float | int]:
        ordered = sorted(self.tokens_per_example)
        if not ordered:
            return {}
        def pick(q: float) -> int:
            return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
        return {"min": ordered[0], "max": ordered[-1], "mean": round(mean(ordered), 1), "median": median(ordered),
                "p5": pick(0.05), "p95": pick(0.95)}


def count_training_file(path: str | Path, max_tokens_per_example: int = DEFAULT_MAX_TOKENS_PER_EXAMPLE) -> TrainingFile:
    """Count every example of an OpenAI fine-tuning JSONL file; a bad line is an error naming it."""
    path = Path(path)
    counts: list[int] = []
    try:
        with path.open(encoding="utf-8") as handle:
            for line_no, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    counts.append(example_tokens(json.loads(line)))
                except (json.JSONDecodeError, ValueError) as exc:
                    raise InputFileError(
                        f"{path}:{line_no}: not a fine-tuning example: {exc}",
                        hint='each line must be {"messages": [...]} (OpenAI chat fine-tuning format)',
                    ) from None
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file or directory", hint="check the training file path") from None
    if not counts:
        raise InputFileError(f"{path}: no training examples", hint="the file is empty")
    return TrainingFile(path, tuple(counts), max_tokens_per_example)


@dataclass(frozen=True)
class TrainingCost:
    """One training run's billed tokens and cost, and how each number was reached."""

    model: str
    examples: int | None
    epochs: int
    epochs_rule: str
    dataset_tokens: int
    billed_tokens: int
    training_mtok: Priced | None
    min_job_usd: Priced | None
    cost_per_run_usd: Decimal
    token_method: str | None
    file: TrainingFile | None = None

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "model": self.model, "examples": self.examples, "epochs": self.epochs, "epochs_rule": self.epochs_rule,
            "dataset_tokens": self.dataset_tokens, "billed_tokens": self.billed_tokens,
            "training_mtok": str(self.training_mtok.value) if self.training_mtok else None,
            "training_price_source": self.training_mtok.source if self.training_mtok else None,
            "training_price_as_of": self.training_mtok.as_of if self.training_mtok else None,
            "min_job_usd": str(self.min_job_usd.value) if self.min_job_usd else None,
            "cost_usd": str(self.cost_per_run_usd), "token_method": self.token_method,
        }
        if self.file is not None:
            out["max_tokens_per_example"] = self.file.max_tokens_per_example
            out["examples_over_cap"] = self.file.over_cap
            out["tokens_per_example"] = self.file.distribution()
        return out


def run_cost(
    model: str,
    terms: dict[str, Priced],
    *,
    training_tokens: int | None = None,
    training_file: Path | None = None,
    epochs: int | str = "auto",
) -> TrainingCost:
    """The cost of one training run of `model` with the catalog/--prices `terms` of that model."""
    cap_term = terms.get("max_tokens_per_example")
    cap = int(cap_term.value) if cap_term is not None and isinstance(cap_term.value, int) else DEFAULT_MAX_TOKENS_PER_EXAMPLE
    counted = count_training_file(training_file, cap) if training_file is not None else None
    if counted is not None:
        dataset_tokens, examples = counted.billing_tokens, counted.examples
    elif training_tokens is not None:
        dataset_tokens, examples = training_tokens, None
    else:
        raise ConfigError(f"no training size for {model}",
                          hint="pass --training-tokens N, --training-file FILE or --training-cost USD")
    if epochs == "auto":
        n_epochs = default_epochs(examples) if examples is not None else TARGET_EPOCHS
        rule = (f"auto: the OpenAI Cookbook default for {examples:,} examples" if examples is not None
                else f"auto without a training file: the cookbook's target of {TARGET_EPOCHS}")
    else:
        n_epochs, rule = int(epochs), "given"
    price = terms.get("training_mtok")
    if price is None:
        hourly = terms.get("training_per_hour")
        why = (f" (it is billed per training hour, ${hourly.value}/h: {hourly.source})" if hourly else "")
        raise ConfigError(f"no per-token training price for {model}{why}",
                          hint=f'pass --training-cost USD, or set training_mtok under [models."{model}"] in --prices FILE')
    assert isinstance(price.value, Decimal)
    billed = dataset_tokens * n_epochs
    cost = price.value * billed / 10**6
    minimum = terms.get("min_job_usd")
    if minimum is not None and isinstance(minimum.value, Decimal):
        cost = max(cost, minimum.value)
    return TrainingCost(model=model, examples=examples, epochs=n_epochs, epochs_rule=rule, dataset_tokens=dataset_tokens,
                        billed_tokens=billed, training_mtok=price, min_job_usd=minimum, cost_per_run_usd=cost,
                        token_method=TOKEN_METHOD if counted is not None else None, file=counted)
