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

from ftaudit.report.charts import histograms
from ftaudit.report.charts.steady_state import sensitivity, volume_threshold
from ftaudit.report.charts.style import BAND, BASE, CONFIG, MARK, TEMPLATE, TUNED, esc


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
        figures, sentences = histograms.panels(data["histograms"])
        divs["chart-token-histograms"] = "".join(
            f'<div class="chart panel">{_div(fig, div_id, histograms.PANEL_HEIGHT)}</div>' for div_id, fig in figures
        )
        divs["token-histogram-notes"] = "".join(f"<li>{esc(sentence)}</li>" for sentence in sentences)
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
        fig.add_trace(  # the shaded band's legend entry (a label on the chart would run off a phone's edge)
            go.Scatter(x=[None], y=[None], mode="markers", name="projected break-even range (shaded)",
                       marker={"symbol": "square", "size": 12, "color": BAND})
        )
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
    first, last = _x_range(scenario)
    end = scenario.get("end_of_service_date")
    if end and end <= last:
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
    elif end:  # outside the data: an arrow at the right edge instead of stretching the axis to it
        notes.append(
            {"x": 1, "xref": "paper", "y": 0.04, "yref": "paper", "xanchor": "right", "yanchor": "bottom",
             "text": f"stops serving {end}", "showarrow": True, "arrowhead": 2, "ax": -36, "ay": 0,
             "font": {"size": 11, "color": "#444"}, "bgcolor": "rgba(255,255,255,0.8)"}
        )
    fig.update_layout(
        shapes=shapes,
        annotations=notes,
        yaxis={"title": {"text": "cumulative cost (USD)"}, "tickprefix": "$", "tickformat": ",.2f"},
        xaxis={"type": "date", "range": [first, last]},
    )
    return fig


def _x_range(scenario: dict[str, Any]) -> tuple[str, str]:
    """The dates the data covers: the replay, then its projection."""
    dates = scenario["cumulative"]["dates"] + ((scenario.get("projection") or {}).get("dates") or [])
    return dates[0], dates[-1]


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
    mode = "lines+markers" if len(daily["dates"]) <= 3 else "lines"
    for series in daily["workloads"]:
        fig.add_trace(go.Scatter(x=daily["dates"], y=series["calls"], name=esc(series["workload"]), mode=mode))
    grain = daily.get("grain", "day")
    fig.update_layout(
        yaxis={"title": {"text": f"calls per {grain}"}, "rangemode": "tozero", "tickformat": ",d"},
        xaxis={"type": "date", "range": [daily["dates"][0], daily["dates"][-1]] if len(daily["dates"]) > 1 else None,
               "tickformat": "%b %d %H:%M" if grain == "hour" else None},
    )
    return fig
