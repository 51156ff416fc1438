"""The what-if charts: the sensitivity grid and the volume threshold, from the report data."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from ftaudit.report.charts.style import BASE, GOOD, TUNED


def sensitivity(grid: dict[str, Any]) -> go.Figure:
    """Days from the start to break-even, by prompt tokens removed (x) and traffic volume (y)."""
    days = grid["days"]
    horizon = grid["horizon_days"]
    labels = [[("never" if d is None else f"{d:,}") for d in row] for row in days]
    fig = go.Figure(
        go.Heatmap(
            x=[_short(r) for r in grid["removed_tokens"]],
            y=[f"{v:g}x volume" for v in grid["volume_factors"]],
            z=[[horizon if d is None else min(d, horizon) for d in row] for row in days],
            text=labels,
            texttemplate="%{text}",
            colorscale="RdYlGn_r",
            zmin=0,
            zmax=horizon,
            showscale=False,  # every cell carries its number
            hoverongaps=False,
            hovertemplate="%{x} tokens removed, %{y}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(
        xaxis={"title": {"text": "prompt tokens removed per call"}, "type": "category", "tickangle": 0},
        yaxis={"type": "category", "automargin": True},
        hovermode="closest",
    )
    return fig


def volume_threshold(threshold: dict[str, Any]) -> go.Figure:
    """Calls per month needed to break even within 3, 6 and 12 months, against the current volume (a
    dashed line); a period that ends after the fine-tuned model stops serving gets a note instead."""
    rows = threshold["rows"]
    labels = [f"{r['months']} months" for r in rows]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=[r["calls_per_month"] for r in rows],
            name="calls per month needed",
            marker={"color": [GOOD if r["met"] else TUNED for r in rows]},
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
            "text": "does not serve<br>in this period",
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
            "font": {"size": 11, "color": BASE},
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
                "line": {"color": BASE, "dash": "dash", "width": 2},
            }
        ],
        annotations=notes,
        showlegend=False,
        hovermode="closest",
        yaxis={"title": {"text": "calls per month"}, "range": [0, top * 1.2 or 1]},
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": labels, "tickangle": 0,
               "title": {"text": "break even within"}, "automargin": True},
    )
    return fig


def _short(tokens: int) -> str:
    """`500`, `1.5k`: tick labels that fit side by side on a phone."""
    return f"{tokens / 1000:g}k" if tokens >= 1000 else f"{tokens:,}"


def _count(value: int | None) -> str:
    return "" if value is None else f"{value:,}"
