"""The reference sections of the report page: workloads, data quality, assumptions and month over
month, as HTML strings. Pure functions of the report data; every value is escaped or formatted.
"""

from __future__ import annotations

from typing import Any

from ftaudit.report import fmt
from ftaudit.report.markup import code, e, n, t, table


# -- workloads -------------------------------------------------------------------------------------
def workloads(data: dict[str, Any], charts: dict[str, str]) -> str:
    if not data["workloads"]:
        return '<p class="note">No per-call rows in the selected period.</p>'
    headers = [
        ("workload", False),
        ("model", False),
        ("calls", True),
        ("input p50 / p90 / p99", True),
        ("cached p50 / p90 / p99", True),
        ("output p50 / p90 / p99", True),
        ("static prefix", True),
        ("cost, base → fine-tuned inference", True),
    ]
    rows = []
    for w in data["workloads"]:
        trio = " / ".join
        prefix = f"{fmt.tokens(w['prefix_tokens'])} ({w['prefix_method']})" if w["prefix_tokens"] is not None else "—"
        costs = "<br>".join(
            f"{e(fmt.usd(c['base_cost_usd']))} → {e(fmt.usd(c['fine_tuned_cost_usd']))}"
            f"<br><span class=note>{e(c['scenario'])}</span>"
            for c in w["costs"]
        )
        rows.append(
            [
                t(w["workload"]),
                (f"<span class=nowrap>{e(w['model'])}</span>", False),
                n(fmt.count(w["calls"])),
                n(trio(fmt.tokens(w[f"input_tokens_{p}"]) for p in ("p50", "p90", "p99"))),
                n(trio(fmt.tokens(w[f"cache_read_tokens_{p}"]) for p in ("p50", "p90", "p99"))),
                n(trio(fmt.tokens(w[f"output_tokens_{p}"]) for p in ("p50", "p90", "p99"))),
                n(prefix),
                (costs or "—", True),
            ]
        )
    return table(headers, rows) + (
        f'<p class="note">Percentiles: {e(data["assumptions"]["percentile_method"])}. Static prefix: the prompt tokens every '
        "call of the workload repeats (what a fine-tune can remove), with the method that estimated it. Costs are over the "
        "replayed period of each scenario covering the workload.</p>"
    )


# -- data quality ----------------------------------------------------------------------------------
def data_quality(data: dict[str, Any], charts: dict[str, str]) -> str:
    q = data["data_quality"]
    totals_row = q["totals"]
    totals = table(
        [
            ("files", True),
            ("records read", True),
            ("accepted", True),
            ("rejected", True),
            ("duplicate", True),
            ("superseded", True),
            ("bucket rows", True),
        ],
        [
            [
                n(fmt.count(totals_row["files"])),
                n(fmt.count(totals_row["rows_read"])),
                n(fmt.count(totals_row["rows_accepted"])),
                n(fmt.count(totals_row["rows_rejected"])),
                n(fmt.count(totals_row["rows_duplicate"])),
                n(fmt.count(totals_row["rows_superseded"])),
                n(fmt.count(totals_row["bucket_rows"])),
            ]
        ],
    )
    files = table(
        [
            ("file", False),
            ("format", False),
            ("read", True),
            ("accepted", True),
            ("rejected", True),
            ("duplicate", True),
            ("superseded", True),
            ("bucket rows", True),
        ],
        [
            [
                (f"<span class=path>{e(f['path'])}</span>", False),
                t(f["format"]),
                n(fmt.count(f["rows_read"])),
                n(fmt.count(f["rows_accepted"])),
                n(fmt.count(f["rows_rejected"])),
                n(fmt.count(f["rows_duplicate"])),
                n(fmt.count(f["rows_superseded"])),
                n(fmt.count(f["bucket_rows"])),
            ]
            for f in q["files"]
        ],
    )
    rejects = (
        table(
            [("reject reason", False), ("rows", True)],
            [[(code(r["reason"]), False), n(fmt.count(r["rows"]))] for r in q["rejects_by_reason"]],
        )
        if q["rejects_by_reason"]
        else '<p class="note">No rejected rows.</p>'
    )
    buckets = (
        table(
            [
                ("workload", False),
                ("model", False),
                ("bucket rows", True),
                ("requests they stand for", True),
                ("input tokens", True),
                ("output tokens", True),
            ],
            [
                [
                    t(b["workload"]),
                    t(b["model"]),
                    n(fmt.count(b["bucket_rows"])),
                    n(fmt.count(b["requests"])),
                    n(fmt.count(b["input_tokens"])),
                    n(fmt.count(b["output_tokens"])),
                ]
                for b in q["buckets"]
            ],
        )
        if q["buckets"]
        else '<p class="note">No bucket rows (aggregate usage exports): every row is one call.</p>'
    )
    unpriced = (
        table(
            [("unpriced model", False), ("calls", True)],
            [[(code(u["model"]), False), n(fmt.count(u["calls"]))] for u in q["unpriced_models"]],
        )
        if q["unpriced_models"]
        else '<p class="note">Every logged model has a price.</p>'
    )
    recon = q["reconciliation"]
    reconciliation = (
        table(
            [
                ("scenario", False),
                ("model", False),
                ("calls with a billed cost", True),
                ("billed", True),
                ("replayed", True),
                ("difference", True),
            ],
            [
                [
                    t(r["scenario"]),
                    t(r["model"]),
                    n(fmt.count(r["calls"])),
                    n(fmt.usd(r["billed_usd"])),
                    n(fmt.usd(r["replayed_usd"])),
                    n(fmt.percent(r["difference_share"], 2)),
                ]
                for r in recon
            ],
        )
        if recon
        else f'<p class="note">{e(q["reconciliation_note"])}</p>'
    )
    return (
        '<p class="note">Everything in the database, whatever the report period: every record read is accepted, '
        "rejected with a reason, a duplicate, or a superseded snapshot (an earlier chunk or poll of a call logged again). "
        + _records_note(data.get("coverage"))
        + "</p>"
        + totals
        + "<h3>Files</h3>"
        + files
        + "<h3>Rejects by reason</h3>"
        + rejects
        + "<h3>Bucket rows</h3>"
        + buckets
        + "<h3>Unpriced models</h3>"
        + unpriced
        + "<h3>Reconciliation against billed costs</h3>"
        + reconciliation
    )


def _records_note(coverage: dict[str, Any] | None) -> str:
    """Accepted records are calls plus other records (Batch requests, usage buckets, cost lines): say so,
    so the header's call count and this section's record count are not read as one number."""
    if not coverage or coverage.get("other_records") is None:
        return ""
    return e(f"Accepted records: {coverage['calls']:,} calls and {coverage['other_records']:,} other records "
             "(Batch requests, usage buckets or cost lines).")


# -- month over month ------------------------------------------------------------------------------
def month_over_month(m: dict[str, Any]) -> str:
    prev, now = m["previous_month"], m["month"]
    intro = (
        f'<p class="note">{e(now)} compared with the audit of {e(prev)} ({e(m["previous_file"])}).</p>'
        if m["previous_found"]
        else f'<p class="note">{e(m["note"])}</p>'
    )
    vol = table(
        [("workload", False), (f"calls {prev}", True), (f"calls {now}", True), ("change", True)],
        [
            [t(r["workload"]), n(fmt.count(r["previous_calls"])), n(fmt.count(r["calls"])), n(fmt.percent(r["change_share"]))]
            for r in m["volume"]
        ],
        caption="Volume",
    )
    tok = table(
        [("workload (model)", False), ("tokens", False)] + [(f"{p} {prev} → {now}", True) for p in ("p50", "p90", "p99")],
        [
            [t(r["workload"]), t(r["metric"].replace("_", " "))]
            + [n(f"{fmt.tokens(r['previous_' + p])} → {fmt.tokens(r[p])}") for p in ("p50", "p90", "p99")]
            for r in m["tokens"]
        ],
        caption="Token percentiles",
    )
    cost = table(
        [
            ("scenario", False),
            (f"base cost {prev}", True),
            (f"base cost {now}", True),
            (f"net savings to end of {prev}", True),
            (f"net savings to end of {now}", True),
        ],
        [
            [
                t(r["scenario"]),
                n(fmt.usd(r["previous_month_base_cost_usd"])),
                n(fmt.usd(r["month_base_cost_usd"])),
                n(fmt.usd(r["previous_net_savings_usd"])),
                n(fmt.usd(r["net_savings_usd"])),
            ]
            for r in m["cost"]
        ],
        caption="Cost",
    )
    moved = table(
        [("scenario", False), (f"break-even, audit {prev}", False), (f"break-even, audit {now}", False), ("moved", True)],
        [[t(r["scenario"]), t(r["previous"]), t(r["current"]), n(r["moved"])] for r in m["break_even"]],
        caption="Break-even date",
    )
    return intro + vol + tok + cost + moved
