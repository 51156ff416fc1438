"""The look shared by every chart of the report: colours, the plotly template and config, and the
escaping of log-derived strings before plotly sees them (plotly.js interprets tags in names and titles)."""

from __future__ import annotations

import html

import plotly.graph_objects as go

COLORS = [
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
BASE, TUNED, BAND, MARK = "#1f5fa8", "#d1495b", "rgba(209,73,91,0.12)", "#2a9d8f"
GOOD = "#2a9d8f"  # a bar whose volume is met
CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}
METRICS = {"input_tokens": "input tokens", "cache_read_tokens": "cached input tokens", "output_tokens": "output tokens"}

TEMPLATE = go.layout.Template(
    layout={
        "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13, "color": "#222"},
        "colorway": COLORS,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "margin": {"l": 70, "r": 20, "t": 40, "b": 50},
        "xaxis": {"gridcolor": "#eceff1", "linecolor": "#90a4ae", "zeroline": False},
        "yaxis": {"gridcolor": "#eceff1", "linecolor": "#90a4ae", "zeroline": False},
        "legend": {"orientation": "h", "y": -0.18},
        "hovermode": "x unified",
    }
)


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)
