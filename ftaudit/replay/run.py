"""Replay: every logged call, in time order, priced as logged (the base scenario) and as the fine-tuned
model would have served it, then the date the fine-tune has paid for itself.

The pricing of calls runs in DuckDB (queries/replay/*.sql over the `calls_named` view joined to a
price table from `ftaudit.prices.resolver`); Python only handles the per-day totals, the fixed-cost
schedule and the projection (`ftaudit.replay.projection`). No Python loop over calls.
"""

from __future__ import annotations

import difflib
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import polars as pl

from ftaudit.errors import ConfigError, UsageError
from ftaudit.prices.catalog import Priced, PriceFile, load_prices
from ftaudit.prices.genai import canonical_provider
from ftaudit.prices.resolver import Resolver
from ftaudit.replay.basis import price_calls
from ftaudit.replay.forward_schedule import data_shortage
from ftaudit.replay.projection import RECENT_DAYS, Day, FixedCosts, Projection, crossing_range, project
from ftaudit.replay.result import BreakEven, ReplayResult, decide
from ftaudit.replay.scenario import Scenario
from ftaudit.replay.training import TrainingCost, run_cost
from ftaudit.store.connection import Store

RECONCILE_TOLERANCE = Decimal("0.005")  # a base replay more than 0.5% off the billed cost is a warning
DEFAULT_CACHE_RULE = (1024, 1)  # minimum cacheable prompt and step when no sourced rule exists
_FT_PROVIDERS = ("openai", "azure", "google", "together", "fireworks", "mistral", "aws")


def replay(
    store: Store, scenario: Scenario, *, prices: PriceFile | None = None, until: datetime | None = None
) -> ReplayResult:
    """Replay the calls of `store` under `scenario` (prices: --prices FILE; defaults to scenario.prices),
    only those before `until` (exclusive, UTC) when given: what a monthly audit knew at month end."""
    if prices is None and scenario.prices is not None:
        prices = load_prices(scenario.prices)
    resolver = Resolver(prices)
    warnings: list[str] = []
    _check_workload(store, scenario.workload)
    start_ts = datetime.combine(scenario.start, time(0), UTC) if scenario.start else None
    contexts = store.frame("replay_contexts", start_ts=start_ts, until_ts=until, workload=scenario.workload)
    if contexts.is_empty():
        where = f" in workload {scenario.workload!r}" if scenario.workload else ""
        since = f" from {scenario.start}" if scenario.start else ""
        raise UsageError(f"no calls to replay{where}{since}",
                         hint="ingest logs first (ftaudit ingest), or change --workload/--start")
    if start_ts is None:
        first = contexts["first_ts"].min()
        assert isinstance(first, datetime)
        start_ts = first
    ft_provider = scenario.fine_tuned_provider or infer_fine_tuned_provider(scenario.fine_tuned_model, contexts)
    ft_key = canonical_provider(ft_provider) or ft_provider
    terms = resolver.terms(ft_key, scenario.fine_tuned_model)
    cache_min, cache_step = _cache_rule(terms, ft_key, warnings)
    training = _training(scenario, terms)
    per_run = scenario.training_cost_usd / scenario.runs if scenario.training_cost_usd is not None else (
        training.cost_per_run_usd if training else Decimal(0))
    fixed = FixedCosts(
        start=start_ts,
        training_at_start_usd=scenario.training_cost_usd if scenario.training_cost_usd is not None else per_run * scenario.runs,
        retrain_usd=per_run, retrain_every_days=scenario.retrain_every_days,
        hosting_per_hour_usd=_hosting(scenario, terms, ft_key, warnings),
        storage_per_month_usd=_money_term(scenario.storage_per_month_usd, terms, "storage_per_month", ft_key, warnings),
    )
    removal = _removal(store, scenario, start_ts, until, warnings)
    params = dict(start_ts=start_ts, until_ts=until, workload=scenario.workload, ft_provider=ft_key,
                  ft_model=scenario.fine_tuned_model, remove_tokens=_fixed_removal(scenario),
                  add_tokens=scenario.add_prompt_tokens, output_ratio=scenario.output_ratio,
                  cache_min_tokens=cache_min, cache_step_tokens=cache_step)
    store.con.register("replay_removal_frame", removal)
    store.create_temp_table("replay_removal", "replay_removal_from_frame")
    store.con.unregister("replay_removal_frame")
    reconciliation = None
    if int(contexts["billed_rows"].sum()) > 0:  # each side as logged, to compare with what was billed
        price_calls(store, resolver, scenario, contexts, ft_key, warnings, like_for_like=False)
        store.create_temp_table("replay_params", "replay_params", **params, base_model=None)
        _create_views(store)
        reconciliation = _reconcile(store.frame("reconcile_billed"), warnings)
    price_calls(store, resolver, scenario, contexts, ft_key, warnings, base_model=scenario.base_model)
    store.create_temp_table("replay_params", "replay_params", **params, base_model=scenario.base_model)
    _create_views(store)
    _removal_warning(store, warnings)
    tier_premium = store.frame("replay_tier_premium").to_dicts()
    totals = store.frame("replay_daily")
    daily, workloads = totals.filter(pl.col("grain") == "day"), totals.filter(pl.col("grain") == "workload")
    if int(daily["rows"].sum()) != int(contexts["rows"].sum()):  # a call the price join dropped: our bug
        raise RuntimeError(f"replay priced {daily['rows'].sum()} of {contexts['rows'].sum()} calls")
    _data_warnings(contexts, resolver, scenario, warnings)

    days = [Day(r["day"], r["calls"], r["net_usd"], _upper_bound(r["positive_net_estimate_usd"], r["rows"]),
                r["first_ts"], r["last_ts"]) for r in daily.iter_rows(named=True)]
    break_even = _break_even(store, days, fixed)
    end_ts = contexts["last_ts"].max()
    assert isinstance(end_ts, datetime)
    horizon_end = start_ts.date() + timedelta(days=scenario.horizon_days)
    projection: Projection | None = None
    reason: str | None
    recent = end_ts.date() - timedelta(days=RECENT_DAYS - 1)
    saved = sum((d.net_usd for d in days), Decimal(0))  # <= 0: "never" from the calls' own costs, not a projection
    shortage = None if break_even or saved <= 0 else data_shortage({d.day: d.calls for d in days}, recent, end_ts.date(),
                                                     f"the last {RECENT_DAYS} days of the logs")
    if shortage is not None:  # never a projection from one hour of logs
        status, reason = "insufficient_data", shortage
    else:
        if break_even is None:
            projection = project(days, saved, fixed, horizon_end)
        status, reason = decide(break_even, projection, days, terms, horizon_end, scenario.horizon_days)
    _lifecycle_warnings(terms, start_ts.date(), scenario.fine_tuned_model, warnings)
    return ReplayResult(
        scenario=scenario, fine_tuned_provider=ft_key, start_ts=start_ts, end_ts=end_ts, fixed=fixed,
        daily=daily, workloads=workloads, training=training, break_even=break_even, projection=projection,
        status=status, never_reason=reason, horizon_end=horizon_end, terms=terms, reconciliation=reconciliation,
        removal=removal, warnings=tuple(warnings), tier_premium=tier_premium,
    )


def _create_views(store: Store) -> None:
    """The per-call views over the temp tables (they read replay_params when queried)."""
    store.run("replay_call_tokens")
    store.run("replay_call_costs")


def _upper_bound(estimate: float, rows: int) -> Decimal:
    """A DOUBLE sum of positive per-call savings, widened far past its rounding error (1e-6 relative,
    1e-12 per call, 1e-9) so it stays an upper bound: it only chooses which days the exact search reads."""
    return Decimal(repr(estimate)) * (1 + Decimal("1e-6")) + Decimal("1e-12") * rows + Decimal("1e-9")


def infer_fine_tuned_provider(model: str, contexts: pl.DataFrame) -> str:
    """Azure names fine-tunes `base.ft-id`; otherwise the calls' provider when they all share one that
    fine-tunes, else OpenAI (the `ft:` convention)."""
    if ".ft-" in model.lower():
        return "azure"
    providers = {canonical_provider(p) for p in contexts["provider"].unique().to_list()}
    if len(providers) == 1 and (only := providers.pop()) in _FT_PROVIDERS:
        return only
    return "openai"


def _check_workload(store: Store, workload: str | None) -> None:
    if workload is None:
        return
    names = store.frame("replay_workloads")["workload"].to_list()
    if workload not in names:
        close = [n for n in names if n.lower() == workload.lower()] or difflib.get_close_matches(workload, names, n=1)
        guess = f"; did you mean `{close[0]}`?" if close else ""
        raise UsageError(f"no workload named `{workload}`{guess}", hint="see `ftaudit workloads` for the names")


def _cache_rule(terms: dict[str, Priced], provider: str, warnings: list[str]) -> tuple[int, int]:
    minimum, step = terms.get("cache_min_tokens"), terms.get("cache_step_tokens")
    if minimum is None:
        warnings.append(f"no sourced prompt-cache rule for {provider}: the fine-tuned prompt is assumed cacheable "
                        f"from {DEFAULT_CACHE_RULE[0]:,} tokens (set cache_min_tokens in --prices FILE)")
    return (int(minimum.value) if minimum and isinstance(minimum.value, int) else DEFAULT_CACHE_RULE[0],
            int(step.value) if step and isinstance(step.value, int) else DEFAULT_CACHE_RULE[1])


def _training(scenario: Scenario, terms: dict[str, Priced]) -> TrainingCost | None:
    if scenario.training_cost_usd is not None:
        return None
    if scenario.training_tokens is None and scenario.training_file is None:
        raise ConfigError(f"no training cost for {scenario.fine_tuned_model}",
                          hint="pass --training-tokens N, --training-file FILE or --training-cost USD")
    return run_cost(scenario.fine_tuned_model, terms, training_tokens=scenario.training_tokens,
                    training_file=scenario.training_file, epochs=scenario.epochs)


def _money_term(given: Decimal | None, terms: dict[str, Priced], name: str, provider: str, warnings: list[str]) -> Decimal:
    if given is not None:
        return given
    term = terms.get(name)
    if term is None:
        flag = "--" + name.replace("_", "-")
        warnings.append(f"no sourced {name.replace('_', ' ')} for {provider} fine-tunes: assumed $0 (pass {flag})")
        return Decimal(0)
    assert isinstance(term.value, Decimal)
    return term.value


def _hosting(scenario: Scenario, terms: dict[str, Priced], provider: str, warnings: list[str]) -> Decimal:
    """The hourly hosting fee: given, or the catalog's; a target that serves only while a deployment is
    paid for (hosting_required) and has no hosting price is an error, never $0."""
    required = terms.get("hosting_required")
    if scenario.hosting_per_hour_usd is None and "hosting_per_hour" not in terms and required and required.value is True:
        per = " per replica" if (r := terms.get("per_replica")) and r.value is True else ""
        raise ConfigError(
            f"{scenario.fine_tuned_model} on {provider} serves only on paid hosting ({required.source}), "
            f"and no source gives its hosting price{per}",
            hint="pass --hosting-per-hour USD (all replicas), or hosting_per_hour in --prices FILE "
                 f'[models."{scenario.fine_tuned_model}"]')
    return _money_term(scenario.hosting_per_hour_usd, terms, "hosting_per_hour", provider, warnings)


def _removal_warning(store: Store, warnings: list[str]) -> None:
    calls, overrun = store.rows("replay_removal_overrun")[0]
    if calls and overrun * 100 > calls:
        warnings.append(f"the removed prompt tokens exceed the logged prompt on {overrun:,} of {calls:,} calls "
                        f"({Decimal(overrun * 100) / calls:.1f}%): those fine-tuned prompts are clipped to 0 tokens; "
                        "check --remove-prompt-tokens")


def _date_term(terms: dict[str, Priced], name: str) -> date | None:
    term = terms.get(name)
    return term.value if term is not None and isinstance(term.value, date) else None


def _fixed_removal(scenario: Scenario) -> int:
    return 0 if scenario.remove_prompt_tokens == "auto" else scenario.remove_prompt_tokens


def _removal(store: Store, scenario: Scenario, since: datetime, until: datetime | None, warnings: list[str]) -> pl.DataFrame:
    """Workload -> prompt tokens removed per call (only for --remove-prompt-tokens auto)."""
    schema = {"workload": pl.String, "remove_tokens": pl.Int64, "method": pl.String}
    if scenario.remove_prompt_tokens != "auto":
        return pl.DataFrame(schema=schema)
    try:
        from ftaudit.stats.workloads import Filters, static_prefix_estimates
    except ImportError:
        estimates = None
    else:
        estimates = static_prefix_estimates(store, Filters(workload=scenario.workload, since=since, until=until))
    if estimates is None:
        fallback = store.frame("replay_prefix_fallback", workload=scenario.workload, start_ts=since, until_ts=until)
        warnings.append("--remove-prompt-tokens auto: no static-prefix estimator available; using the median "
                        "cached tokens of cache hits per workload, a lower bound of the prefix")
        estimates = fallback.with_columns(pl.lit("cache_read_fallback").alias("method"))
    table = (estimates.filter(pl.col("prefix_tokens").is_not_null())
             .select(pl.col("workload"), pl.col("prefix_tokens").cast(pl.Int64).alias("remove_tokens"), pl.col("method")))
    lower = table.filter(pl.col("method") == "cache_read")["workload"].to_list()
    if lower:
        warnings.append(f"--remove-prompt-tokens auto: the prefix of {', '.join(lower)} is the median cached tokens of "
                        "cache hits, a lower bound (cached lengths are rounded down to the cache step)")
    unknown = sorted(set(estimates["workload"].to_list()) - set(table["workload"].to_list()))
    if unknown:
        warnings.append(f"--remove-prompt-tokens auto: no static-prefix estimate for {', '.join(unknown)}: nothing removed there")
    return table.sort("workload")


def _reconcile(frame: pl.DataFrame, warnings: list[str]) -> dict[str, Any]:
    rows, off = [], []
    for r in frame.iter_rows(named=True):
        billed, replayed = r["billed_cost_usd"], r["replayed_cost_usd"]
        share = (replayed - billed) / billed if billed else None
        rows.append({"model": r["model"], "calls": r["calls"], "billed_cost_usd": billed, "replayed_cost_usd": replayed,
                     "difference_usd": replayed - billed, "difference_share": share})
        if (share is None and replayed != 0) or (share is not None and abs(share) > RECONCILE_TOLERANCE):
            off.append(r["model"])
    billed_total = sum((r["billed_cost_usd"] for r in rows), Decimal(0))
    replayed_total = sum((r["replayed_cost_usd"] for r in rows), Decimal(0))
    if off:
        warnings.append(f"the base replay differs from the billed cost by more than 0.5% for {', '.join(off)} "
                        "(see reconciliation; check prices with `ftaudit prices`)")
    return {"calls": sum(r["calls"] for r in rows), "billed_cost_usd": billed_total, "replayed_cost_usd": replayed_total,
            "difference_usd": replayed_total - billed_total,
            "difference_share": (replayed_total - billed_total) / billed_total if billed_total else None, "by_model": rows}


def _data_warnings(contexts: pl.DataFrame, resolver: Resolver, scenario: Scenario, warnings: list[str]) -> None:
    uncounted = int(contexts["uncounted_buckets"].sum())
    if uncounted:
        warnings.append(f"{uncounted:,} bucket rows have no request count: each counts as one call")


def _lifecycle_warnings(terms: dict[str, Priced], start: date, model: str, warnings: list[str]) -> None:
    last_training = _date_term(terms, "no_new_training_after")
    if last_training is not None and start >= last_training:
        warnings.append(f"{model}: new fine-tuning jobs cannot be created from {last_training} "
                        f"({terms['no_new_training_after'].source}); the replay starts {start}")


def _break_even(store: Store, days: list[Day], fixed: FixedCosts) -> BreakEven | None:
    window = crossing_range(days, fixed)
    if window is None:
        return None
    rows = store.rows("replay_crossing_call", **fixed.query_params(), savings_before=window.savings_before_usd,
                      from_ts=datetime.combine(window.first.day, time(0), UTC),
                      to_ts=datetime.combine(window.last.day + timedelta(days=1), time(0), UTC))
    if not rows:
        return None
    call_id, ts, calls_in_range, _ = rows[0]
    return BreakEven(call_id=call_id, ts=ts, calls=window.calls_before + int(calls_in_range))
