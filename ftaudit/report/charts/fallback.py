"""What each chart says, as a small table, for readers whose mail preview or browser runs no script:
the page shows these in place of the charts until a script marks the page (`html.js`), and hides them
once the charts can draw. Pure functions of the report data; values escaped or formatted.
"""

from __future__ import annotations

from typing import Any

from ftaudit.report import fmt
from ftaudit.report.markup import n, t, table


def wrap(body: str) -> str:
    return f'<div class="fallback">{body}</div>' if body else ""


def cumulative(scenario: dict[str, Any]) -> str:
    cum, projection = scenario["cumulative"], scenario.get("projection") or {}
    rows = [
        [t(f"start ({cum['dates'][0]})"), n(fmt.usd(cum["base_usd"][0])), n(fmt.usd(cum["fine_tuned_usd"][0]))],
        [t(f"end of the logs ({cum['dates'][-1]})"), n(fmt.usd(cum["base_usd"][-1])), n(fmt.usd(cum["fine_tuned_usd"][-1]))],
    ]
    if projection.get("dates"):
        rows.append([t(f"end of the projection ({projection['dates'][-1]})"), n(fmt.usd(projection["base_usd"][-1])),
                     n(fmt.usd(projection["fine_tuned_usd"][-1]))])
    point = scenario.get("break_even_point")
    if point:
        rows.append([t(f"{point['label']} ({point['date']})"), n(fmt.usd(point["cumulative_usd"])), n("")])
    if scenario.get("end_of_service_date"):
        rows.append([t(f"the fine-tuned model stops serving on {scenario['end_of_service_date']}"), n(""), n("")])
    return wrap(table([("cumulative cost", False), ("base model", True), ("fine-tuned", True)], rows))


def daily(daily_calls: dict[str, Any]) -> str:
    dates, grain = daily_calls["dates"], daily_calls.get("grain", "day")
    if not dates:
        return ""
    rows = []
    for series in daily_calls["workloads"]:
        calls = series["calls"]
        peak = max(range(len(calls)), key=lambda i: calls[i])
        rows.append([t(series["workload"]), n(fmt.count(sum(calls))), n(fmt.count(round(sum(calls) / len(calls), 1))),
                     n(f"{dates[peak]}: {calls[peak]:,}")])
    return wrap(table([("workload", False), ("calls", True), (f"mean per {grain}", True), (f"busiest {grain}", True)],
                      rows, caption=f"Calls per {grain}, {dates[0]} to {dates[-1]}"))


def histograms(items: list[dict[str, Any]]) -> str:
    rows = []
    for h in items:
        bins = h["bins"]
        top = max(bins, key=lambda b: b["calls"]) if bins else None
        rows.append([
            t(h["workload"]), t(h["metric"].replace("_", " ")), n(fmt.count(h["zero_calls"])),
            n(f"{fmt.tokens(bins[0]['lower'])} to {fmt.tokens(bins[-1]['upper'])}" if bins else fmt.DASH),
            n(f"{fmt.tokens(top['lower'])} to {fmt.tokens(top['upper'])} ({top['calls']:,} calls)" if top else fmt.DASH),
        ])
    return wrap(table([("workload", False), ("tokens", False), ("calls with 0", True), ("range", True),
                       ("most common bin", True)], rows))


def sensitivity(grid: dict[str, Any]) -> str:
    headers = [("volume \\ tokens removed", False)] + [(f"{r:,}", True) for r in grid["removed_tokens"]]
    rows = [
        [t(f"{factor:g}x volume")] + [n("never" if d is None else f"{d:,} days") for d in days]
        for factor, days in zip(grid["volume_factors"], grid["days"], strict=True)
    ]
    return wrap(table(headers, rows, caption="Days from the start to break-even"))
