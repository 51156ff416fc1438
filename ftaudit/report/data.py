"""Everything the report shows, gathered once into one plain JSON-serialisable dict (the JSON twin).

The only part of the report that reads the store: it replays each scenario, runs the workloads'
statistics and a few `report_*` queries, and reduces them to aggregates (per day, per bin, per
workload), so the page's size follows days x workloads, never calls. It renders nothing: `page`
turns the dict into HTML. Money stays a decimal string; dates are ISO strings.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

import polars as pl

from ftaudit.prices.catalog import PriceFile, load_prices
from ftaudit.prices.resolver import Resolver
from ftaudit.replay.run import replay
from ftaudit.replay.scenario import Scenario
from ftaudit.report import outlook, provenance, traffic
from ftaudit.report.decision.ahead import decide
from ftaudit.report.decision.coverage import coverage, relative_paths
from ftaudit.report.what_if import ScenarioRun
from ftaudit.stats.distributions import PERCENTILE_METHOD
from ftaudit.stats.workloads import Filters, bucket_totals, daily_usage, token_distributions
from ftaudit.store.connection import Store

SCHEMA = "ftaudit-report/2"


def gather(
    store: Store,
    scenarios: Sequence[Scenario] = (),
    *,
    title: str = "Fine-tuning audit",
    since: datetime | None = None,
    until: datetime | None = None,
    prices: PriceFile | None = None,
    database: str | None = None,
    from_date: date | None = None,
) -> dict[str, Any]:
    """The report data for the calls in [since, until) (UTC, `until` exclusive) and each scenario
    replayed over them (a scenario starting earlier starts at `since`), with its forward replay and
    its targets ranked by `compare` if trained on `from_date` (default: today)."""
    from ftaudit import __version__

    since, until = _utc(since), _utc(until)
    filters = Filters(since=since, until=until)
    models = store.frame("report_models", **filters.params()).to_dicts()
    runs = [_run(store, scenario, since, until, prices, models) for scenario in scenarios]
    window = _window(store, filters)
    stats = token_distributions(store, filters) if window["calls"] else pl.DataFrame()
    latency = _latency_fits(store, filters)
    blocks = [outlook.scenario_block(run, latency) for run in runs]
    for block, decision in zip(blocks, decide(store, scenarios, from_date, prices=prices), strict=True):
        block.update(decision)
    quality = _data_quality(store, filters, runs, models)
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "title": title,
        "database": database if database is not None else store.path.name,
        "ftaudit_version": __version__,
        "window": window,
        "coverage": coverage(window, stats, quality["totals"]),
        "scenarios": blocks,
        "daily_calls": traffic.calls_over_time(store, filters),
        "histogram_method": traffic.HISTOGRAM_METHOD,
        "histograms": traffic.histograms(store, filters, stats) if window["calls"] else [],
        "latency": latency,
        "workloads": _workload_rows(stats, blocks),
        "data_quality": quality,
        "assumptions": provenance.assumptions(runs, PERCENTILE_METHOD),
        "month_over_month": None,
    }
    result: dict[str, Any] = plain(data)
    return result


def _run(
    store: Store,
    scenario: Scenario,
    since: datetime | None,
    until: datetime | None,
    prices: PriceFile | None,
    models: list[dict[str, Any]],
) -> ScenarioRun:
    if since is not None and (scenario.start is None or scenario.start < since.date()):
        scenario = scenario.with_changes(start=since.date())
    result = replay(store, scenario, prices=prices, until=until)
    overrides = prices if prices is not None else (load_prices(scenario.prices) if scenario.prices else None)
    keys = tuple(
        sorted(
            {
                (m["provider"], m["model"], bool(m["is_batch"]), m["service_tier"])
                for m in models
                if scenario.workload is None or m["workload"] == scenario.workload
            }
        )
    )
    return ScenarioRun(result=result, resolver=Resolver(overrides), summary=result.summary(), price_keys=keys)


def _utc(moment: datetime | date | None) -> datetime | None:
    if moment is None:
        return None
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time(0))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def plain(value: Any) -> Any:
    """The same structure with only JSON types: Decimal -> str, dates -> ISO, NaN -> None."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _window(store: Store, filters: Filters) -> dict[str, Any]:
    params = filters.params()
    row = store.frame("report_window", **params).row(0, named=True)
    return {
        "since": params["since"].date().isoformat() if params["since"] else None,
        "until": params["until"].date().isoformat() if params["until"] else None,
        "first_day": row["first_day"].isoformat() if row["first_day"] else None,
        "last_day": row["last_day"].isoformat() if row["last_day"] else None,
        "calls": int(row["calls"]),
    }


def _latency_fits(store: Store, filters: Filters) -> list[dict[str, Any]]:
    """Per workload with logged latency: ms per input token and per output token from a two-variable
    least-squares fit on variances and covariances (one variable when output does not vary)."""
    fits = []
    for row in store.frame("report_latency_fit", **filters.params()).iter_rows(named=True):
        vx, vz, cxz = row["var_input"] or 0.0, row["var_output"] or 0.0, row["cov_input_output"] or 0.0
        cxy, czy = row["cov_input_latency"] or 0.0, row["cov_output_latency"] or 0.0
        det = vx * vz - cxz * cxz
        if row["calls_with_latency"] < 3 or vx <= 0:
            per_input, per_output, fit = None, None, "not enough variation in input tokens"
        elif vz > 0 and det > 1e-9 * vx * vz:
            per_input, per_output, fit = (
                (cxy * vz - czy * cxz) / det,
                (czy * vx - cxy * cxz) / det,
                "latency ~ input + output tokens",
            )
        else:
            per_input, per_output, fit = cxy / vx, None, "latency ~ input tokens"
        fits.append(
            {
                "workload": row["workload"],
                "calls_with_latency": int(row["calls_with_latency"]),
                "latency_ms_p50": row["latency_ms_p50"],
                "latency_ms_p90": row["latency_ms_p90"],
                "ms_per_1k_input_tokens": None if per_input is None else per_input * 1000,
                "ms_per_output_token": per_output,
                "fit": fit,
            }
        )
    return fits


def _workload_rows(stats: pl.DataFrame, scenario_blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if stats.is_empty():
        return []
    keep = ["workload", "model", "calls", "active_days", "prefix_tokens", "prefix_method"] + [
        f"{kind}_{p}" for kind in ("input_tokens", "cache_read_tokens", "output_tokens") for p in ("p50", "p90", "p99")
    ]
    rows = []
    for row in stats.sort(["calls", "workload", "model"], descending=[True, False, False]).select(keep).iter_rows(named=True):
        costs = [
            {"scenario": s["name"], **s["workload_costs"][row["workload"]]}
            for s in scenario_blocks
            if row["workload"] in s.get("workload_costs", {})
        ]
        rows.append({**row, "prefix_tokens": None if row["prefix_tokens"] is None else int(row["prefix_tokens"]), "costs": costs})
    return rows


def _data_quality(
    store: Store, filters: Filters, runs: Sequence[ScenarioRun], models: list[dict[str, Any]]
) -> dict[str, Any]:
    files = relative_paths(store.frame("report_files").to_dicts())
    totals = {
        "files": len(files),
        **{
            k: sum(int(f[k]) for f in files)
            for k in ("rows_read", "rows_accepted", "rows_rejected", "rows_duplicate", "rows_superseded", "bucket_rows")
        },
    }
    buckets = bucket_totals(store, filters)
    bucket_rows = (
        []
        if buckets.is_empty()
        else (
            buckets.group_by("workload", "model")
            .agg(
                pl.col("bucket_rows").sum(), pl.col("requests").sum(), pl.col("input_tokens").sum(), pl.col("output_tokens").sum()
            )
            .sort("workload", "model")
            .to_dicts()
        )
    )
    reconciliation, note = provenance.reconciliation(runs)
    return {
        "totals": totals,
        "files": files,
        "rejects_by_reason": store.frame("report_rejects_by_reason").to_dicts(),
        "buckets": bucket_rows,
        "unpriced_models": provenance.unpriced_models(models, runs),
        "reconciliation": reconciliation,
        "reconciliation_note": note,
    }


def month_summary(store: Store, data: dict[str, Any], first: date, end: date) -> dict[str, Any]:
    """The month [first, end) of an audit, kept in its JSON so the next audit can compare: calls per
    workload, token percentiles per workload and model, and each scenario's cost and break-even."""
    from ftaudit.report.comparison import month_cost

    filters = Filters(since=_utc(first), until=_utc(end))
    usage = daily_usage(store, filters)
    calls = (
        []
        if usage.is_empty()
        else usage.group_by("workload").agg(pl.col("calls").sum()).filter(pl.col("calls") > 0).sort("workload").to_dicts()
    )
    percentiles = store.frame("stats_token_percentiles", **filters.params(), by=None)
    tokens = [
        {"workload": r["workload"], "model": r["model"], "metric": kind, **{p: r[f"{kind}_{p}"] for p in ("p50", "p90", "p99")}}
        for r in percentiles.sort("workload", "model").iter_rows(named=True)
        for kind in ("input_tokens", "cache_read_tokens", "output_tokens")
    ]
    scenarios = []
    for block in data["scenarios"]:
        replayed = block["replay"]
        base, tuned = month_cost(replayed["daily"], first, end)
        scenarios.append(
            {
                "name": block["name"],
                "month_base_cost_usd": base,
                "month_fine_tuned_cost_usd": tuned,
                "net_savings_usd": replayed["net_savings_usd"],
                "status": replayed["status"],
                "break_even_date": replayed["break_even_date"],
                "projected_break_even_date": replayed["projected_break_even_date"],
            }
        )
    summary: dict[str, Any] = plain(
        {
            "month": first.strftime("%Y-%m"),
            "calls": [{"workload": c["workload"], "calls": int(c["calls"])} for c in calls],
            "tokens": tokens,
            "scenarios": scenarios,
        }
    )
    return summary
