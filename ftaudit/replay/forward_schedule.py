"""The forward replay's day-by-day arithmetic: the window's priced days laid over the calendar from the
first serving day (each forward day takes the window day of the same weekday, in window order, again
and again), the fixed costs of each day, and the first day the running net reaches zero. Decimal only;
no database (the window's days are priced in SQL by `ftaudit.replay.forward`), no loop over calls.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

HOURS_PER_DAY = 24
STORAGE_MONTH_DAYS = 30
MIN_DAYS_WITH_CALLS = 7
MIN_CALLS = 100


@dataclass(frozen=True)
class Traffic:
    """One window day's calls and their cost at one price segment's rates."""

    calls: int
    base_usd: Decimal
    tuned_usd: Decimal
    removed_input_tokens: int = 0


NO_TRAFFIC = Traffic(0, Decimal(0), Decimal(0))


@dataclass(frozen=True)
class Fixed:
    """Fixed costs from the training date D: training (all runs) on D, one more run every
    `retrain_every_days` after D, hosting for each hour of a serving day, storage for each started
    30-day month from D."""

    training_usd: Decimal
    retrain_usd: Decimal
    retrain_every_days: int | None
    hosting_per_hour_usd: Decimal
    storage_per_month_usd: Decimal

    def on(self, day: date, training_date: date, serving: bool) -> Decimal:
        n = (day - training_date).days
        cost = self.training_usd if n == 0 else Decimal(0)
        if self.retrain_every_days and n > 0 and n % self.retrain_every_days == 0:
            cost += self.retrain_usd
        if serving:
            cost += self.hosting_per_hour_usd * HOURS_PER_DAY
        if n % STORAGE_MONTH_DAYS == 0:
            cost += self.storage_per_month_usd
        return cost


@dataclass(frozen=True)
class ForwardDay:
    day: date
    serving: bool
    calls: Decimal
    base_usd: Decimal
    tuned_usd: Decimal
    fixed_usd: Decimal
    cumulative_net_usd: Decimal


@dataclass(frozen=True)
class Plan:
    """Everything the arithmetic needs. `segments`: (first day, window day -> traffic at the rates in
    effect from that day), sorted by first day, the first on or before `serving_from`."""

    training_date: date
    serving_from: date
    last_day: date  # inclusive; never on or after the target's shutdown
    segments: Sequence[tuple[date, Mapping[date, Traffic]]]
    fixed: Fixed
    volume_factor: Decimal
    multiplier: Callable[[date], Decimal]  # growth: 1 for `none`


def cycle_of(window_start: date, days: int) -> list[date]:
    return [window_start + timedelta(days=i) for i in range(days)]


def lay_out(plan: Plan, cycle: Sequence[date]) -> list[ForwardDay]:
    """Every day from the training date to `plan.last_day`, the window `cycle` (a whole number of weeks)
    replayed from the first serving day with each forward day on a window day of the same weekday."""
    offset = (plan.serving_from - cycle[0]).days % 7
    out: list[ForwardDay] = []
    cumulative = Decimal(0)
    segment = 0
    day = plan.training_date
    while day <= plan.last_day:
        serving = day >= plan.serving_from
        traffic = NO_TRAFFIC
        if serving:
            while segment + 1 < len(plan.segments) and plan.segments[segment + 1][0] <= day:
                segment += 1
            window_day = cycle[(offset + (day - plan.serving_from).days) % len(cycle)]
            traffic = plan.segments[segment][1].get(window_day, NO_TRAFFIC)
        scale = plan.volume_factor * plan.multiplier(day) if serving else Decimal(0)
        base, tuned = traffic.base_usd * scale, traffic.tuned_usd * scale
        fixed = plan.fixed.on(day, plan.training_date, serving)
        cumulative += base - tuned - fixed
        out.append(ForwardDay(day, serving, traffic.calls * scale, base, tuned, fixed, cumulative))
        day += timedelta(days=1)
    return out


def break_even(days: Sequence[ForwardDay], until: date) -> date | None:
    """The first serving day (<= `until`) whose running net (savings - fixed costs) is >= 0."""
    return next((d.day for d in days if d.serving and d.day <= until and d.cumulative_net_usd >= 0), None)


def net_by(days: Sequence[ForwardDay], day: date) -> Decimal | None:
    """The running net at the end of `day` (the last laid-out day when `day` is later; None: before any)."""
    last = None
    for d in days:
        if d.day > day:
            break
        last = d.cumulative_net_usd
    return last


def linear_trend(calls_per_day: Sequence[int]) -> tuple[Decimal, Decimal]:
    """Least-squares (intercept, slope) of the calls per window day (day 0 = the window's first)."""
    n = len(calls_per_day)
    ys = [Decimal(c) for c in calls_per_day]
    mean_x, mean_y = Decimal(n - 1) / 2, sum(ys, Decimal(0)) / n
    sxx = sum(((Decimal(i) - mean_x) ** 2 for i in range(n)), Decimal(0))
    slope = sum(((Decimal(i) - mean_x) * (y - mean_y) for i, y in enumerate(ys)), Decimal(0)) / sxx if sxx else Decimal(0)
    return mean_y - slope * mean_x, slope


def data_shortage(calls_by_day: Mapping[date, int], first: date, last: date, what: str) -> str | None:
    """Why the days [first, last] are too few to extrapolate from (None: enough): fewer than 7 distinct
    days with calls or fewer than 100 calls."""
    inside = {d: c for d, c in calls_by_day.items() if first <= d <= last and c > 0}
    days, calls = len(inside), sum(inside.values())
    if days >= MIN_DAYS_WITH_CALLS and calls >= MIN_CALLS:
        return None
    return (f"too little data: {days} day(s) with calls and {calls:,} call(s) in {what} ({first} to {last}); "
            f"at least {MIN_DAYS_WITH_CALLS} days with calls and {MIN_CALLS} calls are needed: ingest more logs")
