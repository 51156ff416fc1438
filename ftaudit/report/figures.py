"""Plotly figures for the report, built from the plain report data (never from calls or the store).

The only module that imports plotly. Every figure gets a fixed `div_id` and the same small template,
so the same data gives the same bytes; plotly.js itself is not emitted here (the page inlines it
once). Log-derived strings (workload and model names) are HTML-escaped before plotly sees them:
plotly.js interprets tags in trace names and titles, and shows entities as plain characters.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs as _get_plotlyjs
from plotly.subplots import make_subplots

MAX_WORKLOAD_SERIES = 12  # more workloads than this are folded into "other" (daily calls) or left out (histograms)
_COLORS = [
    "#1f5fa8",
    "#d1495b",
    "#2a9d8f",
    "#e9a23b",
    "#6c4f9c",
    "#8d6e63",
    "#3c8dbc",
    "#c0ca33",
    "#5d6d7e",
    "#ef6c00",
    "#00897b",
    "#ad1457",
]
_BASE, _TUNED, _BAND, _MARK = "#1f5fa8", "#d1495b", "rgba(209,73,91,0.12)", "#2a9d8f"
_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}
_METRICS = {"input_tokens": "input tokens", "cache_read_tokens": "cached input tokens", "output_tokens": "output tokens"}

_TEMPLATE = go.layout.Template(
    layout={
        "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13, "color": "#222"},
        "colorway": _COLORS,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "margin": {"l": 70, "r": 20, "t": 40, "b": 50},
        "xaxis": {"gridcolor": "#eceff1", "linecolor": "#90a4ae", "zeroline": False},
        "yaxis": {"gridcolor": "#eceff1", "linecolor": "#90a4ae", "zeroline": False},
        "legend": {"orientation": "h", "y": -0.18},
        "hovermode": "x unified",
    }
)


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
    fig.update_layout(template=_TEMPLATE, height=height, autosize=True)
    return str(
        pio.to_html(fig, include_plotlyjs=False, full_html=False, div_id=div_id, config=_CONFIG, default_height=f"{height}px")
    )


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


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
            line={"color": _BASE, "width": 2},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=cum["dates"],
            y=_floats(cum["fine_tuned_usd"]),
            name="fine-tuned: training + hosting + inference",
            mode="lines",
            line={"color": _TUNED, "width": 2, "shape": "hv"},
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
                line={"color": _BASE, "dash": "dot"},
            )
        )
        fig.add_trace(
            go.Scatter(
                x=projection["dates"],
                y=_floats(projection["fine_tuned_usd"]),
                name="fine-tuned, projected",
                mode="lines",
                line={"color": _TUNED, "dash": "dot", "shape": "hv"},
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
                "fillcolor": _BAND,
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
                marker={"symbol": "star", "size": 16, "color": _MARK, "line": {"color": "#114", "width": 1}},
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
        fig.add_trace(go.Scatter(x=daily["dates"], y=series["calls"], name=_esc(series["workload"]), mode="lines"))
    fig.update_layout(yaxis={"title": {"text": "calls per day"}, "rangemode": "tozero"}, xaxis={"type": "date"})
    return fig


def token_histograms(histograms: list[dict[str, Any]]) -> go.Figure:
    """Log-binned histograms: one row per workload, one column per token kind (step lines on a log axis;
    calls with zero tokens of a kind are counted in the subplot title)."""
    workloads = _ordered_unique(h["workload"] for h in histograms)
    metrics = list(_METRICS)
    by_key = {(h["workload"], h["metric"]): h for h in histograms}
    titles = []
    for workload in workloads:
        for metric in metrics:
            zero = by_key.get((workload, metric), {}).get("zero_calls", 0)
            extra = f" ({zero:,} calls with 0)" if zero else ""
            if zero and not by_key.get((workload, metric), {}).get("bins"):
                extra = f" (all {zero:,} calls: 0)"
            titles.append(f"{_esc(workload)}: {_METRICS[metric]}{extra}")
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
                    line={"shape": "hv", "color": _COLORS[col - 1]},
                    fill="tozeroy",
                    name=f"{_esc(workload)} {_METRICS[metric]}",
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


def sensitivity(grid: dict[str, Any]) -> go.Figure:
    """Days from the start to break-even, by prompt tokens removed (x) and traffic volume (y)."""
    days = grid["days"]
    horizon = grid["horizon_days"]
    labels = [[("never" if d is None else f"{d:,}") for d in row] for row in days]
    fig = go.Figure(
        go.Heatmap(
            x=[f"{r:,}" for r in grid["removed_tokens"]],
            y=[f"{v:g}x volume" for v in grid["volume_factors"]],
            z=[[horizon if d is None else min(d, horizon) for d in row] for row in days],
            text=labels,
            texttemplate="%{text}",
            colorscale="RdYlGn_r",
            zmin=0,
            zmax=horizon,
            colorbar={"title": {"text": "days"}},
            hoverongaps=False,
            hovertemplate="%{x} tokens removed, %{y}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(
        xaxis={"title": {"text": "prompt tokens removed per call"}, "type": "category"},
        yaxis={"type": "category", "automargin": True},
        hovermode="closest",
    )
    return fig


def volume_threshold(threshold: dict[str, Any]) -> go.Figure:
    """Calls per month needed to break even within 3, 6 and 12 months, against the current volume (a
    dashed line); a period that ends after the fine-tuned model stops serving gets a note instead."""
    rows = threshold["rows"]
    labels = [f"within {r['months']} months" for r in rows]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=[r["calls_per_month"] for r in rows],
            name="calls per month needed",
            marker={"color": _TUNED},
            text=[_count(r["calls_per_month"]) for r in rows],
            textposition="outside",
            cliponaxis=False,
        )
    )
    current = threshold["current_calls_per_month"]
    notes = [
        {
            "x": label,
            "y": 0,
            "yref": "paper",
            "yanchor": "bottom",
            "text": f"model stops serving<br>{_esc(threshold['end_of_service_date'])}",
            "showarrow": False,
            "font": {"size": 11, "color": "#555"},
        }
        for label, r in zip(labels, rows, strict=True)
        if r["calls_per_month"] is None
    ]
    notes.append(
        {
            "x": 1,
            "xref": "paper",
            "xanchor": "right",
            "y": current,
            "yanchor": "bottom",
            "showarrow": False,
            "text": f"current volume: {current:,} calls per month",
            "font": {"size": 11, "color": _BASE},
        }
    )
    top = max([current] + [r["calls_per_month"] or 0 for r in rows])
    fig.update_layout(
        shapes=[
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": current,
                "y1": current,
                "line": {"color": _BASE, "dash": "dash", "width": 2},
            }
        ],
        annotations=notes,
        showlegend=False,
        hovermode="closest",
        yaxis={"title": {"text": "calls per month"}, "range": [0, top * 1.2 or 1]},
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": labels},
    )
    return fig


def _count(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def _ordered_unique(items: Any) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)
