"""The first two sections of the page: the recommendation (one line per scenario's workload, from the
forward replay) with its key numbers, and the targets `compare` ranked, unpriced ones with what they
need. Pure functions of the report data; every value is escaped (`markup.e`) or formatted (`fmt`).
"""

from __future__ import annotations

from typing import Any

from ftaudit.report import fmt
from ftaudit.report.decision.ahead import plain_reason
from ftaudit.report.markup import e, n, t, table

NEED_WORDS = {"input_mtok": "an input price", "output_mtok": "an output price", "training_mtok": "a training price",
              "hosting_per_hour": "an hourly hosting price", "replica_tokens_per_s": "a replica's throughput"}
STATUS_TEXT = {"pays_back": "pays back", "never": "never", "insufficient_data": "not enough data", "unpriced": "not priced"}


def recommendation(data: dict[str, Any], charts: dict[str, str]) -> str:
    scenarios = data["scenarios"]
    if not scenarios:
        return ('<p class="note">No scenario was given, so there is nothing to recommend. Pass '
                "<code>--scenario FILE</code> (see <code>scenarios/</code>).</p>")
    lines = "".join(
        f'<li class="verdict {e(s["recommendation"]["kind"])}"><strong>{e(s["recommendation"]["workload"])}</strong>: '
        f'{e(s["recommendation"]["text"])}</li>'
        for s in scenarios
    )
    first = scenarios[0]["forward"]
    intro = (f'<p class="note">If the fine-tune is trained on {e(first["from_date"])} and serves from the next day: the '
             "last weeks of each workload's logged calls replayed forward at the prices in effect on each day "
             "(the method is in the appendix).</p>")
    rows = [
        [
            t(s["name"]),
            t(STATUS_TEXT.get(s["forward"]["status"], s["forward"]["status"])),
            n(fmt.date(s["forward"]["break_even_date"])),
            n(_range(s["forward"].get("break_even_range"))),
            n(fmt.date(s["forward"]["end_of_service_date"])),
            n(fmt.usd(s["forward"]["net_at_end_of_service_usd"])),
            n(fmt.usd(s["forward"]["net_after_12_months_usd"])),
        ]
        for s in scenarios
    ]
    figures = table(
        [("scenario", False), ("if started now", False), ("pays back on", True), ("range", True),
         ("last serving day", True), ("net by the last serving day", True), ("net after 12 months", True)],
        rows,
    )
    boxes = "".join(what_if_box(index, s) for index, s in enumerate(scenarios, start=1) if s.get("what_if"))
    return f'<ul class="recommendations">{lines}</ul>' + intro + figures + boxes


def what_if_box(index: int, s: dict[str, Any]) -> str:
    """The what-if controls of one scenario at their default positions (the static verdict above);
    what_if.js recomputes the outputs as they move. Hidden when no script runs."""
    w = s["what_if"]
    own = w["targets"][0]
    options = "".join(f'<option value="{k}">{e(t["target"])}</option>' for k, t in enumerate(w["targets"]))
    f = s["forward"]

    def field(label: str, control: str) -> str:
        return f"<label><span>{e(label)}</span>{control}</label>"

    controls = "".join([
        field("target", f'<select data-input="target">{options}</select>'),
        field("training date", f'<input type="date" data-input="start" value="{e(w["from_date"])}" min="{e(w["from_date"])}">'),
        field("volume factor", f'<input type="number" data-input="volume" value="{e(w["volume_factor"])}" min="0" step="0.1">'),
        field("training cost (USD)", f'<input type="number" data-input="training" value="{e(own["training_usd"])}" min="0" '
                                     'step="0.01">'),
        field("prompt tokens removed per call", f'<input type="number" data-input="removed" '
                                                f'value="{e(own["removed_tokens_per_call"])}" min="0" step="10">'),
    ])
    outputs = table(
        [("pays back on", True), ("range", True), ("net by the last serving day", True), ("net after 12 months", True)],
        [[(f'<span data-output="break-even">{e(fmt.date(f["break_even_date"]))}</span>', True),
          (f'<span data-output="range">{e(_range(f.get("break_even_range")))}</span>', True),
          (f'<span data-output="net-end">{e(fmt.usd(f["net_at_end_of_service_usd"]))}</span>', True),
          (f'<span data-output="net-12">{e(fmt.usd(f["net_after_12_months_usd"]))}</span>', True)]],
    )
    return (
        f'<div class="what-if needs-js" id="what-if-{index}" data-index="{index}">'
        f"<h3>What if: {e(s['name'])}</h3><div class=\"controls\">{controls}</div>"
        f'<p class="what-if-status" data-output="status"></p>{outputs}'
        f'<div class="what-if-chart"><div id="chart-what-if-{index}" class="what-if-plot plotly-graph-div"></div></div>'
        f'<p class="note">{e(w["note"])}</p></div>'
    )


def _range(band: dict[str, Any] | None) -> str:
    if not band or not band.get("low"):
        return fmt.DASH
    return f"{band['low']} to {band['high'] or 'later'}"


def targets(data: dict[str, Any], charts: dict[str, str]) -> str:
    blocks = []
    for s in data["scenarios"]:
        ranked = s["targets"]
        head = f"<h3>{e(s['recommendation']['workload'])}</h3>"
        if ranked.get("error"):
            blocks.append(head + f'<p class="note">No comparison: {e(ranked["error"])}.</p>')
            continue
        rows = [
            [
                (f"<span class=nowrap>{e(r['target'])}</span><br><span class=note>{e(r.get('label') or '')}</span>", False),
                t(STATUS_TEXT.get(r["status"], r["status"])),
                n(fmt.date(r["break_even_date"])),
                n(fmt.usd(r["net_after_12_months_usd"])),
                n(fmt.usd(r["monthly_net_savings_usd"])),
                n(fmt.usd(r["fixed_costs_usd"])),
                t(_why(r)),
            ]
            for r in ranked["targets"]
        ]
        blocks.append(head + table(
            [("target", False), ("verdict", False), ("pays back on", True), ("net after 12 months", True),
             ("net per month", True), ("fixed costs", True), ("why / what is needed", False)],
            rows,
        ))
    if not blocks:
        return '<p class="note">No scenario, so no target to compare.</p>'
    return "\n".join(blocks) + (
        '<p class="note">Ranked by the date each target pays back, then by its net after 12 months; targets that never '
        "pay back, lack data or lack a price come last. A target not priced lists the prices no source gives: add "
        "them to a <code>--prices</code> file (the lines are in the appendix) to have it replayed. Net per month: 30 "
        "days of inference savings less a month of hosting and storage.</p>"
    )


def _why(row: dict[str, Any]) -> str:
    if row["status"] == "unpriced":
        return "needs " + ", ".join(NEED_WORDS.get(need["field"], need["field"]) for need in row["needs"])
    if row["status"] == "pays_back":
        return "; ".join(plain_reason(note) for note in row["notes"][:2])
    return plain_reason(row["reason"])
