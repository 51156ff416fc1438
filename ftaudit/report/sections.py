"""The sections of the report page, in the order the stakeholder reads them, as HTML strings.

Pure functions of the report data. The scenario sections (verdict to latency) live here, the
reference tables in `tables`; every value is escaped (`markup.e`) or formatted (`fmt`) on its way
into the markup. Charts arrive ready-made from `figures`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ftaudit.report import appendix, fmt, tables
from ftaudit.report.charts import fallback
from ftaudit.report.decision import html as decision_html
from ftaudit.report.markup import e, n, t, table


def toc(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(anchor, heading) of every section present, in page order."""
    entries = [(anchor, name) for anchor, name, _ in _SECTIONS]
    if data.get("month_over_month"):
        entries.append(("month-over-month", "Month over month"))
    return entries


def render_sections(data: dict[str, Any], charts: dict[str, str]) -> str:
    parts = [
        f'<section id="{anchor}"><h2>{e(name)}</h2>\n{render(data, charts)}\n</section>' for anchor, name, render in _SECTIONS
    ]
    if data.get("month_over_month"):
        body = tables.month_over_month(data["month_over_month"])
        parts.append(f'<section id="month-over-month"><h2>Month over month</h2>\n{body}\n</section>')
    return "\n".join(parts)


def _chart(charts: dict[str, str], div_id: str) -> str:
    return f'<div class="chart">{charts[div_id]}</div>' if div_id in charts else ""


def _no_scenarios() -> str:
    return (
        '<p class="note">No scenario was given, so there is nothing to break even. Pass '
        "<code>--scenario FILE</code> (see <code>scenarios/</code>) to compare a fine-tuned model.</p>"
    )


def _each_scenario(data: dict[str, Any], block: Callable[[int, dict[str, Any]], str]) -> str:
    """A section's block for each scenario, numbered from 1 under its name; a note when there is none."""
    if not data["scenarios"]:
        return _no_scenarios()
    return "\n".join(
        f"<h3>{index}. {e(s['name'])}</h3>" + block(index, s) for index, s in enumerate(data["scenarios"], start=1)
    )


# -- verdict ---------------------------------------------------------------------------------------
def _verdict(data: dict[str, Any], charts: dict[str, str]) -> str:
    def block(index: int, s: dict[str, Any]) -> str:
        status = s["status"] if s["status"] in ("reached", "projected", "never") else "never"
        r = s["replay"]
        figures = [
            ("net savings to date", fmt.usd(s["net_savings_to_date_usd"])),
            (_next_label(s), fmt.usd(s["net_savings_next_days_usd"])),
            ("saved by inference", fmt.per_thousand_calls(r.get("net_savings_per_call_usd"))),
            ("calls replayed", fmt.count(r.get("calls"))),
        ]
        boxes = "".join(
            f'<div class="figure"><div class="note">{e(k)}</div><div class="value">{e(v)}</div></div>' for k, v in figures
        )
        warnings = "".join(f"<li>{e(w)}</li>" for w in s.get("warnings", []))
        return (
            f'<p class="verdict {status}">{e(s["verdict"])}</p>'
            + f'<div class="figures">{boxes}</div>'
            + (f'<ul class="warnings">{warnings}</ul>' if warnings else "")
        )

    return _each_scenario(data, block)


def _next_label(s: dict[str, Any]) -> str:
    days = s["next_days"]
    after = f"net savings in the {days:,} days after the logs"
    if days >= 365:
        return after
    return f"{after} (it stops serving on {s['end_of_service_date']})"


# -- cumulative cost -------------------------------------------------------------------------------
def _cost(data: dict[str, Any], charts: dict[str, str]) -> str:
    def block(index: int, s: dict[str, Any]) -> str:
        r = s["replay"]
        rows = [
            [t("base model, as billed"), n(fmt.usd(r.get("base_cost_usd")))],
            [t("fine-tuned inference"), n(fmt.usd(r.get("fine_tuned_inference_cost_usd")))],
            [t("training (first run and retraining)"), n(fmt.usd(r.get("training_cost_usd")))],
            [t("hosting"), n(fmt.usd(r.get("hosting_cost_usd")))],
            [t("fine-tuned total"), n(fmt.usd(r.get("fine_tuned_total_cost_usd")))],
            [t("net savings (base − fine-tuned total)"), n(fmt.usd(r.get("net_savings_usd")))],
        ]
        period = f"{fmt.date(r.get('start_date'))} to {fmt.date(r.get('end_date'))}"
        return (
            _chart(charts, f"chart-cumulative-cost-{index}")
            + fallback.cumulative(s)
            + '<p class="note">The fine-tuned line includes training, retraining, hosting and storage as they accrue; '
            "dotted: projection after the logs (the method is in the appendix).</p>"
            + table([("replayed " + period, False), ("USD", True)], rows)
        )

    return _each_scenario(data, block)


# -- traffic and tokens ----------------------------------------------------------------------------
def _traffic(data: dict[str, Any], charts: dict[str, str]) -> str:
    if "chart-daily-calls" not in charts:
        return '<p class="note">No per-call rows in the selected period.</p>'
    note = data["daily_calls"].get("note")
    return _chart(charts, "chart-daily-calls") + fallback.daily(data["daily_calls"]) + (
        f'<p class="note">{e(note)}</p>' if note else ""
    )


def _tokens(data: dict[str, Any], charts: dict[str, str]) -> str:
    if "chart-token-histograms" not in charts:
        return '<p class="note">No per-call rows in the selected period.</p>'
    notes = charts.get("token-histogram-notes", "")
    return (
        f'<div class="panels">{charts["chart-token-histograms"]}</div>'
        + fallback.histograms(data["histograms"])
        + (f'<ul class="notes">{notes}</ul>' if notes else "")
        + '<p class="note">Calls per bin of input (all prompt tokens, cached included), cached input and output tokens; '
        "each chart is binned over its own range (the binning is in the appendix).</p>"
    )


# -- sensitivity and volume ------------------------------------------------------------------------
def _sensitivity(data: dict[str, Any], charts: dict[str, str]) -> str:
    def block(index: int, s: dict[str, Any]) -> str:
        if s.get("sensitivity"):
            return _chart(charts, f"chart-sensitivity-{index}") + fallback.sensitivity(s["sensitivity"]) + (
                '<p class="note">Days from the start to break-even if the volume or the tokens removed were different '
                "(steady state; the method is in the appendix).</p>"
            )
        return f'<p class="note">{e(s.get("sensitivity_note", "Not enough data for a sensitivity grid."))}</p>'

    return _each_scenario(data, block)


def _volume(data: dict[str, Any], charts: dict[str, str]) -> str:
    def block(index: int, s: dict[str, Any]) -> str:
        v = s.get("volume_threshold")
        if not v:
            return '<p class="note">A fine-tuned call does not cost less than a base call here, so no volume breaks even.</p>'
        verdict_day = v.get("break_even_date")
        rows = [
            [
                t(f"within {row['months']} months (by {row['end_date']})"),
                n(fmt.count(row["calls_per_month"]) if row["calls_per_month"] is not None else "not possible: it does not serve"),
                n(fmt.usd(row["fixed_costs_usd"])),
                t("yes" if row["met"] else "no"),
                t(("yes: " + verdict_day) if row["in_period"] else "no"),
            ]
            for row in v["rows"]
        ]
        headers = [
            ("break even", False),
            ("calls per month needed", True),
            ("fixed costs in that time", True),
            (f"current volume ({v['current_calls_per_month']:,} calls per month) enough?", False),
            ("the replay's break-even date in it?", False),
        ]
        capped = [r for r in v["rows"] if r["capped_at_end_of_service"]]
        note = (f"Periods past {v['end_of_service_date']}, when the fine-tuned model stops serving, count only the days "
                "up to it. " if capped else "")
        return (
            _chart(charts, f"chart-volume-threshold-{index}") + table(headers, rows)
            + f'<p class="note">{e(note)}Steady-state estimate at the replayed saving per call; the method is in the '
            "appendix.</p>"
        )

    return _each_scenario(data, block)


# -- latency ---------------------------------------------------------------------------------------
def _latency(data: dict[str, Any], charts: dict[str, str]) -> str:
    fits = data["latency"]
    if not fits:
        return (
            '<p class="note">The logs carry no latency, so the time-to-first-token effect of a shorter prompt cannot '
            "be measured. Logs with a <code>latency_ms</code> field (LiteLLM, Langfuse, a mapped column) enable this "
            "section.</p>"
        )
    rows = [
        [
            t(f["workload"]),
            n(fmt.count(f["calls_with_latency"])),
            n(fmt.ms(f["latency_ms_p50"])),
            n(fmt.ms(f["latency_ms_p90"])),
            n(fmt.ms(f["ms_per_1k_input_tokens"])),
            n(fmt.ms(f["ms_per_output_token"])),
            t(f["fit"]),
        ]
        for f in fits
    ]
    fits_table = table(
        [
            ("workload", False),
            ("calls with latency", True),
            ("p50", True),
            ("p90", True),
            ("per 1,000 input tokens", True),
            ("per output token", True),
            ("fit", False),
        ],
        rows,
    )
    changes = [
        [
            t(s["name"]),
            t(s["latency"]["workload"]),
            n(fmt.tokens(s["latency"]["removed_tokens"])),
            n(fmt.ms(s["latency"]["expected_change_ms"])),
            n(fmt.percent(s["latency"]["expected_change_share"])),
        ]
        for s in data["scenarios"]
        if s.get("latency")
    ]
    change_table = (
        table(
            [
                ("scenario", False),
                ("workload", False),
                ("prompt tokens removed", True),
                ("expected latency change per call", True),
                ("of p50 latency", True),
            ],
            changes,
        )
        if changes
        else ""
    )
    return (
        fits_table + change_table + '<p class="note">Least-squares fit of logged latency on input and output tokens per '
        "workload (aggregates only). Prompt tokens are processed before the first output token, so removing them "
        "shortens the time to first token by about the fitted cost per input token.</p>"
    )


_SECTIONS: list[tuple[str, str, Callable[[dict[str, Any], dict[str, str]], str]]] = [
    ("recommendation", "Recommendation", decision_html.recommendation),
    ("targets", "Which target", decision_html.targets),
    ("verdict", "Evidence: the logs replayed", _verdict),
    ("cumulative-cost", "Cumulative cost", _cost),
    ("daily-calls", "Daily calls per workload", _traffic),
    ("token-histograms", "Token histograms", _tokens),
    ("sensitivity", "Sensitivity", _sensitivity),
    ("volume-threshold", "Volume threshold", _volume),
    ("latency", "Latency", _latency),
    ("workloads", "Workloads", tables.workloads),
    ("data-quality", "Data quality", tables.data_quality),
    ("appendix", "Appendix: sources, methods and prices", appendix.appendix),
]
