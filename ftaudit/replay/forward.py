"""Forward replay: "if we train on D, when does the fine-tune pay back?" The workload's recorded calls
are the forecast: the last weeks of calls, re-timed from D + lead again and again (day of week kept),
each call with its own tokens, priced at the rates in effect on its new date, until the break-even,
the target's end of service or the horizon.

It runs the historical replay first (its price table, removal and scenario tables are the same), then
prices the window in SQL once per price segment the forward span crosses (forward_window_days); the
forward days are per-day arithmetic (`forward_schedule`). Lifecycle gates come first: a target that
cannot be trained on D, or does not serve after D + lead, never pays back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from ftaudit.prices.catalog import Priced, PriceFile
from ftaudit.replay.forward_options import TWELVE_MONTHS_DAYS, ForwardOptions
from ftaudit.replay.forward_schedule import (
    NO_TRAFFIC,
    Fixed,
    ForwardDay,
    Plan,
    Traffic,
    break_even,
    cycle_of,
    data_shortage,
    lay_out,
    linear_trend,
    net_by,
)
from ftaudit.replay.result import ReplayResult, money
from ftaudit.replay.run import replay
from ftaudit.replay.scenario import Scenario
from ftaudit.store.connection import Store

LONGEST_SERVICE_DAYS = 3650  # a net at end of service further out than this is not computed
UNRECORDED_DAYS = 2  # days before the first call a window may include (counted as days without calls)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Forward:
    options: ForwardOptions
    history: ReplayResult
    status: str  # pays_back | never | insufficient_data
    never_reason: str | None  # also the reason for insufficient_data
    serving_from: date
    shutdown: date | None  # the first day the target no longer serves
    break_even: date | None
    range_low: date | None
    range_high: date | None
    net_at_end_of_service_usd: Decimal | None
    net_after_12_months_usd: Decimal | None
    method: str
    days: tuple[ForwardDay, ...]
    window: tuple[tuple[date, Traffic], ...]
    workloads: tuple[dict[str, Any], ...]
    # (first day, the window's days priced at the rates in effect from it): the report's in-page what-if
    segments: tuple[tuple[date, tuple[Traffic, ...]], ...] = ()

    @property
    def end_of_service(self) -> date | None:
        """The target's last serving day."""
        return self.shutdown - timedelta(days=1) if self.shutdown else None

    def summary(self) -> dict[str, Any]:
        o = self.options
        iso = _iso
        return {
            "from_date": iso(o.from_date),
            "training_date": iso(o.from_date),
            "serving_from_date": iso(self.serving_from),
            "status": self.status,
            "break_even_date": iso(self.break_even),
            "break_even_range": {"low": iso(self.range_low), "high": iso(self.range_high)},
            "end_of_service_date": iso(self.end_of_service),
            "net_at_end_of_service_usd": money(self.net_at_end_of_service_usd),
            "net_after_12_months_usd": money(self.net_after_12_months_usd),
            "never_reason": self.never_reason,
            "method": self.method,
            "options": {"lead_days": o.lead_days, "window_days": o.window_days, "volume_factor": str(o.volume_factor),
                        "growth": o.growth, "horizon_days": o.horizon_days},
            "daily": [{"date": iso(d.day), "calls": _count(d.calls), "base_usd": money(d.base_usd),
                       "tuned_usd": money(d.tuned_usd), "fixed_usd": money(d.fixed_usd),
                       "cumulative_net_usd": money(d.cumulative_net_usd)} for d in self.days],
            "window": [{"date": iso(day), "weekday": WEEKDAYS[day.weekday()], "calls": t.calls,
                        "base_usd": money(t.base_usd), "tuned_usd": money(t.tuned_usd),
                        "removed_input_tokens": t.removed_input_tokens} for day, t in self.window],
            "workloads": list(self.workloads),
        }


def _usd(amount: Decimal | None) -> str:
    text = money(amount) or "0"
    return f"-${text[1:]}" if text.startswith("-") else f"${text}"


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _count(calls: Decimal) -> int | float:
    return int(calls) if calls == calls.to_integral_value() else float(calls)


def _date_term(terms: dict[str, Priced], name: str) -> tuple[date, str] | None:
    term = terms.get(name)
    return (term.value, term.source) if term is not None and isinstance(term.value, date) else None


def forward(store: Store, scenario: Scenario, options: ForwardOptions, *, prices: PriceFile | None = None,
            history: ReplayResult | None = None) -> Forward:
    """The forward replay of `scenario` from `options.from_date` (`history`: its historical replay on
    this store, run here when not given)."""
    if history is None:
        history = replay(store, scenario, prices=prices)
    _check_tables(store, history)
    d = options.from_date
    serving_from = d + timedelta(days=options.lead_days)
    shutdown = _date_term(history.terms, "serving_until")
    recorded = {r["day"]: (r["calls"], r["rows"]) for r in history.daily.iter_rows(named=True)}
    window_start, window_end, weeks_days = _window(recorded, options.window_days)
    window_days = cycle_of(window_start, (window_end - window_start).days + 1)
    output_end = d + timedelta(days=max(options.horizon_days, TWELVE_MONTHS_DAYS) - 1)
    end = output_end  # the last day laid out: the output's, or the last serving day (<= 10 years) when later
    if shutdown is not None:
        end = min(max(end, shutdown[0] - timedelta(days=1)), d + timedelta(days=LONGEST_SERVICE_DAYS),
                  shutdown[0] - timedelta(days=1))
    segments = _price_window(store, window_start, window_end, serving_from, end,
                             sum(recorded[w][1] for w in window_days if w in recorded))
    window = tuple((w, segments[0][1].get(w, NO_TRAFFIC)) for w in window_days)

    def result(status: str, reason: str | None, days: Sequence[ForwardDay] = (), *, be: date | None = None,
               low: date | None = None, high: date | None = None) -> Forward:
        eos = shutdown[0] - timedelta(days=1) if shutdown else None
        return Forward(
            options=options, history=history, status=status, never_reason=reason, serving_from=serving_from,
            shutdown=shutdown[0] if shutdown else None, break_even=be, range_low=low, range_high=high,
            net_at_end_of_service_usd=net_by(days, eos) if eos and days and days[-1].day >= eos else None,
            net_after_12_months_usd=net_by(days, d + timedelta(days=TWELVE_MONTHS_DAYS - 1)) if days else None,
            method=_method(options, window_start, window_end, weeks_days),
            days=tuple(x for x in days if x.day <= output_end), window=window, workloads=tuple(segments[0][2]),
            segments=tuple((s, tuple(t.get(w, NO_TRAFFIC) for w in window_days)) for s, t, _ in segments))

    gate = _lifecycle_gate(scenario.fine_tuned_model, history.terms, d, serving_from)
    if gate is not None:
        return result("never", gate)
    shortage = data_shortage({k: v[0] for k, v in recorded.items()}, window_start, window_end, "the replay window")
    if shortage is not None:
        return result("insufficient_data", shortage)

    calls = [t.calls for _, t in window]
    f = history.fixed
    plan = Plan(d, serving_from, end, [(s, t) for s, t, _ in segments],
                Fixed(f.training_at_start_usd, f.retrain_usd, f.retrain_every_days, f.hosting_per_hour_usd,
                      f.storage_per_month_usd),
                options.volume_factor, _growth(options, calls, window_start))
    days = lay_out(plan, window_days)
    horizon_last = min(end, d + timedelta(days=options.horizon_days - 1))
    central = break_even(days, horizon_last)
    if central is not None:
        short = replace(plan, last_day=horizon_last)
        weekly = [break_even(lay_out(short, window_days[k:k + 7]), horizon_last) for k in range(0, weeks_days, 7)]
        found = [w for w in weekly if w is not None]
        return result("pays_back", None, days, be=central, low=min(found, default=None),
                      high=max(found) if len(found) == len(weekly) else None)
    saved = sum((t.base_usd - t.tuned_usd for _, t in window), Decimal(0))
    if saved <= 0:
        reason = (f"a fine-tuned call does not cost less than a base call: {_usd(saved / sum(calls))} saved per call "
                  f"over the window's {sum(calls):,} calls")
    elif shutdown is not None and shutdown[0] - timedelta(days=1) <= horizon_last:
        eos = shutdown[0] - timedelta(days=1)
        reason = (f"{scenario.fine_tuned_model} stops serving on {shutdown[0]} ({shutdown[1]}), before the fixed "
                  f"costs are recovered: by its last serving day, {eos}, the net is {_usd(net_by(days, eos))}")
    else:
        reason = f"the fixed costs are not recovered within the {options.horizon_days}-day horizon (until {horizon_last})"
    return result("never", reason, days)


def _check_tables(store: Store, history: ReplayResult) -> None:
    """The replay tables are rebuilt by every replay on the store: they must still be `history`'s."""
    s = history.scenario
    rows = store.rows("forward_replay_scenario")
    if rows != [(history.fine_tuned_provider, s.fine_tuned_model, s.workload, s.base_model)]:
        raise RuntimeError("forward(history=...) must run right after that replay on the same store "
                           f"(the replay tables are now for {rows})")


def _window(recorded: Mapping[date, Any], window_days: int) -> tuple[date, date, int]:
    """(first day, last day, whole-week length or 0) of the replay window: the last `window_days` days
    ending on the last day with calls. Logs shorter than that give the whole weeks they cover, the
    first of which may miss up to 2 days (a weekday-only workload's logs run Monday to Friday); under
    a week of logs gives them all (and `insufficient_data`)."""
    first, last = min(recorded), max(recorded)
    span = (last - first).days + 1
    weeks_days = min(window_days, (span + UNRECORDED_DAYS) // 7 * 7)
    return last - timedelta(days=(weeks_days or span) - 1), last, weeks_days


def _lifecycle_gate(model: str, terms: dict[str, Priced], d: date, serving_from: date) -> str | None:
    """Why a fine-tune trained on `d` never serves (None: it does)."""
    last_jobs = _date_term(terms, "no_new_training_after")
    shutdown = _date_term(terms, "serving_until")
    if last_jobs is not None and d > last_jobs[0]:
        return f"{model}: no new fine-tuning jobs after {last_jobs[0]} ({last_jobs[1]}), so it cannot be trained on {d}"
    if shutdown is not None and d >= shutdown[0]:
        return f"{model} was shut down on {shutdown[0]} ({shutdown[1]}), on or before {d}"
    if shutdown is not None and serving_from >= shutdown[0]:
        return (f"{model} stops serving on {shutdown[0]} ({shutdown[1]}): trained on {d}, it would serve from "
                f"{serving_from}, on or after that date")
    return None


def _price_window(store: Store, window_start: date, window_end: date, serving_from: date, end: date,
                  rows: int) -> list[tuple[date, dict[date, Traffic], list[dict[str, Any]]]]:
    """The window's days priced once per price segment of [serving_from, end]: (segment's first day,
    window day -> traffic, per-workload totals)."""
    breaks = [r[0] for r in store.rows("forward_price_breaks", from_day=serving_from, until_day=end)]
    out = []
    for start in [serving_from, *breaks]:
        store.run("forward_retime_params", start_ts=_midnight(window_start),
                  until_ts=_midnight(window_end + timedelta(days=1)), price_day=start)
        frame = store.frame("forward_window_days")
        if int(frame["rows"].sum()) != rows:  # a call the price join dropped: our bug
            raise RuntimeError(f"forward replay priced {frame['rows'].sum()} of {rows} calls")
        by_day: dict[date, Traffic] = {}
        by_workload: dict[str, dict[str, Any]] = {}
        for r in frame.iter_rows(named=True):
            t = by_day.get(r["day"], NO_TRAFFIC)
            by_day[r["day"]] = Traffic(t.calls + r["calls"], t.base_usd + r["base_usd"], t.tuned_usd + r["tuned_usd"],
                                       t.removed_input_tokens + r["removed_input_tokens"])
            w = by_workload.setdefault(r["workload"], {"workload": r["workload"], "calls": 0, "base_usd": Decimal(0),
                                                      "tuned_usd": Decimal(0), "removed_input_tokens": 0})
            w["calls"] += r["calls"]
            w["base_usd"] += r["base_usd"]
            w["tuned_usd"] += r["tuned_usd"]
            w["removed_input_tokens"] += r["removed_input_tokens"]
        workloads = [{**w, "base_usd": money(w["base_usd"]), "tuned_usd": money(w["tuned_usd"])}
                     for _, w in sorted(by_workload.items())]
        out.append((start, by_day, workloads))
    return out


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), UTC)


def _growth(options: ForwardOptions, calls: list[int], window_start: date) -> Callable[[date], Decimal]:
    if options.growth == "none":
        return lambda day: Decimal(1)
    intercept, slope = linear_trend(calls)
    mean = Decimal(sum(calls)) / len(calls)
    return lambda day: max(intercept + slope * (day - window_start).days, Decimal(0)) / mean


def _method(options: ForwardOptions, window_start: date, window_end: date, weeks_days: int) -> str:
    growth = ("no growth: every replayed day has the calls of its window day" if options.growth == "none" else
              "growth --growth trend: each replayed day's calls and costs are scaled by the least-squares linear trend "
              "of the window's calls per day, extended to that day, over the window's mean calls per day (never below 0)")
    return (
        f"forward replay: the calls of the last {weeks_days} days of the logs ({window_start} to {window_end}, ending on "
        "the last day with calls; days inside it without calls count as such) are "
        f"re-timed from the first serving day (training day + {options.lead_days}) again and again, each replayed day "
        "taking the window day of the same weekday in window order; each call keeps its tokens and time of day and is "
        f"priced at the rates in effect on its new date; call counts x {options.volume_factor}; {growth}. Fixed costs: "
        "training on the training day, retraining on schedule, hosting for every hour of a serving day, storage per "
        "started 30-day month; nothing is saved on a day the tuned model does not serve (it serves up to, not "
        "including, its shutdown date). Break-even: the first serving day whose cumulative base - fine-tuned - fixed "
        f"cost is >= 0, within {options.horizon_days} days. Range: the same replay of each of the window's weeks on "
        "its own, low = earliest, high = latest break-even (null when a week does not pay back in time)."
    )
