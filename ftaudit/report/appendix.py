"""The appendix of the page, written for people: where each price and date comes from, the methods
behind the recommendation and the charts (said once here, not under every chart), the --prices lines
unpriced targets need, and the scenario parameters. Pure functions of the report data.

`people_source` rewrites catalog provenance ("catalog [[lifecycle]] openai/ft:x: https://... [flag
F2]") into a sentence a reader can follow; the catalog keeps the exact text.
"""

from __future__ import annotations

import re
from typing import Any

from ftaudit.report import fmt
from ftaudit.report.markup import code, e, n, t, table

_CATALOG_ROW = re.compile(r"catalog \[\[[a-z_]+\]\] [^:]+: ")
_FLAG = re.compile(r"\s*\[flags? ([A-Z0-9, ]+)\]")
_LITELLM = re.compile(r"LiteLLM(?: ([0-9.]+))? deprecation_date ([0-9-]{10})")


def people_source(text: str | None) -> str:
    """A provenance string in plain words: no catalog syntax, no scheme in URLs, flags and copies
    explained."""
    if not text:
        return fmt.DASH
    out = _CATALOG_ROW.sub("", text).replace("https://", "").replace("http://", "")
    out = _FLAG.sub(lambda m: f" (the sources disagree: see {m.group(1)} in the pricing notes)", out)
    out = out.replace(", as transcribed by ", ", read from the copies at ").replace("as transcribed by ", "read from ")
    out = _LITELLM.sub(lambda m: f"LiteLLM{' ' + m.group(1) if m.group(1) else ''}'s model list (retired on {m.group(2)})",
                       out)
    return out


def appendix(data: dict[str, Any], charts: dict[str, str]) -> str:
    a = data["assumptions"]
    prices = (
        table(
            [("model", False), ("price or date", False), ("value", True), ("source", False), ("as of", False)],
            [
                [
                    (f"<code class=nowrap>{e(p['model'])}</code>", False),
                    t(p["item"]),
                    n(p["value"]),
                    t(people_source(p["source"])),
                    (f"<span class=nowrap>{e(fmt.date(p['date']))}</span>", False),
                ]
                for p in a["prices"]
            ],
        )
        + '<p class="note">A price without a date comes from the price data bundled with the installed genai-prices '
        "package (its source names the package version).</p>"
        if a["prices"]
        else '<p class="note">No scenario, so no prices were used.</p>'
    )
    scenarios = data["scenarios"]
    params = ""
    if scenarios:
        keys = list(scenarios[0]["parameters"])
        params = table(
            [("parameter", False)] + [(s["name"], False) for s in scenarios],
            [[(code(k), False)] + [t(_param(s["parameters"].get(k))) for s in scenarios] for k in keys],
        )
    notes = "".join(f"<li>{e(people_source(note))}</li>" for note in a["notes"])
    return (
        "<h3>Methods</h3>" + _methods(data)
        + "<h3>Prices and dates, with their sources</h3>" + prices
        + "<h3>Prices no source gives</h3>" + _needed_prices(scenarios)
        + "<h3>Scenario parameters</h3>" + (params or '<p class="note">None.</p>')
        + "<h3>Lifecycle and money rules</h3>" + f"<ul>{notes}</ul>"
    )


def _methods(data: dict[str, Any]) -> str:
    items: dict[str, None] = {}
    for s in data["scenarios"]:
        if s.get("forward", {}).get("method"):
            items.setdefault(f"Recommendation ({s['name']}): {s['forward']['method']}.", None)
        if s.get("targets", {}).get("method"):
            items.setdefault(f"Which target: each target gets the same forward replay; {s['targets']['method']}.", None)
        if s.get("sensitivity"):
            items.setdefault(f"Sensitivity ({s['name']}): {s['sensitivity']['method']}", None)
        if s.get("volume_threshold"):
            items.setdefault(f"Volume threshold ({s['name']}): {s['volume_threshold']['method']}", None)
        if s.get("chart_note"):
            items.setdefault(f"Cumulative cost: {s['chart_note']}", None)
    items.setdefault(
        f"Token histograms: calls per bin of input (all prompt tokens, cached included), cached input and output "
        f"tokens; {data.get('histogram_method', 'log-spaced bins')}. Bucket rows are not calls and are left out.", None)
    return "<ul>" + "".join(f"<li>{e(fmt.money_in_text(item))}</li>" for item in items) + "</ul>"


def _needed_prices(scenarios: list[dict[str, Any]]) -> str:
    lines = [s["targets"]["prices_toml"] for s in scenarios if s.get("targets", {}).get("prices_toml")]
    if not lines:
        return '<p class="note">Every compared target is priced.</p>'
    text = "\n".join(dict.fromkeys(lines))
    return ('<p class="note">Fill in these lines in a TOML file and pass it with <code>--prices FILE</code> to '
            "<code>ftaudit report</code> or <code>ftaudit compare</code>: the targets that need them are then "
            f'replayed like the others.</p><pre class="toml">{e(text)}</pre>')


def _param(value: Any) -> str:
    if value is None:
        return fmt.DASH
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)
