"""CLI: `ftaudit compare` (library: ftaudit.compare)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

import typer

import ftaudit
from ftaudit.cli import CallsOption, DbOption, JsonFlag, app, emit_json, open_for_reading, user_errors
from ftaudit.cli.replay_cmds import (
    Epochs,
    LeadDays,
    PricesOption,
    Remove,
    ScenarioFile,
    TrainingFile,
    TrainingTokens,
    VolumeFactor,
    WindowDays,
    _forward_options,
    _opt,
    _usd,
)
from ftaudit.errors import UsageError
from ftaudit.prices.catalog import load_prices
from ftaudit.replay.scenario import ANY_TARGET, load_scenario

CompareWorkload = Annotated[str | None, _opt("--workload", "The workload to replay (default: every call).")]
CompareFrom = Annotated[str, typer.Option("--from", help="Train on D (`today` or YYYY-MM-DD); each target's calls are "
                                          "the last --window-days of the workload, replayed from D + --lead-days.")]
Targets = Annotated[list[str] | None, _opt("--target", "PROVIDER/MODEL to compare, e.g. azure/ft:gpt-4o-mini-2024-07-18 "
                                          "(repeatable; default: every catalog target alive on D whose base can serve "
                                          "the workload's models).")]
ReplicaThroughput = Annotated[str | None, _opt("--replica-tokens-per-s", "Tokens (input + output) per second one "
                                               "dedicated replica serves (default: the catalog's, where a source gives it).")]


@app.command()
def compare(
    from_date: CompareFrom,
    workload: CompareWorkload = None,
    target: Targets = None,
    replica_tokens_per_s: ReplicaThroughput = None,
    scenario: ScenarioFile = None,
    remove_prompt_tokens: Remove = None,
    training_tokens: TrainingTokens = None,
    training_file: TrainingFile = None,
    epochs: Epochs = None,
    lead_days: LeadDays = None,
    window_days: WindowDays = None,
    volume_factor: VolumeFactor = None,
    prices_file: PricesOption = None,
    db: DbOption = None,
    calls: CallsOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Rank the fine-tuning targets for one workload: if trained on D, when does each pay back?

    Each target (OpenAI and Azure OpenAI fine-tunes, Together / Fireworks LoRA on dedicated GPUs, Vertex
    tuned Gemini, Bedrock custom models, Mistral) gets the forward replay of `ftaudit replay --from D`,
    ranked by break-even date, then net after 12 months; never, insufficient_data and unpriced targets
    last, each with its reason. Dedicated hosting: replicas = ceil(busiest minute's tokens per second /
    one replica's tokens per second), billed for every hour of a serving day; a hosting_per_hour in
    --prices FILE is per replica there. A price or rule no source gives makes the target unpriced with
    its needs and the --prices FILE lines to fill in; it is never priced at $0. The money rules of
    `ftaudit replay --help` apply (cached prefix, Batch and service tiers like for like).
    """
    with user_errors():
        flags = dict(workload=workload, remove_prompt_tokens=remove_prompt_tokens, training_tokens=training_tokens,
                     training_file=str(training_file) if training_file else None, epochs=epochs,
                     prices=str(prices_file) if prices_file else None)
        base = {"fine_tuned_model": ANY_TARGET, "name": "compare"}
        chosen = load_scenario(scenario, **base, **flags) if scenario is None else load_scenario(scenario, **flags)
        options = _forward_options(from_date, lead_days, window_days, volume_factor, None, None)
        assert options is not None
        throughput = _positive(replica_tokens_per_s, "--replica-tokens-per-s")
        overrides = load_prices(chosen.prices) if chosen.prices else None
        with open_for_reading(db, calls) as store:
            result = ftaudit.compare(store, chosen, options, targets=target or (), replica_tokens_per_s=throughput,
                                     prices=overrides)
        summary = result.summary()
    if as_json:
        emit_json(summary)
    else:
        _print(summary)


def _positive(text: str | None, flag: str) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or value <= 0:
        raise UsageError(f"{flag} must be a number above 0, got {text!r}")
    return value


def _print(s: dict[str, Any]) -> None:
    where = f"workload {s['workload']}" if s["workload"] else "every call"
    typer.echo(f"{where} ({', '.join(s['models'])}), if trained on {s['from_date']}:")
    for n, t in enumerate(s["targets"], 1):
        verdict = f"pays back {t['break_even_date']}" if t["status"] == "pays_back" else t["status"].replace("_", " ")
        net = _usd(t["net_after_12_months_usd"]) if t["net_after_12_months_usd"] is not None else "-"
        monthly = _usd(t["monthly_net_savings_usd"]) if t["monthly_net_savings_usd"] is not None else "-"
        typer.echo(f"{n:>3}. {t['target']:<58} {verdict:<22} 12 months {net:>14}  per month {monthly:>12}")
        if t["status"] != "pays_back" and t["reason"]:
            typer.echo(f"       {t['reason']}")
        for need in t["needs"]:
            typer.echo(f"       needs {need['field']}: {need['reason']}")
    for x in s["excluded"]:
        typer.echo(f"  not a candidate: {x['target']}: {x['reason']}")
    if s["prices_toml"]:
        typer.echo("\nTo price the unpriced targets, fill in and pass with --prices FILE:\n")
        typer.echo(s["prices_toml"], nl=False)
