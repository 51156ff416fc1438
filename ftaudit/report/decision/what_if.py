"""What the in-page what-if needs to recompute the forward replay in the browser: per target, the
replay window's days priced at each price segment's rates, the fixed costs and the lifecycle dates,
as exact decimal strings. Per-day aggregates only (a window of 28 days per segment), no per-call data.

`what_if.js` (beside this module, inlined once per page) lays the window over the calendar as
`ftaudit.replay.forward_schedule.lay_out` does, so the default inputs give the static verdict.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from decimal import Decimal
from importlib.resources import files
from typing import Any

from ftaudit.prices.catalog import PriceFile, Tiered
from ftaudit.prices.resolver import Resolver
from ftaudit.replay.forward import Forward
from ftaudit.replay.result import money

LONGEST_SERVICE_DAYS = 3650  # as ftaudit.replay.forward
REMOVAL_NOTE = (
    "Prompt tokens removed: each token removed beyond (or short of) the replayed removal changes a fine-tuned call's cost "
    "by the fine-tuned input price (cache discounts not applied): an estimate. Volume, training cost, start date and "
    "target are recomputed exactly as `ftaudit replay --from D` does."
)


def script() -> str:
    """The what-if's JavaScript, from the package (inlined into the page once)."""
    return files("ftaudit.report.decision").joinpath("what_if.js").read_text(encoding="utf-8")


def target_inputs(name: str, label: str | None, f: Forward, runs: int, prices: PriceFile | None) -> dict[str, Any]:
    """One target of the what-if: its window, price segments, fixed costs and lifecycle dates."""
    fixed = f.history.fixed
    terms = f.history.terms
    scenario = f.history.scenario
    at = datetime.combine(f.serving_from, time(0), UTC)
    rate = Resolver(prices).rates(f.history.fine_tuned_provider, scenario.fine_tuned_model, at, False, "").get("input_mtok")
    value = rate.value if rate is not None else None
    input_mtok = value.base if isinstance(value, Tiered) else (Decimal(str(value)) if value is not None else None)
    window = [day.isoformat() for day, _ in f.window]
    calls = sum(t.calls for _, t in f.window)
    removed = sum(t.removed_input_tokens for _, t in f.window)

    def term(key: str) -> str | None:
        found = terms.get(key)
        return found.value.isoformat() if found is not None and hasattr(found.value, "isoformat") else None

    return {
        "target": name,
        "label": label,
        "status": f.status,
        "window": window,
        "segments": [
            {"start": start.isoformat(), "calls": [t.calls for t in traffic], "base_usd": [money(t.base_usd) for t in traffic],
             "tuned_usd": [money(t.tuned_usd) for t in traffic]}
            for start, traffic in f.segments
        ],
        "week_days": _whole_weeks(f),
        "removed_tokens_per_call": round(removed / calls) if calls else 0,
        "input_mtok_usd": money(input_mtok),
        "training_usd": money(fixed.training_at_start_usd),
        "runs": runs,
        "retrain_usd": money(fixed.retrain_usd),
        "retrain_every_days": fixed.retrain_every_days,
        "hosting_per_hour_usd": money(fixed.hosting_per_hour_usd),
        "storage_per_month_usd": money(fixed.storage_per_month_usd),
        "no_new_training_after": term("no_new_training_after"),
        "shutdown": term("serving_until"),
    }


def _whole_weeks(f: Forward) -> int:
    """Days of the window replayed week by week for the range (ftaudit.replay.forward._window)."""
    span = len(f.window)
    return span // 7 * 7 if span >= 7 else 0


def inputs(f: Forward, targets: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The what-if block of a scenario (None when the forward replay had too little data)."""
    if f.status == "insufficient_data" or not f.segments:
        return None
    o = f.options
    return {
        "from_date": o.from_date.isoformat(),
        "lead_days": o.lead_days,
        "horizon_days": o.horizon_days,
        "volume_factor": str(o.volume_factor),
        "growth": o.growth,
        "longest_service_days": LONGEST_SERVICE_DAYS,
        "targets": targets,
        "note": REMOVAL_NOTE,
    }
