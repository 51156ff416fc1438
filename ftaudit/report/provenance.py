"""Where the report's numbers come from: every price used with its source and date, the lifecycle and
method notes, unpriced models and the reconciliation against billed costs.

Reads prices through the same `Resolver` the replay used (catalog, genai-prices, --prices FILE); never
the store: the model keys arrive from `data`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from ftaudit.prices.catalog import Tiered
from ftaudit.prices.resolver import Resolver, missing_rates, rate_text
from ftaudit.replay.basis import MONEY_RULES
from ftaudit.report import fmt
from ftaudit.report.outlook import RECENT_DAYS
from ftaudit.report.what_if import ScenarioRun

RATE_LABELS = {
    "input_mtok": "input, per 1M tokens",
    "cache_read_mtok": "cached input, per 1M tokens",
    "cache_write_mtok": "cache write, per 1M tokens",
    "cache_write_1h_mtok": "cache write (1 h), per 1M tokens",
    "output_mtok": "output, per 1M tokens",
    "output_reasoning_mtok": "reasoning output, per 1M tokens",
    "requests_kcount": "per 1,000 requests",
}
TERM_LABELS = {
    "training_mtok": ("training, per 1M billed tokens", "$"),
    "training_per_hour": ("training, per hour", "$"),
    "min_job_usd": ("minimum job charge", "$"),
    "max_job_usd": ("maximum job charge", "$"),
    "hosting_per_hour": ("hosting, per hour", "$"),
    "storage_per_month": ("storage, per month", "$"),
    "max_tokens_per_example": ("training tokens per example, cap", ""),
    "cache_min_tokens": ("shortest cacheable prompt, tokens", ""),
    "cache_step_tokens": ("cached length step, tokens", ""),
    "no_new_training_after": ("no new training jobs after", ""),
    "serving_until": ("serves until", ""),
}


RATE_UNITS = {"requests_kcount": "per 1,000 requests"}
TERM_UNITS = {"training_mtok": "per 1M training tokens", "training_per_hour": "per hour", "min_job_usd": "per job",
              "max_job_usd": "per job", "hosting_per_hour": "per hour", "storage_per_month": "per month"}


def assumptions(runs: Sequence[ScenarioRun], percentile_method: str) -> dict[str, Any]:
    return {"prices": _prices(runs), "notes": _notes(runs), "percentile_method": _percentiles(percentile_method)}


def _percentiles(method: str) -> str:
    if method == "linear":
        return "linear interpolation between the two nearest ranks (numpy 'linear', DuckDB quantile_cont)"
    return method


def _prices(runs: Sequence[ScenarioRun]) -> list[dict[str, Any]]:
    """One row per (model, price) used by any scenario, at the price in effect on its last logged day."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for run in runs:
        r = run.result
        keys = [(provider, r.scenario.base_model or model, batch, tier) for provider, model, batch, tier in run.price_keys]
        keys += [(r.fine_tuned_provider, r.scenario.fine_tuned_model, batch, tier) for _, _, batch, tier in run.price_keys]
        for provider, model, batch, tier in sorted(set(keys)):
            for field, priced in sorted(run.resolver.rates(provider, model, r.end_ts, batch, tier).items()):
                if field not in RATE_LABELS:
                    continue
                item = (
                    RATE_LABELS[field]
                    + (" (Batch)" if batch else "")
                    + (f" ({tier} tier)" if tier not in ("", "default") else "")
                )
                rows.setdefault(
                    (model, item),
                    {
                        "model": model,
                        "item": item,
                        "value": _with_unit(priced.value, RATE_UNITS.get(field, "per 1M tokens")),
                        "source": priced.source,
                        "date": _iso(priced.as_of),
                    },
                )
        for field, priced in sorted(r.terms.items()):
            label, unit = TERM_LABELS.get(field, (field, ""))
            rows.setdefault(
                (r.scenario.fine_tuned_model, label),
                {
                    "model": r.scenario.fine_tuned_model,
                    "item": label,
                    "value": _with_unit(priced.value, TERM_UNITS.get(field, "")) if unit else rate_text(priced.value),
                    "source": priced.source,
                    "date": _iso(priced.as_of),
                },
            )
        summary_training = run.summary["training"]
        if summary_training.get("rule", "").startswith("given"):
            rows.setdefault(
                (r.scenario.fine_tuned_model, "training cost"),
                {
                    "model": r.scenario.fine_tuned_model,
                    "item": "training cost, per run",
                    "value": fmt.usd(summary_training["cost_usd"]) + " per run",
                    "source": f"scenario {r.scenario.name}",
                    "date": None,
                },
            )
    return sorted(rows.values(), key=lambda row: (row["model"], row["item"]))


def _with_unit(value: object, unit: str) -> str:
    """A price with its unit in the same cell: `$0.30 per 1M tokens`; tiered prices list their tiers."""
    if isinstance(value, Tiered):
        tiers = ", ".join(f"{fmt.rate(price, '')} above {start:,} input tokens" for start, price in value.tiers)
        return f"{fmt.rate(value.base, unit)} ({tiers})"
    if isinstance(value, Decimal | int | float | str):
        try:
            return fmt.rate(value, unit)
        except ValueError:
            pass
    return f"${rate_text(value)} {unit}".rstrip()


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _notes(runs: Sequence[ScenarioRun]) -> list[str]:
    """Lifecycle facts once per fine-tuned model, training per scenario, methods once."""
    lifecycle: dict[str, None] = {}
    training_notes: list[str] = []
    methods: dict[str, None] = {}
    for run in runs:
        s = run.summary
        name, model = run.result.scenario.name, run.result.scenario.fine_tuned_model
        terms = s["terms"]
        if "serving_until" in terms:
            lifecycle.setdefault(
                f"{model} stops serving on {terms['serving_until']['value']} ({terms['serving_until']['source']}). "
                "A break-even on or after that date never happens."
            )
        if "no_new_training_after" in terms:
            lifecycle.setdefault(
                f"New {model} training jobs cannot be created after {terms['no_new_training_after']['value']} "
                f"({terms['no_new_training_after']['source']})."
            )
        training = s["training"]
        if training.get("billed_tokens") is not None:
            training_notes.append(
                f"{name}: training bills {training['billed_tokens']:,} tokens per run ({training['dataset_tokens']:,} "
                f"tokens x {training['epochs']} epochs, {training['epochs_rule']}) = ${training['cost_usd']} per run, "
                f"{s['scenario']['runs']} run(s) at the start"
                + (f", one more every {s['scenario']['retrain_every']} days." if s["scenario"]["retrain_every"] else ".")
            )
        if s.get("projection_method"):
            methods.setdefault(f"Projection: {s['projection_method']}.", None)
    return [
        *lifecycle,
        *training_notes,
        *methods,
        "“Net savings in the N days after the logs” (the historical replay's card) and “current volume” use the mean"
        f" of the last {RECENT_DAYS} calendar days of the logs "
        "(days without calls count as 0); after the fine-tuned model stops serving nothing is saved or spent.",
        "Money is computed exactly (decimal) and rounded only for display; the JSON file beside this page has the "
        "unrounded values.",
        "Prices in the table are those in effect on each scenario's last logged day; the replay prices every call at the "
        "price in effect on its own date.",
        *MONEY_RULES,
    ]


def reconciliation(runs: Sequence[ScenarioRun]) -> tuple[list[dict[str, Any]], str]:
    """Per scenario and model: the base replay (each call as logged) against the logged billed cost."""
    rows = []
    for run in runs:
        rec = run.result.reconciliation
        if not rec:
            continue
        for r in rec["by_model"]:
            rows.append(
                {
                    "scenario": run.result.scenario.name,
                    "model": r["model"],
                    "calls": int(r["calls"]),
                    "billed_usd": str(r["billed_cost_usd"]),
                    "replayed_usd": str(r["replayed_cost_usd"]),
                    "difference_share": None if r["difference_share"] is None else float(r["difference_share"]),
                }
            )
    note = (
        "No call carries a billed cost, so the replay cannot be reconciled with an invoice: the base costs are the "
        "list prices applied to the logged tokens."
        if not rows
        else ""
    )
    return rows, note


def unpriced_models(models: list[dict[str, Any]], runs: Sequence[ScenarioRun]) -> list[dict[str, Any]]:
    """Logged models that no price source prices (scenarios refuse them; listed here for the others)."""
    resolvers = [Resolver()] + [run.resolver for run in runs]
    out: dict[str, int] = {}
    for m in models:
        at = m["last_ts"] if isinstance(m["last_ts"], datetime) else datetime.now(UTC)
        priced = any(
            not missing_rates(res.rates(m["provider"], m["model"], at, bool(m["is_batch"]), m["service_tier"] or ""))
            for res in resolvers
        )
        if not priced:
            out[m["model"]] = out.get(m["model"], 0) + int(m["calls"])
    return [{"model": k, "calls": v} for k, v in sorted(out.items())]
