"""Break-even arithmetic on a replay's daily totals: the fixed-cost schedule, the days that can hold
the break-even call, and the projection when the logs end before it. Decimal only; no database (the
exact call inside a day is found by `replay_crossing_call.sql`, which spells the same schedule).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

HOUR_SECONDS = 3600
MONTH_SECONDS = 30 * 86_400
RECENT_DAYS = 28  # the projection's window of observed days
MIN_TREND_DAYS = 7  # fewer observed days: a flat mean, no slope
PROJECTION_METHOD = (
    f"least-squares linear trend of the daily net inference savings over the last {RECENT_DAYS} days of the "
    f"logs (days without calls count as 0; a first or last day with under half the median calls per day is "
    f"left out as a partial day; a flat mean with fewer than {MIN_TREND_DAYS} days), extrapolated day by day "
    "from the last logged day and compared with the fixed costs at the end of each day; the range uses the "
    "trend plus and minus one residual standard deviation of the daily savings"
)


@dataclass(frozen=True)
class FixedCosts:
    """What the fine-tune costs regardless of traffic, as a function of time since `start`: training
    at the start (all runs), one more run every `retrain_every_days`, hosting for each started hour
    and storage for each started 30-day month."""

    start: datetime
    training_at_start_usd: Decimal
    retrain_usd: Decimal
    retrain_every_days: int | None
    hosting_per_hour_usd: Decimal
    storage_per_month_usd: Decimal

    def seconds(self, ts: datetime) -> int:
        # Whole-second boundaries crossed, as DuckDB's date_diff('second', start, ts) counts them.
        return math.floor(ts.timestamp()) - math.floor(self.start.timestamp())

    def parts(self, ts: datetime) -> dict[str, Decimal]:
        s = max(self.seconds(ts), 0)
        retrains = s // (self.retrain_every_days * 86_400) if self.retrain_every_days else 0
        return {
            "training": self.training_at_start_usd + self.retrain_usd * retrains,
            "hosting": self.hosting_per_hour_usd * (s // HOUR_SECONDS + 1),
            "storage": self.storage_per_month_usd * (s // MONTH_SECONDS + 1),
        }

    def at(self, ts: datetime) -> Decimal:
        return sum(self.parts(ts).values(), Decimal(0))

    def query_params(self) -> dict[str, Any]:
        return {
            "start_ts": self.start, "training_at_start": self.training_at_start_usd, "retrain_usd": self.retrain_usd,
            "retrain_seconds": (self.retrain_every_days or 0) * 86_400, "hosting_per_hour": self.hosting_per_hour_usd,
            "storage_per_month": self.storage_per_month_usd,
        }


@dataclass(frozen=True)
class Day:
    day: date
    calls: int
    net_usd: Decimal
    positive_net_usd: Decimal
    first_ts: datetime
    last_ts: datetime


@dataclass(frozen=True)
class CrossingRange:
    """Days [first.day, last.day] that must hold the break-even call, with the totals before them."""

    first: Day
    last: Day
    savings_before_usd: Decimal
    calls_before: int


def crossing_range(days: Sequence[Day], fixed: FixedCosts) -> CrossingRange | None:
    """The first day that can hold the break-even call (the savings before it plus its positive
    savings reach the fixed costs at its first call: an upper bound, as fixed costs only grow) up to
    the first day whose last call surely breaks even. None: no call of the logs breaks even."""
    before, calls_before = Decimal(0), 0
    first: tuple[Day, Decimal, int] | None = None
    for day in days:
        if first is None and before + day.positive_net_usd >= fixed.at(day.first_ts):
            first = (day, before, calls_before)
        before += day.net_usd
        calls_before += day.calls
        if first is not None and before >= fixed.at(day.last_ts):
            return CrossingRange(first[0], day, first[1], first[2])
    return CrossingRange(first[0], days[-1], first[1], first[2]) if first is not None else None


@dataclass(frozen=True)
class Projection:
    central: date | None
    low: date | None  # earliest: trend + one standard deviation
    high: date | None  # latest: trend - one standard deviation (None: not within the horizon)
    daily_savings_usd: Decimal  # the trend's value on the last day of the logs
    slope_usd_per_day: Decimal
    spread_usd: Decimal
    days_used: int
    method: str = PROJECTION_METHOD


def project(days: Sequence[Day], savings_end_usd: Decimal, fixed: FixedCosts, until: date) -> Projection:
    """Extrapolate daily net savings after the last logged day to the first day (<= `until`) whose
    cumulative savings reach the fixed costs at that day's end."""
    end = days[-1].day
    first = max(days[0].day, end - timedelta(days=RECENT_DAYS - 1))
    by_day = {d.day: d for d in days}
    span = [first + timedelta(days=i) for i in range((end - first).days + 1)]
    typical = sorted(by_day[d].calls if d in by_day else 0 for d in span)[len(span) // 2]
    while len(span) > 1 and span[-1] in by_day and by_day[span[-1]].calls * 2 < typical:
        span.pop()  # the logs stop part-way through their last day
    while len(span) > 1 and span[0] == days[0].day and by_day[span[0]].calls * 2 < typical:
        span.pop(0)  # and may start part-way through their first
    ys = [by_day[d].net_usd if d in by_day else Decimal(0) for d in span]
    offset = (end - span[-1]).days  # days from the fit's last day to the last logged day
    n = len(ys)
    mean_y = sum(ys, Decimal(0)) / n
    slope = Decimal(0)
    if n >= MIN_TREND_DAYS:
        mean_x = Decimal(n - 1) / 2
        sxx = sum(((Decimal(i) - mean_x) ** 2 for i in range(n)), Decimal(0))
        slope = sum(((Decimal(i) - mean_x) * (y - mean_y) for i, y in enumerate(ys)), Decimal(0)) / sxx
    intercept = mean_y - slope * Decimal(n - 1) / 2 if n >= MIN_TREND_DAYS else mean_y
    residuals = [y - (intercept + slope * i) for i, y in enumerate(ys)]
    dof = n - 2 if n >= MIN_TREND_DAYS else n - 1
    spread = (sum((r * r for r in residuals), Decimal(0)) / dof).sqrt() if dof > 0 else Decimal(0)

    def reach(shift: Decimal) -> date | None:
        cumulative = savings_end_usd
        day = end
        while day < until:
            day += timedelta(days=1)
            cumulative += intercept + slope * (n - 1 + offset + (day - end).days) + shift
            if cumulative >= fixed.at(datetime.combine(day, time(23, 59, 59), UTC)):
                return day
        return None

    return Projection(central=reach(Decimal(0)), low=reach(spread), high=reach(-spread),
                      daily_savings_usd=intercept + slope * (n - 1 + offset), slope_usd_per_day=slope, spread_usd=spread,
                      days_used=n)
