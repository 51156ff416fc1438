"""Token histograms as small separate charts, one per workload and token kind with calls in it, so
they reflow on a phone instead of squeezing a grid; a kind whose calls all have 0 tokens gets a
sentence, never an empty plot. Bins come from the data (ftaudit.report.traffic)."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from ftaudit.report.charts.style import COLORS, METRICS, esc

PANEL_HEIGHT = 250


def panels(histograms: list[dict[str, Any]]) -> tuple[list[tuple[str, go.Figure]], list[str]]:
    """(div id, figure) of every non-empty histogram, and a sentence for each all-zero one."""
    figures, sentences = [], []
    workloads = list(dict.fromkeys(h["workload"] for h in histograms))
    for h in histograms:
        label = METRICS[h["metric"]]
        if not h["bins"]:
            if h["zero_calls"]:
                sentences.append(f"{h['workload']}: all {h['zero_calls']:,} calls have 0 {label}.")
            continue
        if len(h["bins"]) == 1 and h["bins"][0]["upper"] - h["bins"][0]["lower"] <= 1:
            zero = f" ({h['zero_calls']:,} have 0)" if h["zero_calls"] else ""
            sentences.append(f"{h['workload']}: {h['bins'][0]['calls']:,} calls have exactly "
                             f"{h['bins'][0]['lower']:,.0f} {label}{zero}.")
            continue
        index = workloads.index(h["workload"]) + 1
        div_id = f"chart-tokens-{index}-{h['metric'].replace('_', '-')}"
        figures.append((div_id, _panel(h, label, COLORS[list(METRICS).index(h["metric"])])))
    return figures, sentences


def _panel(h: dict[str, Any], label: str, color: str) -> go.Figure:
    bins = h["bins"]
    xs = [b["lower"] for b in bins] + [bins[-1]["upper"]]
    ys = [b["calls"] for b in bins] + [bins[-1]["calls"]]
    zero = f" ({h['zero_calls']:,} calls with 0)" if h["zero_calls"] else ""
    fig = go.Figure(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"shape": "hv", "color": color},
            fill="tozeroy",
            showlegend=False,
            hovertemplate="%{x:,.0f}+ tokens: %{y:,} calls<extra></extra>",
        )
    )
    xaxis: dict[str, Any] = {"title": {"text": label}, "tickformat": ",.0f", "range": None}
    if h["scale"] == "log":
        xaxis.update(type="log", dtick=1, minor={"showgrid": False})
    else:
        xaxis.update(nticks=5)
    fig.update_layout(
        title={"text": f"{esc(h['workload'])}{esc(zero)}", "font": {"size": 13}, "x": 0, "xanchor": "left"},
        xaxis=xaxis,
        yaxis={"title": {"text": "calls"}, "rangemode": "tozero", "tickformat": ",d", "nticks": 5},
        margin={"l": 60, "r": 16, "t": 36, "b": 48},
        hovermode="closest",
    )
    return fig
