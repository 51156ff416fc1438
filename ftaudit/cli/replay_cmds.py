"""CLI: `ftaudit prices`, `ftaudit replay`, `ftaudit training-cost` (library: ftaudit.list_prices,
ftaudit.replay, ftaudit.training_cost)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

import ftaudit
from ftaudit.cli import CallsOption, DbOption, JsonFlag, app, emit_json, open_for_reading, say, user_errors
from ftaudit.errors import UsageError
from ftaudit.prices.catalog import load_prices
from ftaudit.replay.forward_options import ForwardOptions, parse_from_date, parse_volume_factor
from ftaudit.replay.scenario import load_scenario
from ftaudit.store.connection import Store, default_db_path, open_store

PricesOption = Annotated[Path | None, typer.Option(
    "--prices", help='TOML of price overrides: [models."NAME"] input_mtok, cache_read_mtok, output_mtok, training_mtok, '
    'hosting_per_hour, serving_until ..., [[models."NAME".history]] from = DATE.', show_default=False)]


@app.command()
def prices(
    model: Annotated[str | None, typer.Argument(help="A model name (default: every model logged in the database).")] = None,
    db: DbOption = None,
    provider: Annotated[str | None, typer.Option("--provider", help="Provider of MODEL (default: from the name).")] = None,
    prices_file: PricesOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Show each price a replay uses, where it came from (genai-prices, the catalog, --prices FILE) and its date."""
    with user_errors():
        overrides = load_prices(prices_file) if prices_file else None
        if model is None:
            with open_store(db or default_db_path(), read_only=True) as store:
                listing = ftaudit.list_prices(store, prices=overrides)
        else:
            listing = ftaudit.list_prices(None, model, prices=overrides, provider=provider)
    if as_json:
        emit_json(listing)
        return
    for r in listing["rates"]:
        span = f"{r['from'] or '...'} to {r['until'] or '...'}"
        typer.echo(f"{r['model']:<32} {r['context']:<18} {r['field']:<20} {r['rate']:>12}  {span:<26} {r['source']}"
                   + _dated(r))
    for t in listing["terms"]:
        typer.echo(f"{t['model']:<32} {'terms':<18} {t['term']:<20} {t['value']:>12}  {'':<26} {t['source']}" + _dated(t))
    for ref in listing["reference"]:
        values = ", ".join(f"{k} {v}" for k, v in ref["values"].items())
        typer.echo(f"{ref['model']:<32} {'reference':<18} {ref['item']}: {values} ({ref['source']})" + _dated(ref))
    for name in listing["unpriced"]:
        say(f"no price for {name}: give it in --prices FILE")


def _dated(row: dict[str, Any]) -> str:
    if row.get("source_date"):
        dated = "source undated" if row["source_date"] == "undated" else f"source dated {row['source_date']}"
        return f" ({dated}, read {row['read_on']})"
    return f" (as of {row['as_of']})" if row.get("as_of") else ""


def _opt(name: str, help: str) -> Any:
    return typer.Option(name, help=help, show_default=False)


Text = str | None
Count = int | None
ScenarioFile = Annotated[Path | None, _opt("--scenario", "Scenario TOML (keys: these flags' names with _; flags win).")]
FineTuned = Annotated[Text, _opt("--fine-tuned-model", "The fine-tuned model, e.g. ft:gpt-4o-mini-2024-07-18.")]
FineTunedProvider = Annotated[Text, _opt("--fine-tuned-provider", "Where it would run (default: from its name and the logs).")]
BaseModel = Annotated[Text, _opt("--base-model", "Price the logged tokens as this model (default: each call's own).")]
Workload = Annotated[Text, _opt("--workload", "Only this workload.")]
Remove = Annotated[Text, _opt("--remove-prompt-tokens", "Prompt tokens removed per call, or 'auto' (static prefix).")]
Add = Annotated[Count, _opt("--add-prompt-tokens", "Prompt tokens added per call.")]
Ratio = Annotated[Text, _opt("--output-ratio", "Fine-tuned output tokens per logged output token (default 1).")]
TrainingTokens = Annotated[Count, _opt("--training-tokens", "Tokens in the training data (one epoch).")]
TrainingFile = Annotated[Path | None, _opt("--training-file", "OpenAI chat fine-tuning JSONL to count.")]
Epochs = Annotated[Text, _opt("--epochs", "Epochs, or 'auto' (the OpenAI Cookbook default).")]
Runs = Annotated[Count, _opt("--runs", "Training runs at the start (default 1).")]
TrainingCost = Annotated[Text, _opt("--training-cost", "USD for the training at the start (replaces tokens x price).")]
Retrain = Annotated[Count, _opt("--retrain-every", "Train once more every DAYS.")]
Hosting = Annotated[Text, _opt("--hosting-per-hour", "USD per deployed hour (default: the catalog).")]
Storage = Annotated[Text, _opt("--storage-per-month", "USD per stored month (default: the catalog).")]
Start = Annotated[Text, _opt("--start", "First UTC day replayed, YYYY-MM-DD (default: the first call).")]
Horizon = Annotated[Count, _opt("--horizon-days", "Longest projection, in days from the start (default 730; "
                                 "with --from: from D, default 365).")]
FromDate = Annotated[Text, _opt("--from", "Forward replay: train on D (`today` or YYYY-MM-DD) and replay the last "
                                "--window-days of calls forward from D + --lead-days (default: historical only).")]
LeadDays = Annotated[Count, _opt("--lead-days", "With --from: days from training to serving (default 1).")]
WindowDays = Annotated[Count, _opt("--window-days", "With --from: the last N days of calls are the forecast traffic, "
                                   "a whole number of weeks (default 28).")]
VolumeFactor = Annotated[Text, _opt("--volume-factor", "With --from: multiply the replayed call counts (default 1).")]
Engine = Annotated[str, typer.Option("--engine", help="Where the heavy stage runs: duckdb, or spark (Spark SQL on the "
                                    "Parquet dataset of --calls; needs the ftaudit[spark] extra and Java 17).")]
Master = Annotated[Text, _opt("--master", "With --engine spark: the Spark master URL (default local[2]; under spark-submit, "
                              "its master).")]
Growth = Annotated[Text, _opt("--growth", "With --from: `none` (default) or `trend` (scale by the window's linear "
                              "trend of calls per day).")]


@app.command()
def replay(
    scenario: ScenarioFile = None,
    fine_tuned_model: FineTuned = None,
    fine_tuned_provider: FineTunedProvider = None,
    base_model: BaseModel = None,
    workload: Workload = None,
    remove_prompt_tokens: Remove = None,
    add_prompt_tokens: Add = None,
    output_ratio: Ratio = None,
    training_tokens: TrainingTokens = None,
    training_file: TrainingFile = None,
    epochs: Epochs = None,
    runs: Runs = None,
    training_cost: TrainingCost = None,
    retrain_every: Retrain = None,
    hosting_per_hour: Hosting = None,
    storage_per_month: Storage = None,
    start: Start = None,
    horizon_days: Horizon = None,
    from_date: FromDate = None,
    lead_days: LeadDays = None,
    window_days: WindowDays = None,
    volume_factor: VolumeFactor = None,
    growth: Growth = None,
    prices_file: PricesOption = None,
    db: DbOption = None,
    calls: CallsOption = None,
    engine: Engine = "duckdb",
    master: Master = None,
    as_json: JsonFlag = False,
) -> None:
    """Replay logged calls under a fine-tuning scenario and print the break-even date.

    With --from D it first answers "if we train on D": the last --window-days of calls, re-timed from
    D + --lead-days again and again (day of week kept, prices of each new date), until the break-even,
    the fine-tuned model's end of service or the horizon; a range from replaying each week alone.

    Money rules: the removed static prefix is what was cached, so a fine-tuned call's cached tokens are
    max(logged cached - removed, 0), then the provider's minimum cacheable prompt and step. Batch calls
    are priced at Batch rates on both sides, or at standard rates on both when one side has no sourced
    Batch rate. A priority/flex call is priced at that tier only where the fine-tuned model offers it;
    otherwise both sides at the standard tier, and the base side's premium is its own line. A target that
    serves only on paid hosting needs a hosting price (error otherwise, never $0).
    """
    with user_errors():
        flags = dict(fine_tuned_model=fine_tuned_model, fine_tuned_provider=fine_tuned_provider, base_model=base_model,
                     workload=workload, remove_prompt_tokens=remove_prompt_tokens, add_prompt_tokens=add_prompt_tokens,
                     output_ratio=output_ratio, training_tokens=training_tokens,
                     training_file=str(training_file) if training_file else None, epochs=epochs, runs=runs,
                     training_cost=training_cost, retrain_every=retrain_every, hosting_per_hour=hosting_per_hour,
                     storage_per_month=storage_per_month, start=start, horizon_days=horizon_days,
                     prices=str(prices_file) if prices_file else None)
        chosen = load_scenario(scenario, **flags)
        ahead = _forward_options(from_date, lead_days, window_days, volume_factor, growth, horizon_days)
        with _open(db, calls, engine, master, ahead) as store:
            if ahead is None:
                summary = ftaudit.replay(store, chosen).summary()
            else:
                found = ftaudit.forward(store, chosen, ahead)
                summary = {**found.history.summary(), "forward": found.summary()}
    if as_json:
        emit_json(summary)
    else:
        if "forward" in summary:
            _print_forward(summary["forward"])
        _print_summary(summary)
    for warning in summary["warnings"]:
        say(f"warning: {warning}")


def _open(db: Path | None, calls: Text, engine: str, master: Text, ahead: ForwardOptions | None) -> Store:
    if engine not in ("duckdb", "spark"):
        raise UsageError(f"--engine {engine!r} is not duckdb or spark", hint="--engine spark reads a Parquet dataset (--calls)")
    if engine == "duckdb":
        if master is not None:
            raise UsageError("--master only applies to --engine spark")
        return open_for_reading(db, calls)
    if calls is None:
        raise UsageError("--engine spark reads a Parquet dataset: pass --calls DIR_OR_GLOB",
                         hint="write one from the database with `ftaudit export --parquet DIR`")
    if ahead is not None:
        raise UsageError("--engine spark replays the history only; the forward replay (--from) runs on DuckDB",
                         hint="drop --engine spark (--calls DIR works with DuckDB too)")
    from ftaudit.replay.spark import open_spark_store

    return open_spark_store(calls, master=master)


def _forward_options(from_date: Text, lead_days: Count, window_days: Count, volume_factor: Text, growth: Text,
                     horizon_days: Count) -> ForwardOptions | None:
    if from_date is None:
        given = [flag for flag, v in (("--lead-days", lead_days), ("--window-days", window_days),
                                      ("--volume-factor", volume_factor), ("--growth", growth)) if v is not None]
        if given:
            raise UsageError(f"{', '.join(given)} only apply to a forward replay", hint="add --from today or --from YYYY-MM-DD")
        return None
    optional: dict[str, Any] = {k: v for k, v in (("lead_days", lead_days), ("window_days", window_days),
                                                  ("horizon_days", horizon_days), ("growth", growth)) if v is not None}
    if volume_factor is not None:
        optional["volume_factor"] = parse_volume_factor(volume_factor)
    return ForwardOptions(from_date=parse_from_date(from_date), **optional)


def _print_forward(f: dict[str, Any]) -> None:
    head = f"if trained on {f['training_date']} (serving from {f['serving_from_date']})"
    if f["status"] == "pays_back":
        rng = f["break_even_range"]
        typer.echo(f"{head}: pays back on {f['break_even_date']} "
                   f"(range {rng['low'] or '?'} to {rng['high'] or 'not in time'})")
    elif f["status"] == "never":
        typer.echo(f"{head}: never pays back: {f['never_reason']}")
    else:
        typer.echo(f"{head}: no verdict: {f['never_reason']}")
    if f["net_after_12_months_usd"] is not None:
        typer.echo(f"  net after 12 months        {_usd(f['net_after_12_months_usd'])}"
                   + (f" (capped at the last serving day, {f['end_of_service_date']})" if f["end_of_service_date"] else ""))
    if f["net_at_end_of_service_usd"] is not None:
        typer.echo(f"  net at end of service      {_usd(f['net_at_end_of_service_usd'])} (by {f['end_of_service_date']})")
    typer.echo("history:")


def _usd(amount: str) -> str:
    return f"-${amount[1:]}" if amount.startswith("-") else f"${amount}"


def _print_summary(s: dict[str, Any]) -> None:
    where = f" (workload {s['workload']})" if s["workload"] else ""
    typer.echo(f"{s['scenario']['name']}: {s['fine_tuned_model']} on {s['fine_tuned_provider']}{where}, "
               f"{s['calls']:,} calls from {s['start_date']} to {s['end_date']}")
    typer.echo(f"  base cost                  {_usd(s['base_cost_usd'])}")
    typer.echo(f"  fine-tuned inference       {_usd(s['fine_tuned_inference_cost_usd'])}")
    typer.echo(f"  training                   {_usd(s['training_cost_usd'])}")
    typer.echo(f"  hosting / storage          {_usd(s['hosting_cost_usd'])} / {_usd(s['storage_cost_usd'])}")
    typer.echo(f"  net savings                {_usd(s['net_savings_usd'])}")
    typer.echo(f"  saved per call             {_usd(s['net_savings_per_call_usd'])} (inference only)")
    if s["status"] == "reached":
        typer.echo(f"  break-even: reached at call {s['break_even_calls']:,} on {s['break_even_date']}")
    elif s["status"] == "projected":
        rng = s["projected_range"]
        typer.echo(f"  break-even: projected on {s['projected_break_even_date']} "
                   f"(range {rng['low'] or '?'} to {rng['high'] or 'beyond the horizon'})")
    elif s["status"] == "insufficient_data":
        typer.echo(f"  break-even: not reached, not projected: {s['never_reason']}")
    else:
        typer.echo(f"  break-even: never: {s['never_reason']}")


@app.command("training-cost")
def training_cost_cmd(
    file: Annotated[Path, typer.Argument(help='OpenAI chat fine-tuning JSONL ({"messages": [...]} per line).')],
    model: Annotated[str, typer.Option("--model", help="Model to fine-tune, e.g. gpt-4o-mini-2024-07-18.")],
    epochs: Annotated[str, typer.Option("--epochs", help="Epochs, or 'auto' (the OpenAI Cookbook default).")] = "auto",
    provider: Annotated[str | None, typer.Option("--provider", help="Where to train (default: from the name).")] = None,
    prices_file: PricesOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Tokens per example, default epochs, billed training tokens and cost (like OpenAI's data-preparation notebook)."""
    with user_errors():
        n_epochs: int | str = epochs
        if epochs != "auto":
            if not epochs.isdigit() or int(epochs) < 1:
                raise UsageError(f"--epochs {epochs!r} is not a whole number >= 1 or 'auto'")
            n_epochs = int(epochs)
        overrides = load_prices(prices_file) if prices_file else None
        summary = ftaudit.training_cost(file, model, epochs=n_epochs, provider=provider, prices=overrides).summary()
    if as_json:
        emit_json(summary)
        return
    dist = summary.get("tokens_per_example", {})
    typer.echo(f"{summary['examples']:,} examples; tokens per example: min {dist.get('min')}, median {dist.get('median')}, "
               f"mean {dist.get('mean')}, p95 {dist.get('p95')}, max {dist.get('max')}")
    cap = summary["max_tokens_per_example"]
    typer.echo(f"{summary['examples_over_cap']:,} examples over the {cap:,}-token cap (billed at the cap)")
    typer.echo(f"epochs: {summary['epochs']} ({summary['epochs_rule']})")
    typer.echo(f"billed training tokens: {summary['billed_tokens']:,} = {summary['dataset_tokens']:,} x {summary['epochs']}")
    typer.echo(f"cost: ${summary['cost_usd']} at ${summary['training_mtok']} per 1M ({summary['training_price_source']})")
    say(f"note: token counts are {summary['token_method']}")
