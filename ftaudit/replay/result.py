"""What a replay found: totals, the break-even call or the projection, the verdict and its reason, and
`summary()`, the one JSON shape the CLI prints (money as decimal strings, dates as ISO text).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import polars as pl

from ftaudit.prices.catalog import Priced
from ftaudit.prices.resolver import rate_text
from ftaudit.replay.projection import Day, FixedCosts, Projection
from ftaudit.replay.scenario import Scenario
from ftaudit.replay.training import TrainingCost

MONEY_PLACES = Decimal("1e-12")


def money(value: Decimal | None) -> str | None:
    """A USD amount as a plain decimal string, exact to 1e-12 (no exponent, no trailing zeros)."""
    if value is None:
        return None
    text = format(value.quantize(MONEY_PLACES), "f")
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "") else text


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is not None and not isinstance(value, str | int | float | bool):
        return str(value)
    return value


@dataclass(frozen=True)
class BreakEven:
    call_id: str
    ts: datetime
    calls: int  # 1-based position of the break-even call since the start


@dataclass(frozen=True)
class ReplayResult:
    scenario: Scenario
    fine_tuned_provider: str
    start_ts: datetime
    end_ts: datetime
    fixed: FixedCosts
    daily: pl.DataFrame
    workloads: pl.DataFrame
    training: TrainingCost | None
    break_even: BreakEven | None
    projection: Projection | None
    status: str
    never_reason: str | None
    horizon_end: date
    terms: dict[str, Priced]
    reconciliation: dict[str, Any] | None
    removal: pl.DataFrame
    warnings: tuple[str, ...]
    tier_premium: list[dict[str, Any]] = field(default_factory=list)

    @property
    def calls(self) -> int:
        return int(self.daily["calls"].sum())

    @property
    def base_cost_usd(self) -> Decimal:
        return sum(self.daily["base_cost_usd"].to_list(), Decimal(0))

    @property
    def fine_tuned_inference_cost_usd(self) -> Decimal:
        return sum(self.daily["fine_tuned_cost_usd"].to_list(), Decimal(0))

    def fixed_parts(self) -> dict[str, Decimal]:
        return self.fixed.parts(self.end_ts)

    @property
    def fine_tuned_total_cost_usd(self) -> Decimal:
        return self.fine_tuned_inference_cost_usd + sum(self.fixed_parts().values(), Decimal(0))

    @property
    def savings_per_call_usd(self) -> Decimal:
        return ((self.base_cost_usd - self.fine_tuned_inference_cost_usd) / self.calls).quantize(MONEY_PLACES)

    def summary(self) -> dict[str, Any]:
        parts = self.fixed_parts()
        p = self.projection
        projected = p.central if p is not None and self.status == "projected" else None
        serving = self.terms.get("serving_until")
        return {
            "scenario": _plain(self.scenario.to_dict()),
            "workload": self.scenario.workload,
            "base_model": self.scenario.base_model,
            "fine_tuned_model": self.scenario.fine_tuned_model,
            "fine_tuned_provider": self.fine_tuned_provider,
            "start_date": _iso(self.start_ts.date()),
            "end_date": _iso(self.end_ts.date()),
            "calls": self.calls,
            "base_cost_usd": money(self.base_cost_usd),
            "fine_tuned_inference_cost_usd": money(self.fine_tuned_inference_cost_usd),
            "training_cost_usd": money(parts["training"]),
            "hosting_cost_usd": money(parts["hosting"]),
            "storage_cost_usd": money(parts["storage"]),
            "fine_tuned_total_cost_usd": money(self.fine_tuned_total_cost_usd),
            "net_savings_usd": money(self.base_cost_usd - self.fine_tuned_total_cost_usd),
            "net_savings_per_call_usd": money(self.savings_per_call_usd),
            "break_even_calls": self.break_even.calls if self.break_even else None,
            "status": self.status,
            "break_even_date": _iso(self.break_even.ts.date()) if self.break_even else None,
            "projected_break_even_date": _iso(projected),
            "projected_range": {"low": _iso(p.low), "high": _iso(p.high)} if projected is not None and p else None,
            "projection_method": p.method if p is not None else None,
            "projected_daily_savings_usd": money(p.daily_savings_usd) if p is not None else None,
            "never_reason": self.never_reason,
            "horizon_end_date": _iso(self.horizon_end),
            "serving_until": _iso(serving.value) if serving is not None and isinstance(serving.value, date) else None,
            "warnings": list(self.warnings),
            "service_tier_premium_usd": money(sum((r["premium_usd"] for r in self.tier_premium), Decimal(0))),
            "service_tier_premium": [{"service_tier": r["service_tier"], "model": r["model"], "calls": r["calls"],
                                      "premium_usd": money(r["premium_usd"])} for r in self.tier_premium],
            "training": _plain(self.training.summary()) if self.training else {
                "cost_usd": money(self.fixed.training_at_start_usd), "rule": "given (--training-cost)"},
            "terms": {k: {"value": rate_text(v.value) if not isinstance(v.value, date) else v.value.isoformat(),
                          "source": v.source, "as_of": _iso(v.as_of)} for k, v in sorted(self.terms.items())},
            "prompt_tokens_removed": _plain(self.removal.to_dicts()) if self.scenario.remove_prompt_tokens == "auto"
            else self.scenario.remove_prompt_tokens,
            "reconciliation": _plain(self.reconciliation),
            "workloads": [{"workload": r["workload"], "calls": r["calls"], "base_cost_usd": money(r["base_cost_usd"]),
                           "fine_tuned_cost_usd": money(r["fine_tuned_cost_usd"]), "net_usd": money(r["net_usd"])}
                          for r in self.workloads.iter_rows(named=True)],
            "daily": [{"date": _iso(r["day"]), "calls": r["calls"], "base_cost_usd": money(r["base_cost_usd"]),
                       "fine_tuned_cost_usd": money(r["fine_tuned_cost_usd"]),
                       "cumulative_savings_usd": money(r["cumulative_savings_usd"]),
                       "cumulative_net_usd": money(r["cumulative_savings_usd"] - self.fixed.at(r["last_ts"]))}
                      for r in self.daily.iter_rows(named=True)],
        }


def decide(break_even: BreakEven | None, projection: Projection | None, days: Sequence[Day], terms: dict[str, Priced],
           horizon_end: date, horizon_days: int) -> tuple[str, str | None]:
    """(status, never_reason): reached | projected | never."""
    serving_term = terms.get("serving_until")
    serving = serving_term.value if serving_term is not None and isinstance(serving_term.value, date) else None
    stops = f"the fine-tuned model stops serving on {serving} ({serving_term.source})" if serving_term else ""
    if break_even is not None:
        when = break_even.ts.date()
        if serving is not None and when >= serving:
            return "never", f"{stops}, before the break-even on {when}"
        return "reached", None
    calls = sum(d.calls for d in days)
    saved = sum((d.net_usd for d in days), Decimal(0))
    if saved <= 0:
        per_call = money((saved / calls).quantize(MONEY_PLACES)) if calls else "0"
        return "never", (f"a fine-tuned call does not cost less than a base call: ${per_call} saved per call "
                         f"over {calls:,} calls")
    assert projection is not None
    if projection.central is not None:
        if serving is not None and projection.central >= serving:
            return "never", f"{stops}, before the projected break-even on {projection.central}"
        return "projected", None
    if projection.daily_savings_usd <= 0:
        return "never", (f"a fine-tuned call does not cost less than a base call lately: the daily net savings trend "
                         f"to ${money(projection.daily_savings_usd)} a day, so the fixed costs are never recovered")
    if serving is not None and serving <= horizon_end:
        return "never", f"{stops}, before the fixed costs are recovered (not within the {horizon_days}-day horizon either)"
    return "never", f"the fixed costs are not recovered within the {horizon_days}-day horizon (until {horizon_end})"
