"""What-if arithmetic for a replayed scenario: the sensitivity grid (days to break-even by volume and
tokens removed) and the volume threshold (calls per month to break even within 3, 6 and 12 months), plus
the latency change of a shorter prompt. Steady-state models stated on the page (`SENSITIVITY_METHOD`,
`THRESHOLD_METHOD`); the break-even date itself is always the replay's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ftaudit.prices.catalog import Tiered
from ftaudit.prices.resolver import Resolver
from ftaudit.replay.result import ReplayResult, money

DAYS_PER_MONTH = Decimal("30.4375")  # 365.25 / 12
THRESHOLD_MONTHS = (3, 6, 12)
VOLUME_FACTORS = (0.25, 0.5, 1.0, 2.0, 4.0)
REMOVAL_FRACTIONS = (Decimal(0), Decimal("0.25"), Decimal("0.5"), Decimal("0.75"), Decimal(1), Decimal("1.25"))
DEFAULT_REMOVALS = (0, 250, 500, 1000, 2000)
SENSITIVITY_METHOD = (
    "Days from the scenario's start to break-even at a steady state: the last {days} days' mean calls per day times the "
    "volume factor, each call saving the replayed mean saving per call plus (tokens removed - {removed:,}) x the "
    "fine-tuned input price (${rate} per 1M tokens), against the scenario's training, retraining, hosting and storage "
    "schedule. “never”: not within the {horizon}-day horizon or before the fine-tuned model stops serving."
)
THRESHOLD_METHOD = (
    "Calls per month needed to break even within a period = the least, over the days t of the period, of the fixed "
    "costs accrued by t (training, retraining, hosting, storage) / (t in months x the replayed saving of ${saving} per "
    "1,000 calls / 1,000), so a longer period never needs more calls than a shorter one. Current volume: the mean of "
    "the last {days} days x 30.4 days. Periods run from the scenario's start ({start}); days after the fine-tuned "
    "model stops serving do not count. The last column is the replay's own break-even date (reached or projected)."
)


@dataclass(frozen=True)
class ScenarioRun:
    """A replayed scenario and what the report needs beside it: the resolver its prices came from and
    the (provider, model, is_batch, service_tier) keys of the calls it replayed."""

    result: ReplayResult
    resolver: Resolver
    summary: dict[str, Any]  # result.summary(), computed once: the replay JSON
    price_keys: tuple[tuple[str, str, bool, str], ...] = ()

    @property
    def name(self) -> str:
        return self.result.scenario.name


def serving_until(result: ReplayResult) -> date | None:
    term = result.terms.get("serving_until")
    return term.value if term is not None and isinstance(term.value, date) else None


def ft_input_rate(run: ScenarioRun) -> Decimal:
    """The fine-tuned model's standard input price per 1M tokens on the last day of the logs."""
    r = run.result
    rates = run.resolver.rates(r.fine_tuned_provider, r.scenario.fine_tuned_model, r.end_ts, False, "")
    value = rates["input_mtok"].value
    return value.base if isinstance(value, Tiered) else Decimal(str(value))


def sensitivity(run: ScenarioRun, recent: dict[str, Any], removed: int) -> dict[str, Any] | None:
    result = run.result
    calls = result.calls
    if calls == 0 or recent["calls_per_day"] == 0:
        return None
    rate = ft_input_rate(run)
    saving_per_call = (result.base_cost_usd - result.fine_tuned_inference_cost_usd) / calls
    removals = sorted({round(removed * f / 10) * 10 for f in REMOVAL_FRACTIONS}) if removed else list(DEFAULT_REMOVALS)
    serving = serving_until(result)
    start = result.start_ts
    limit = result.scenario.horizon_days
    if serving is not None:
        limit = min(limit, (serving - start.date()).days - 1)
    fixed = [float(result.fixed.at(start + timedelta(days=d))) for d in range(max(limit, 0) + 1)]
    grid = []
    for factor in VOLUME_FACTORS:
        row = []
        for tokens in removals:
            per_call = float(saving_per_call + (tokens - removed) * rate / 10**6)
            row.append(_first_day(per_call * recent["calls_per_day"] * factor, fixed))
        grid.append(row)
    return {
        "removed_tokens": removals,
        "volume_factors": list(VOLUME_FACTORS),
        "days": grid,
        "horizon_days": result.scenario.horizon_days,
        "scenario_removed_tokens": removed,
        "fine_tuned_input_mtok": str(rate),
        "method": SENSITIVITY_METHOD.format(
            days=recent["days"], removed=removed, rate=rate, horizon=result.scenario.horizon_days
        ),
    }


def _first_day(saving_per_day: float, fixed: list[float]) -> int | None:
    if saving_per_day <= 0:
        return None
    for day in range(1, len(fixed)):
        if saving_per_day * day >= fixed[day]:
            return day
    return None


def volume_threshold(result: ReplayResult, recent: dict[str, Any], break_even: date | None) -> dict[str, Any] | None:
    """Calls per month needed to break even within 3, 6 and 12 months of the start. Breaking even within
    M months means on some day t <= M months (and before the end of service) the savings reach the
    fixed costs: needed(M) = min over those days of fixed(t) / (t in months x saving per call), so a
    longer period never needs more than a shorter one. `in_period`: the replay's own break-even date
    (reached or projected) falls in the period, so the table agrees with the verdict."""
    calls = result.calls
    if calls == 0:
        return None
    saving = (result.base_cost_usd - result.fine_tuned_inference_cost_usd) / calls
    if saving <= 0:
        return None
    serving = serving_until(result)
    current = int(recent["calls_per_month"])
    start = result.start_ts
    last = int(DAYS_PER_MONTH * THRESHOLD_MONTHS[-1])
    if serving is not None:
        last = min(last, (serving - start.date()).days - 1)
    least: list[Decimal] = []  # least[d - 1]: calls per month to break even by some day <= d
    for d in range(1, last + 1):
        value = result.fixed.at(start + timedelta(days=d)) / (saving * d / DAYS_PER_MONTH)
        least.append(min(value, least[-1]) if least else value)
    rows: list[dict[str, Any]] = []
    for months in THRESHOLD_MONTHS:
        end = start + timedelta(days=float(DAYS_PER_MONTH * months))
        days = min((end - start).days, last)
        needed = math.ceil(least[days - 1]) if days >= 1 else None
        rows.append(
            {
                "months": months,
                "end_date": end.date().isoformat(),
                "calls_per_month": needed,
                "fixed_costs_usd": money(result.fixed.at(min(end, start + timedelta(days=max(last, 0))))),
                "met": needed is not None and current >= needed,
                "in_period": break_even is not None and break_even <= end.date(),
                "capped_at_end_of_service": serving is not None and end.date() >= serving,
            }
        )
    end_of_service = serving.isoformat() if serving is not None else None
    return {
        "current_calls_per_month": current,
        "saving_per_call_usd": money(saving),
        "break_even_date": break_even.isoformat() if break_even else None,
        "rows": rows,
        "end_of_service_date": end_of_service,
        "method": THRESHOLD_METHOD.format(
            saving=money((saving * 1000).quantize(Decimal("0.01"))), days=recent["days"],
            start=result.start_ts.date().isoformat()
        ),
    }


def latency_change(result: ReplayResult, removed: int, fits: list[dict[str, Any]]) -> dict[str, Any] | None:
    workload = result.scenario.workload
    candidates = [f for f in fits if f["workload"] == workload] if workload else (fits if len(fits) == 1 else [])
    if not candidates or candidates[0]["ms_per_1k_input_tokens"] is None or not removed:
        return None
    fit = candidates[0]
    change = -removed * fit["ms_per_1k_input_tokens"] / 1000
    p50 = fit["latency_ms_p50"]
    return {
        "workload": fit["workload"],
        "removed_tokens": removed,
        "expected_change_ms": change,
        "expected_change_share": change / p50 if p50 else None,
    }
