"""The recommendation of each scenario, from the forward replay from D ("if we start on D") and the
ranked targets of `compare`: plain data for the JSON twin and the page, never HTML.

Runs the library's `forward` and `compare` (the same numbers as `ftaudit replay --from D` and
`ftaudit compare --from D`); it words their results and adds nothing to the arithmetic.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ftaudit.errors import FtauditError
from ftaudit.prices.catalog import PriceFile
from ftaudit.replay.compare import compare
from ftaudit.replay.forward import Forward, forward
from ftaudit.replay.forward_options import TWELVE_MONTHS_DAYS, ForwardOptions, today
from ftaudit.replay.scenario import Scenario
from ftaudit.report import fmt
from ftaudit.report.decision import what_if
from ftaudit.store.connection import Store


def decide(store: Store, scenarios: Sequence[Scenario], from_date: date | None, *,
           prices: PriceFile | None) -> list[dict[str, Any]]:
    """The decision block of each scenario, trained on `from_date` (None: today, the run date or
    $FTAUDIT_TODAY, worded "now")."""
    options = ForwardOptions(from_date=from_date or today())
    return [ahead(store, scenario, options, prices=prices, now=from_date is None)[1] for scenario in scenarios]


def ahead(store: Store, scenario: Scenario, options: ForwardOptions, *, prices: PriceFile | None,
          now: bool) -> tuple[Forward, dict[str, Any]]:
    """The scenario's forward replay and its decision block: `forward` (the replay's JSON), `targets`
    (compare's ranking, or the reason there is none) and `recommendation` (kind and sentence)."""
    ahead_of = forward(store, scenario, options, prices=prices)
    summary = ahead_of.summary()
    try:
        ranked: dict[str, Any] = compare(store, scenario, options, prices=prices).summary()
    except FtauditError as exc:
        ranked = {"targets": [], "excluded": [], "prices_toml": "", "method": "", "error": exc.message}
    own = f"{ahead_of.history.fine_tuned_provider}/{scenario.fine_tuned_model}"
    block = {
        "forward": summary,
        "targets": ranked,
        "recommendation": recommendation(summary, own, ranked["targets"], scenario.workload, now=now),
        "what_if": what_if.inputs(ahead_of, _what_if_targets(store, scenario, options, prices, ahead_of, own, ranked)),
    }
    return ahead_of, block


def _what_if_targets(store: Store, scenario: Scenario, options: ForwardOptions, prices: PriceFile | None, own_forward: Forward,
                     own: str, ranked: dict[str, Any]) -> list[dict[str, Any]]:
    """The scenario's own target, then every other target compare priced, replayed forward as compare
    replays them (its hosting per hour included) so the what-if can switch between them."""
    out = [what_if.target_inputs(own, "the scenario's fine-tune", own_forward, scenario.runs, prices)]
    for row in ranked["targets"]:
        if row["target"] == own or row["status"] not in ("pays_back", "never") or own_forward.status == "insufficient_data":
            continue
        hosting = Decimal(row["hosting_per_hour_usd"]) if row.get("hosting_per_hour_usd") else scenario.hosting_per_hour_usd
        variant = scenario.with_changes(fine_tuned_model=row["model"], fine_tuned_provider=row["provider"],
                                        hosting_per_hour_usd=hosting)
        f = forward(store, variant, options, prices=prices)
        if f.status == row["status"] and (f.break_even.isoformat() if f.break_even else None) == row["break_even_date"]:
            out.append(what_if.target_inputs(row["target"], row.get("label"), f, scenario.runs, prices))
    return out


def recommendation(f: dict[str, Any], own: str, targets: list[dict[str, Any]], workload: str | None, *,
                   now: bool) -> dict[str, Any]:
    """One line: go (a target pays back: when, the range, the net by end of service or 12 months),
    dont (why not), or wait (not enough data: what is needed)."""
    when = "now" if now else f"on {f['from_date']}"
    best = f if f["status"] == "pays_back" else next((t for t in targets if t["status"] == "pays_back"), None)
    target = own if best is f else (best or {}).get("target")
    scope = workload or "all workloads"
    if best is not None:
        net, by = _net_by(best, f["from_date"])
        rng = best.get("break_even_range") or {}
        band = f" (range {rng['low']} to {rng['high'] or 'not within the horizon'})" if rng.get("low") else ""
        text = (f"Fine-tune on {target} {when}: pays back by {best['break_even_date']}{band}, "
                f"{fmt.signed_usd(net)} by {by}.")
        if target != own:
            text += f" Not {own}: {plain_reason(f['never_reason'] or f['status'])}."
        return {"workload": scope, "kind": "go", "target": target, "text": text}
    if f["status"] == "insufficient_data":
        return {"workload": scope, "kind": "wait", "target": own,
                "text": f"Not enough data: {plain_reason(f['never_reason'])}."}
    text = f"Don't fine-tune on {own} {when}: {plain_reason(f['never_reason'])}."
    others = [t for t in targets if t["target"] != own]
    if others:
        unpriced = sum(1 for t in others if t["status"] == "unpriced")
        text += f" No other target pays back either ({len(others) - unpriced} priced, {unpriced} missing a price)."
    return {"workload": scope, "kind": "dont", "target": own, "text": text}


def _net_by(row: dict[str, Any], from_date: str) -> tuple[str | None, str]:
    """The net by the end of service when it comes within 12 months, else after 12 months."""
    twelve = (date.fromisoformat(from_date) + timedelta(days=TWELVE_MONTHS_DAYS - 1)).isoformat()
    eos = row.get("end_of_service_date")
    if eos and eos <= twelve and row.get("net_at_end_of_service_usd") is not None:
        return row["net_at_end_of_service_usd"], f"its end of service, {eos}"
    return row.get("net_after_12_months_usd"), f"{twelve} (12 months)"


def plain_reason(text: str | None) -> str:
    """A reason for people: source citations in parentheses (catalog rows, URLs, who transcribed what)
    left out, they are in the appendix; amounts of money rounded to cents."""
    if not text:
        return ""
    out, depth, start = [], 0, 0
    keep_from = 0
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                start = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0 and _is_citation(text[start:i + 1]):
                out.append(text[keep_from:start].rstrip())
                keep_from = i + 1
    out.append(text[keep_from:])
    return fmt.money_in_text("".join(out))


def _is_citation(group: str) -> bool:
    return any(mark in group for mark in ("[[", "://", "transcribed", "LiteLLM", "catalog "))
