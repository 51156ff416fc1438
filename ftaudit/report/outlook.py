"""What a replayed scenario means for a reader: the verdict sentence, the cumulative cost series with
the projection after the logs, the sensitivity grid and the volume threshold.

Pure arithmetic on a `ReplayResult` (per-day totals and its fixed-cost schedule): no store, no
per-call data. The sensitivity grid and the volume threshold are steady-state models stated on the
page (`SENSITIVITY_METHOD`, `THRESHOLD_METHOD`); the break-even date itself is always the replay's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from ftaudit.replay.result import ReplayResult, money
from ftaudit.report.what_if import DAYS_PER_MONTH, ScenarioRun, latency_change, sensitivity, serving_until, volume_threshold

RECENT_DAYS = 28  # the "current" rates: mean over the last 28 calendar days of the logs (idle days count 0)
SERIES_PLACES = Decimal("1e-6")  # chart series: micro-dollars are plenty to draw; totals stay exact


def scenario_block(run: ScenarioRun, latency_fits: list[dict[str, Any]]) -> dict[str, Any]:
    """Everything the page shows about one scenario, plus its replay JSON verbatim (`replay`)."""
    result, summary = run.result, run.summary
    recent = _recent(result)
    removed = _mean_removed_tokens(result, summary)
    block: dict[str, Any] = {
        "name": result.scenario.name,
        "workload": result.scenario.workload,
        "base_model": result.scenario.base_model,
        "fine_tuned_model": result.scenario.fine_tuned_model,
        "status": summary["status"],
        "verdict": verdict(summary),
        "net_savings_to_date_usd": summary["net_savings_usd"],
        "net_savings_next_days_usd": money(_next_days_net(result, recent)),
        "next_days": _next_days(result),
        "end_of_service_date": summary.get("serving_until"),
        "warnings": summary["warnings"],
        "mean_prompt_tokens_removed": removed,
        "recent": {k: money(v) if isinstance(v, Decimal) else v for k, v in recent.items()},
        "cumulative": _cumulative(result),
        "projection": _projection(result, recent),
        "projected_range": _band(summary),
        "break_even_point": None,
        "chart_note": _chart_note(summary),
        "sensitivity": sensitivity(run, recent, removed),
        "volume_threshold": volume_threshold(result, recent, _verdict_date(summary)),
        "latency": latency_change(result, removed, latency_fits),
        "workload_costs": {
            w["workload"]: {"base_cost_usd": w["base_cost_usd"], "fine_tuned_cost_usd": w["fine_tuned_cost_usd"]}
            for w in summary["workloads"]
        },
        "parameters": summary["scenario"],
        "replay": summary,
    }
    if summary["break_even_date"]:
        cum = block["cumulative"]
        at = cum["dates"].index(summary["break_even_date"]) if summary["break_even_date"] in cum["dates"] else -1
        block["break_even_point"] = {
            "date": summary["break_even_date"],
            "cumulative_usd": cum["base_usd"][at],
            "label": f"break-even, call {summary['break_even_calls']:,}",
        }
    elif summary["projected_break_even_date"]:
        block["break_even_point"] = {
            "date": summary["projected_break_even_date"],
            "cumulative_usd": _projected_base_at(block["projection"], summary["projected_break_even_date"]),
            "label": "projected break-even",
        }
    return block


def _verdict_date(summary: dict[str, Any]) -> date | None:
    day = summary.get("break_even_date") or summary.get("projected_break_even_date")
    return date.fromisoformat(day) if day else None


def verdict(summary: dict[str, Any]) -> str:
    """One sentence: reached on a date after N calls / projected between two dates / never, and why."""
    workload = summary["workload"]
    scope = f"“{workload}”" if workload else "all workloads"
    instead = f" in place of {summary['base_model']}" if summary["base_model"] else ""
    head = f"Fine-tuning {summary['fine_tuned_model']}{instead} for {scope}"
    status = summary["status"]
    if status == "reached":
        return f"{head} paid for itself on {summary['break_even_date']}, after {summary['break_even_calls']:,} calls."
    if status == "projected":
        band = summary.get("projected_range") or {}
        central = summary["projected_break_even_date"]
        if band.get("low") and band.get("high"):
            return f"{head} is projected to break even between {band['low']} and {band['high']} (central estimate {central})."
        return f"{head} is projected to break even around {central}."
    if status == "insufficient_data":
        return f"{head} cannot be projected: {summary['never_reason']}."
    reason = summary.get("never_reason") or "the fixed costs are never recovered"
    source = (summary.get("terms", {}).get("serving_until") or {}).get("source")
    if source:  # the catalog's provenance is on the page under Assumptions; keep the sentence short
        reason = reason.replace(f" ({source})", "")
    return f"{head} never breaks even: {reason}."


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), UTC)


def _days(result: ReplayResult) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = result.daily.sort("day").to_dicts()
    return rows


def _recent(result: ReplayResult) -> dict[str, Any]:
    """Mean calls, base cost and net inference saving per calendar day over the last RECENT_DAYS days."""
    rows = _days(result)
    end = result.end_ts.date()
    first = max(result.start_ts.date(), end - timedelta(days=RECENT_DAYS - 1))
    span = (end - first).days + 1
    window = [r for r in rows if r["day"] >= first]
    calls = sum(int(r["calls"]) for r in window)
    return {
        "days": span,
        "calls_per_day": calls / span,
        "base_usd_per_day": sum((r["base_cost_usd"] for r in window), Decimal(0)) / span,
        "net_usd_per_day": sum((r["net_usd"] for r in window), Decimal(0)) / span,
        "calls_per_month": round(calls / span * float(DAYS_PER_MONTH)),
    }


def _mean_removed_tokens(result: ReplayResult, summary: dict[str, Any]) -> int:
    """Prompt tokens the scenario removes per call, call-weighted over its workloads."""
    removed = summary["prompt_tokens_removed"]
    if isinstance(removed, int):
        return removed
    by_workload = {r["workload"]: int(r["remove_tokens"]) for r in removed}
    calls = {w["workload"]: int(w["calls"]) for w in summary["workloads"]}
    total = sum(calls.values())
    return round(sum(by_workload.get(w, 0) * n for w, n in calls.items()) / total) if total else 0


def _cumulative(result: ReplayResult) -> dict[str, Any]:
    """Cumulative base cost and fine-tuned total (inference + fixed costs accrued at each day's last
    call), starting with the training step on the start date."""
    fixed = result.fixed
    dates, base, tuned = [result.start_ts.date().isoformat()], ["0"], [_series(fixed.at(result.start_ts))]
    base_sum = tuned_sum = Decimal(0)
    for r in _days(result):
        base_sum += r["base_cost_usd"]
        tuned_sum += r["fine_tuned_cost_usd"]
        dates.append(r["day"].isoformat())
        base.append(_series(base_sum))
        tuned.append(_series(tuned_sum + fixed.at(r["last_ts"])))
    return {"dates": dates, "base_usd": base, "fine_tuned_usd": tuned}


def _series(value: Decimal) -> str:
    return format(value.quantize(SERIES_PLACES), "f")


def _projection_end(result: ReplayResult) -> date:
    summary_end = result.end_ts.date()
    candidates = [summary_end + timedelta(days=90)]
    p = result.projection
    if p is not None:
        candidates += [d for d in (p.central, p.low, p.high) if d is not None]
    serving = serving_until(result)
    return min(max(candidates), result.horizon_end, serving or result.horizon_end)


def _projection(result: ReplayResult, recent: dict[str, Any]) -> dict[str, Any] | None:
    """Both lines after the logs. The daily saving follows the replay's projection (its trend); the
    base cost per day keeps the recent ratio of base cost to saving (so traffic growth raises both),
    or the recent mean when nothing is saved; fixed costs accrue on schedule."""
    if result.status in ("reached", "insufficient_data"):  # no line extrapolated from too little data
        return None
    end = result.end_ts.date()
    last = _projection_end(result)
    if last <= end:
        return None
    p = result.projection
    saving0 = p.daily_savings_usd if p is not None else recent["net_usd_per_day"]
    slope = p.slope_usd_per_day if p is not None else Decimal(0)
    ratio = recent["base_usd_per_day"] / recent["net_usd_per_day"] if recent["net_usd_per_day"] > 0 else None
    base_sum = result.base_cost_usd
    tuned_sum = result.fine_tuned_inference_cost_usd
    dates, base, tuned = [], [], []
    day, k = end, 0
    while day < last:
        day += timedelta(days=1)
        k += 1
        saving = saving0 + slope * k
        base_day = max(saving * ratio, Decimal(0)) if ratio is not None else recent["base_usd_per_day"]
        base_sum += base_day
        tuned_sum += max(base_day - saving, Decimal(0))
        dates.append(day.isoformat())
        base.append(_series(base_sum))
        tuned.append(_series(tuned_sum + result.fixed.at(_end_of(day))))
    return {"dates": dates, "base_usd": base, "fine_tuned_usd": tuned}


def _projected_base_at(projection: dict[str, Any] | None, day: str) -> str | None:
    if projection and day in projection["dates"]:
        value: str = projection["base_usd"][projection["dates"].index(day)]
        return value
    return None


def _band(summary: dict[str, Any]) -> dict[str, Any] | None:
    band = summary.get("projected_range")
    if not band or not band.get("low"):
        return None
    return {"low": band["low"], "high": band.get("high") or summary.get("horizon_end_date")}


def _chart_note(summary: dict[str, Any]) -> str:
    parts = [
        "The fine-tuned line starts with the training run on the start date and includes retraining, hosting and "
        "storage as they accrue."
    ]
    if summary.get("projection_method"):
        parts.append(f"Dotted lines: projection ({summary['projection_method']}).")
    if summary.get("projected_range"):
        parts.append("Shaded: the projected break-even range.")
    if summary.get("serving_until"):
        parts.append(f"Dashed vertical line: the fine-tuned model stops serving on {summary['serving_until']}.")
    return " ".join(parts)


def _next_days_net(result: ReplayResult, recent: dict[str, Any]) -> Decimal:
    """Net savings over the 365 days after the logs at the recent daily saving, less the fixed costs
    that accrue in them; nothing accrues after the fine-tuned model stops serving."""
    end = result.end_ts.date()
    days = _next_days(result)
    if days == 0:
        return Decimal(0)
    fixed = result.fixed
    later = fixed.at(_end_of(end + timedelta(days=days))) - fixed.at(result.end_ts)
    saving: Decimal = recent["net_usd_per_day"] * days - later
    return saving


def _next_days(result: ReplayResult) -> int:
    """365, or fewer when the fine-tuned model stops serving within the year after the logs: the days
    it serves, from the day after the logs up to, not including, its shutdown date."""
    serving = serving_until(result)
    return 365 if serving is None else max(0, min(365, (serving - result.end_ts.date()).days - 1))
