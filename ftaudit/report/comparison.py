"""Month over month: this audit's month summary against the previous audit's JSON twin (volume, token
percentiles, cost, and how the break-even date moved). Pure apart from reading that one JSON file;
a missing or unreadable previous audit gives a section that says so, never an error.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

PERCENTILES = ("p50", "p90", "p99")


def month_over_month(current: dict[str, Any], previous_path: Path) -> dict[str, Any]:
    previous, note = _load(previous_path)
    prev = previous or {"month": None, "calls": [], "tokens": [], "scenarios": []}
    prev_calls = {r["workload"]: r["calls"] for r in prev["calls"]}
    volume = [
        {
            "workload": r["workload"],
            "calls": r["calls"],
            "previous_calls": prev_calls.get(r["workload"]),
            "change_share": _change(r["calls"], prev_calls.get(r["workload"])),
        }
        for r in current["calls"]
    ]
    volume += [
        {"workload": w, "calls": 0, "previous_calls": n, "change_share": _change(0, n)}
        for w, n in sorted(prev_calls.items())
        if w not in {r["workload"] for r in current["calls"]}
    ]
    prev_tokens = {(r["workload"], r["model"], r["metric"]): r for r in prev["tokens"]}
    tokens = []
    for r in current["tokens"]:
        before = prev_tokens.get((r["workload"], r["model"], r["metric"]), {})
        tokens.append(
            {
                "workload": f"{r['workload']} ({r['model']})",
                "metric": r["metric"],
                **{p: r[p] for p in PERCENTILES},
                **{f"previous_{p}": before.get(p) for p in PERCENTILES},
            }
        )
    prev_scenarios = {s["name"]: s for s in prev["scenarios"]}
    cost, moved = [], []
    for s in current["scenarios"]:
        before = prev_scenarios.get(s["name"], {})
        cost.append(
            {
                "scenario": s["name"],
                "month_base_cost_usd": s["month_base_cost_usd"],
                "previous_month_base_cost_usd": before.get("month_base_cost_usd"),
                "net_savings_usd": s["net_savings_usd"],
                "previous_net_savings_usd": before.get("net_savings_usd"),
            }
        )
        moved.append(
            {
                "scenario": s["name"],
                "current": _when(s),
                "previous": _when(before) if before else "—",
                "moved": _moved(before, s) if before else "—",
            }
        )
    return {
        "month": current["month"],
        "previous_month": prev["month"] or _month_of(previous_path),
        "previous_found": previous is not None,
        "previous_file": previous_path.name,
        "note": note,
        "volume": volume,
        "tokens": tokens,
        "cost": cost,
        "break_even": moved,
    }


def _month_of(path: Path) -> str:
    return path.stem


def _load(path: Path) -> tuple[dict[str, Any] | None, str]:
    if not path.is_file():
        return None, f"No previous audit at {path.name}: this is the first month, so there is nothing to compare yet."
    try:
        month = json.loads(path.read_text(encoding="utf-8")).get("month")
    except (OSError, ValueError, AttributeError):
        month = None
    if not isinstance(month, dict) or not {"month", "calls", "tokens", "scenarios"} <= set(month):
        return None, f"The previous audit {path.name} has no month summary (written by an older ftaudit?): nothing to compare."
    return month, ""


def _change(now: int, before: int | None) -> float | None:
    return None if not before else (now - before) / before


def _key_date(s: dict[str, Any]) -> str | None:
    value = s.get("break_even_date") or s.get("projected_break_even_date")
    return value if isinstance(value, str) else None


def _when(s: dict[str, Any]) -> str:
    status = s.get("status")
    if status == "reached":
        return f"reached {s['break_even_date']}"
    if status == "projected":
        return f"projected {s['projected_break_even_date']}"
    return "never"


def _moved(before: dict[str, Any], now: dict[str, Any]) -> str:
    a, b = _key_date(before), _key_date(now)
    if a is None or b is None:
        return "—" if a == b else ("now breaks even" if b else "no longer breaks even")
    days = (date.fromisoformat(b) - date.fromisoformat(a)).days
    if days == 0:
        return "unchanged"
    return f"{abs(days):,} days {'later' if days > 0 else 'earlier'}"


def month_cost(daily: list[dict[str, Any]], first: date, end: date) -> tuple[str, str]:
    """Base and fine-tuned inference cost of the replay's days in [first, end)."""
    days = [d for d in daily if first.isoformat() <= d["date"] < end.isoformat()]
    return (
        str(sum((Decimal(d["base_cost_usd"]) for d in days), Decimal(0))),
        str(sum((Decimal(d["fine_tuned_cost_usd"]) for d in days), Decimal(0))),
    )
