"""The traffic the report draws: calls per workload over time (per day, or per hour when the logs
span under 3 days) and token histograms binned over each distribution's own range. Reads the store
through named queries and returns aggregates only (per period, per bin), never one row per call.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import polars as pl

from ftaudit.stats.workloads import Filters, daily_usage
from ftaudit.store.connection import Store

MAX_SERIES = 12  # daily-call lines and histogram rows: the busiest workloads; the rest are summed or listed
HOURLY_UNDER_DAYS = 3  # logs spanning fewer days than this are drawn per hour
HISTOGRAM_BINS = 30
HISTOGRAM_METHOD = (
    f"each distribution is cut into up to {HISTOGRAM_BINS} bins over its own range (smallest to largest nonzero "
    "count): equal widths on a log scale when the largest is over 20 times the smallest, equal token widths "
    "otherwise; calls with zero tokens of a kind are counted apart"
)


def calls_over_time(store: Store, filters: Filters) -> dict[str, Any]:
    """Calls per period per workload on a dense axis (idle periods are 0); the busiest MAX_SERIES
    workloads get a line each, the others one summed "other" line."""
    usage = daily_usage(store, filters).filter(pl.col("calls") > 0)
    if usage.is_empty():
        return {"grain": "day", "dates": [], "workloads": [], "note": None}
    first, last = usage.get_column("day").min(), usage.get_column("day").max()
    assert isinstance(first, date) and isinstance(last, date)
    if (last - first).days + 1 < HOURLY_UNDER_DAYS:
        grain = "hour"
        per = store.frame("report_calls_by_hour", **filters.params()).rename({"hour": "period"})
        lo, hi = per.get_column("period").min(), per.get_column("period").max()
        assert isinstance(lo, datetime) and isinstance(hi, datetime)
        axis = pl.datetime_range(lo, hi, "1h", eager=True, time_zone=per.schema["period"].time_zone)  # type: ignore[attr-defined]
    else:
        grain = "day"
        per = usage.group_by("day", "workload").agg(pl.col("calls").sum()).rename({"day": "period"})
        axis = pl.date_range(first, last, "1d", eager=True)
    ranking = per.group_by("workload").agg(pl.col("calls").sum()).sort(["calls", "workload"], descending=[True, False])
    top = ranking.head(MAX_SERIES).get_column("workload").to_list()
    rest = ranking.height - len(top)
    other = f"other ({rest} workloads)"
    labelled = per.with_columns(
        pl.when(pl.col("workload").is_in(top)).then(pl.col("workload")).otherwise(pl.lit(other)).alias("workload")
    )
    periods = pl.DataFrame({"period": axis})
    series = []
    for name in [*top, *([other] if rest else [])]:
        calls = labelled.filter(pl.col("workload") == name).group_by("period").agg(pl.col("calls").sum())
        dense = periods.join(calls, on="period", how="left").sort("period").get_column("calls").fill_null(0)
        series.append({"workload": name, "calls": [int(c) for c in dense.to_list()]})
    note = f"The {rest} quieter workloads are summed as “{other}”." if rest else None
    labels = [_label(p, grain) for p in periods.get_column("period").to_list()]
    return {"grain": grain, "dates": labels, "workloads": series, "note": note}


def _label(period: date | datetime, grain: str) -> str:
    if grain == "hour" and isinstance(period, datetime):
        return period.strftime("%Y-%m-%d %H:%M")
    return period.isoformat() if not isinstance(period, datetime) else period.date().isoformat()


def histograms(store: Store, filters: Filters, stats: pl.DataFrame) -> list[dict[str, Any]]:
    """Per busy workload and token kind: the zero-token calls and the bins of the nonzero ones."""
    bins = store.frame("report_token_bins", bins=HISTOGRAM_BINS, **filters.params())
    busiest = (
        stats.group_by("workload")
        .agg(pl.col("calls").sum())
        .sort(["calls", "workload"], descending=[True, False])
        .head(MAX_SERIES)
        .get_column("workload")
        .to_list()
    )
    out = []
    for workload in busiest:
        for metric in ("input_tokens", "cache_read_tokens", "output_tokens"):
            part = bins.filter((pl.col("workload") == workload) & (pl.col("metric") == metric)).sort("bin")
            zero = part.filter(pl.col("bin") < 0).get_column("calls").sum()
            rows = part.filter(pl.col("bin") >= 0)
            out.append(
                {
                    "workload": workload,
                    "metric": metric,
                    "scale": rows.get_column("scale")[0] if rows.height else None,
                    "zero_calls": int(zero or 0),
                    "bins": [
                        {"lower": round(r["lower_tokens"], 3), "upper": round(r["upper_tokens"], 3), "calls": int(r["calls"])}
                        for r in rows.iter_rows(named=True)
                    ],
                }
            )
    return out


