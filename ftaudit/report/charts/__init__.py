"""The report's charts: plotly figures built from the report data's aggregates (`figures`, the
steady-state what-if charts in `steady_state`, the token histograms in `histograms`), their shared look
(`style`), and the static fallback of each chart's key numbers for readers without scripts (`fallback`).
"""
