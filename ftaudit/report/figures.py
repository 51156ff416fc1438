"""Plotly figures for the report, built from the plain report data (never from calls or the store).

The only module that imports plotly. Every figure gets a fixed `div_id` and the same small template,
so the same data gives the same bytes; plotly.js itself is not emitted here (the page inlines it
once). Log-derived strings (workload and model names) are HTML-escaped before plotly sees them:
plotly.js interprets tags in trace names and titles, and shows entities as plain characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs as _get_plotlyjs
from plotly.subplots import make_subplots

from ftaudit.report.chart_style import BAND, BASE, COLORS, CONFIG, MARK, METRICS, TEMPLATE, TUNED, esc
from ftaudit.report.what_if_figures import sensitivity, volume_threshold

MAX_WORKLOAD_SERIES = 12  # more workloads than this are folded into "other" (daily calls) or left out (histograms)
def plotly_js() -> str:
    """The plotly.js bundle, to be inlined once per page."""
    return str(_get_plotlyjs())


def figure_divs(data: dict[str, Any]) -> dict[str, str]:
    """Every chart of the page as an HTML `<div>` + `<script>`, keyed by its fixed div id."""
    divs: dict[str, str] = {}
    for index, scenario in enumerate(data["scenarios"], start=1):
        divs[f"chart-cumulative-cost-{index}"] = _div(cumulative_cost(scenario), f"chart-cumulative-cost-{index}", 440)
        if scenario.get("sensitivity"):
            divs[f"chart-sensitivity-{index}"] = _div(sensitivity(scenario["sensitivity"]), f"chart-sensitivity-{index}", 380)
        if scenario.get("volume_threshold"):
            divs[f"chart-volume-threshold-{index}"] = _div(
                volume_threshold(scenario["volume_threshold"]), f"chart-volume-threshold-{index}", 320
            )
    if data["daily_calls"]["dates"]:
        divs["chart-daily-calls"] = _div(daily_calls(data["daily_calls"]), "chart-daily-calls", 380)
    if data["histograms"]:
        workloads = _ordered_unique(h["workload"] for h in data["histograms"])
        divs["chart-token-histograms"] = _div(
            token_histograms(data["histograms"]), "chart-token-histograms", 120 + 240 * len(workloads)
        )
    return divs


def _div(fig: go.Figure, div_id: str, height: int) -> str:
    fig.update_layout(template=TEMPLATE, height=height, autosize=True)
    return str(
        pio.to_html(fig, include_plotlyjs=False, full_html=False, div_id=div_id, config=CONFIG, default_height=f"{height}px")
    )


def _floats(values: Sequence[Any]) -> list[float | None]:
    return [None if v is None else float(v) for v in values]


def cumulative_cost(scenario: dict[str, Any]) -> go.Figure:
    """Cumulative base vs fine-tuned cost (training and retraining steps and hosting included in the
    fine-tuned line), with the break-even point, the projection and its band, and end of service."""
    cum = scenario["cumulative"]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=cum["dates"],
            y=_floats(cum["base_usd"]),
            name="base model, as billed",
            mode="lines",
            line={"color": BASE, "width": 2},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=cum["dates"],
            y=_floats(cum["fine_tuned_usd"]),
            name="fine-tuned: training + hosting + inference",
            mode="lines",
            line={"color": TUNED, "width": 2, "shape": "hv"},
        )
    )
    shapes: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    projection = scenario.get("projection")
    if projection and projection["dates"]:
        fig.add_trace(
            go.Scatter(
                x=projection["dates"],
                y=_floats(projection["base_usd"]),
                name="base, projected",
                mode="lines",
                line={"color": BASE, "dash": "dot"},
            )
        )
        fig.add_trace(
            go.Scatter(
                x=projection["dates"],
                y=_floats(projection["fine_tuned_usd"]),
                name="fine-tuned, projected",
                mode="lines",
                line={"color": TUNED, "dash": "dot", "shape": "hv"},
            )
        )
    band = scenario.get("projected_range")
    if band and band.get("low") and band.get("high"):
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": band["low"],
                "x1": band["high"],
                "y0": 0,
                "y1": 1,
                "fillcolor": BAND,
                "line": {"width": 0},
                "layer": "below",
            }
        )
        notes.append(_note(band["low"], "projected break-even range", "left", 1.0, "bottom"))
    point = scenario.get("break_even_point")
    if point:
        fig.add_trace(
            go.Scatter(
                x=[point["date"]],
                y=[float(point["cumulative_usd"])],
                name=point["label"],
                mode="markers",
                marker={"symbol": "star", "size": 16, "color": MARK, "line": {"color": "#114", "width": 1}},
            )
        )
    end = scenario.get("end_of_service_date")
    if end:
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": end,
                "x1": end,
                "y0": 0,
                "y1": 1,
                "line": {"color": "#555", "width": 2, "dash": "dash"},
            }
        )
        notes.append(_note(end, f"stops serving {end} ", "right", 0.02, "bottom"))
    fig.update_layout(
        shapes=shapes,
        annotations=notes,
        yaxis={"title": {"text": "cumulative cost (USD)"}, "tickprefix": "$"},
        xaxis={"type": "date"},
    )
    return fig


def _note(x: str, text: str, xanchor: str, y: float, yanchor: str) -> dict[str, Any]:
    return {
        "x": x,
        "xref": "x",
        "yref": "paper",
        "y": y,
        "yanchor": yanchor,
        "xanchor": xanchor,
        "text": text,
        "showarrow": False,
        "font": {"size": 11, "color": "#444"},
        "bgcolor": "rgba(255,255,255,0.8)",
    }


def daily_calls(daily: dict[str, Any]) -> go.Figure:
    """Calls per UTC day, one line per workload (the busiest few; the rest summed as "other")."""
    fig = go.Figure()
    for series in daily["workloads"]:
        fig.add_trace(go.Scatter(x=daily["dates"], y=series["calls"], name=esc(series["workload"]), mode="lines"))
    fig.update_layout(yaxis={"title": {"text": "calls per day"}, "rangemode": "tozero"}, xaxis={"type": "date"})
    return fig


def token_histograms(histograms: list[dict[str, Any]]) -> go.Figure:
    """Log-binned histograms: one row per workload, one column per token kind (step lines on a log axis;
    calls with zero tokens of a kind are counted in the subplot title)."""
    workloads = _ordered_unique(h["workload"] for h in histograms)
    metrics = list(METRICS)
    by_key = {(h["workload"], h["metric"]): h for h in histograms}
    titles = []
    for workload in workloads:
        for metric in metrics:
            zero = by_key.get((workload, metric), {}).get("zero_calls", 0)
            extra = f" ({zero:,} calls with 0)" if zero else ""
            if zero and not by_key.get((workload, metric), {}).get("bins"):
                extra = f" (all {zero:,} calls: 0)"
            titles.append(f"{esc(workload)}: {METRICS[metric]}{extra}")
    fig = make_subplots(
        rows=len(workloads),
        cols=len(metrics),
        subplot_titles=titles,
        horizontal_spacing=0.07,
        vertical_spacing=min(0.12, 0.5 / max(len(workloads), 1)),
    )
    for row, workload in enumerate(workloads, start=1):
        for col, metric in enumerate(metrics, start=1):
            hist = by_key.get((workload, metric))
            bins = hist["bins"] if hist else []
            xs = [b["lower"] for b in bins] + ([bins[-1]["upper"]] if bins else [])
            ys = [b["calls"] for b in bins] + ([bins[-1]["calls"]] if bins else [])
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    line={"shape": "hv", "color": COLORS[col - 1]},
                    fill="tozeroy",
                    name=f"{esc(workload)} {METRICS[metric]}",
                    showlegend=False,
                    hovertemplate="%{x:,.0f}+ tokens: %{y:,} calls<extra></extra>",
                ),
                row=row,
                col=col,
            )
            fig.update_xaxes(type="log", row=row, col=col)
            if not bins:
                fig.update_yaxes(range=[0, 1], showticklabels=False, row=row, col=col)
    fig.update_annotations(font={"size": 12})
    fig.update_layout(hovermode="closest", margin={"t": 50})
    return fig


def _ordered_unique(items: Any) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)
