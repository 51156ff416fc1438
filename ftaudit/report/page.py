"""The report page: `render_report(data, generated_at=...) -> str`, a pure render of the report data.

Self-contained HTML: plotly.js is inlined exactly once, a Content-Security-Policy forbids every
network request, and the generation time is injected, so the same data gives the same bytes. It never
touches the store. Every string that came from a log is escaped in `sections` (html.escape) and in
`figures`; prompt text is not in the data at all.
"""

from __future__ import annotations

import html
import json
from datetime import datetime
from typing import Any

from ftaudit.report import sections

CSP = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:"
)

CSS = """
:root { --ink: #222; --muted: #5f6b73; --rule: #dde3e8; --good: #2a9d8f; --wait: #e9a23b; --bad: #d1495b; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       max-width: 1120px; margin: 0 auto; padding: 24px 28px 64px; overflow-wrap: break-word; }
html:not(.js) .chart, html:not(.js) .needs-js { display: none; }
.what-if { border: 1px solid var(--rule); padding: 4px 14px 8px; margin: 16px 0; background: #fbfcfd; }
.what-if .controls { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 8px 16px; }
.what-if label { display: flex; flex-direction: column; font-size: 0.9em; color: var(--muted); min-width: 0; }
.what-if input, .what-if select { font: inherit; color: var(--ink); padding: 3px 4px; max-width: 100%; }
.what-if-status { font-weight: 600; margin: 10px 0 4px; }
.what-if-plot { height: 300px; }
html.js .fallback { display: none; }
.fallback table { width: auto; }
.panels { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 8px 16px; }
.panels .chart.panel { min-width: 0; }  /* auto-fill: a chart drawn while the page loads gets its final width */
.chart { min-width: 0; max-width: 100%; }
pre.toml { background: #f3f5f7; padding: 8px; overflow-x: auto; font-size: 12px; }
h1 { font-size: 1.7em; margin: 0 0 4px; }
h2 { font-size: 1.3em; margin: 40px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.05em; margin: 20px 0 6px; }
code { font: 0.92em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f3f5f7; padding: 0 3px; }
.meta, .note { color: var(--muted); font-size: 0.9em; }
.coverage { font-size: 1.05em; margin: 2px 0; }
ul.recommendations { list-style: none; padding: 0; margin: 8px 0; }
li.verdict.go { border-color: var(--good); } li.verdict.wait { border-color: var(--wait); }
li.verdict.dont { border-color: var(--bad); }
nav.toc { background: #f7f9fb; border: 1px solid var(--rule); padding: 8px 16px; margin: 16px 0; }
nav.toc ol { margin: 4px 0; padding-left: 20px; columns: 2; }
.verdict { font-size: 1.12em; margin: 8px 0; padding: 10px 14px; border-left: 5px solid var(--muted); background: #f7f9fb; }
.verdict.reached { border-color: var(--good); } .verdict.projected { border-color: var(--wait); }
.verdict.never { border-color: var(--bad); }
.figures { display: flex; gap: 24px; flex-wrap: wrap; margin: 8px 0; }
.figures div.figure { flex: 1 1 240px; }
.figures .value { font-size: 1.35em; font-weight: 600; font-variant-numeric: tabular-nums; }
.chart { margin: 8px 0 4px; break-inside: avoid; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { background: #f3f5f7; font-weight: 600; }
caption { text-align: left; font-weight: 600; padding: 6px 0; }
td.num { text-align: right; white-space: nowrap; }
th.num { text-align: right; }
td.num span.note { white-space: normal; }  /* a scenario name under a number may wrap */
td.path, span.path { word-break: break-all; }
.nowrap { white-space: nowrap; }
div.table { overflow-x: auto; max-width: 100%; -webkit-overflow-scrolling: touch; }
@media (max-width: 640px) {
  body { padding: 12px 12px 48px; font-size: 14px; }
  h1 { font-size: 1.4em; }
  nav.toc ol { columns: 1; }
  div.table table { width: max-content; min-width: 100%; }
  div.table td:not(.num), div.table th:not(.num) { min-width: 7em; max-width: 16em; }
  td.path, span.path, div.table .nowrap { white-space: normal; word-break: normal; overflow-wrap: anywhere; }
  .figures div.figure { flex: 1 1 140px; }
}
ul.warnings li { color: #8a4b00; }
footer { margin-top: 48px; color: var(--muted); font-size: 0.85em; border-top: 1px solid var(--rule); padding-top: 8px; }
@media print {
  @page { size: A4; margin: 14mm; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav.toc { break-after: page; }
  h2 { break-after: avoid; margin-top: 20px; }
  table, .chart, .verdict, .fallback, li.verdict, pre, .what-if { break-inside: avoid; page-break-inside: avoid; }
  .chart { max-height: 250mm; overflow: hidden; }
  div.table { overflow: visible; }
  .modebar-container, .modebar { display: none !important; }
  a { color: inherit; text-decoration: none; }
}
""".strip()


def _what_if(data: dict[str, Any]) -> list[str]:
    """The what-if's inputs as JSON (never executed; `<` escaped so no log string can close the
    element) and its script, once, when a scenario has a what-if."""
    blocks = {str(i): s["what_if"] for i, s in enumerate(data["scenarios"], start=1) if s.get("what_if")}
    if not blocks:
        return []
    from ftaudit.report.decision.what_if import script

    payload = json.dumps(blocks, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    return [f'<script type="application/json" id="what-if-data">{payload}</script>', f"<script>\n{script()}</script>"]


def render_report(data: dict[str, Any], *, generated_at: datetime) -> str:
    """The whole page for `data` (see `ftaudit.report.data.gather`). Pure: no clock, no store, no
    network; `generated_at` is the only time shown, so equal data and time give equal bytes."""
    from ftaudit.report.charts import figures  # plotly is imported only when a page is rendered (CLI start-up)

    charts = figures.figure_divs(data)
    body = sections.render_sections(data, charts)
    title = html.escape(data["title"])
    stamp = generated_at.isoformat(timespec="seconds")
    window = data["window"]
    meta = (
        f"Calls from {html.escape(window['first_day'] or '—')} to {html.escape(window['last_day'] or '—')} "
        f"({window['calls']:,} calls) · database <code>{html.escape(data['database'])}</code> · "
        f"generated {html.escape(stamp)} by ftaudit {html.escape(data['ftaudit_version'])}"
    )
    toc = "".join(f'<li><a href="#{anchor}">{html.escape(name)}</a></li>' for anchor, name in sections.toc(data))
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{title}</title>",
            f"<style>\n{CSS}\n</style>",
            "<noscript><style>.chart, .needs-js { display: none !important; } .fallback { display: block !important; }"
            "</style></noscript>",
            "<script>document.documentElement.classList.add('js'); window.PlotlyConfig = {MathJaxConfig: 'local'};</script>",
            f"<script>{figures.plotly_js()}</script>",
            "</head>",
            "<body>",
            f'<header><h1>{title}</h1><p class="coverage">{html.escape(data["coverage"]["text"])}</p>'
            f'<p class="meta">{meta}</p></header>',
            f'<nav class="toc" aria-label="Contents"><strong>Contents</strong><ol>{toc}</ol></nav>',
            body,
            *_what_if(data),
            f"<footer>Generated {html.escape(stamp)} by ftaudit {html.escape(data['ftaudit_version'])}. Every number on "
            "this page is in the JSON file beside it. Money in USD; dates are UTC.</footer>",
            "</body>",
            "</html>",
            "",
        ]
    )
