"""`ftaudit compare`: one workload replayed forward from a training date onto every candidate
fine-tuning target, ranked by break-even date, then net after 12 months; `never`, `insufficient_data`
and unpriced targets last, each with its reason. A target missing a price or rule no source gives is
not replayed: it lists its `needs` and the --prices FILE lines that supply them. Never prices at $0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ftaudit.errors import UsageError
from ftaudit.prices.catalog import PriceFile
from ftaudit.prices.resolver import Resolver
from ftaudit.replay.compare_targets import (
    Load,
    Target,
    catalog_targets,
    excluded_reason,
    parse_target,
    plan,
    serves_all,
    toml_lines,
)
from ftaudit.replay.forward import Forward, forward
from ftaudit.replay.forward_options import TWELVE_MONTHS_DAYS, ForwardOptions
from ftaudit.replay.result import money
from ftaudit.replay.run import infer_fine_tuned_provider
from ftaudit.replay.scenario import ANY_TARGET, Scenario
from ftaudit.store.connection import Store

STATUS_ORDER = {"pays_back": 0, "never": 1, "insufficient_data": 2, "unpriced": 3}
MONTH_DAYS = 30
MONTHLY_RULE = (f"monthly_net_savings_usd: {MONTH_DAYS} days of the replay window's mean daily inference savings "
                f"(x the volume factor) minus {MONTH_DAYS * 24} hours of hosting and one month of storage; "
                "fixed_costs_usd: training, hosting and storage from the training date to 12 months later or the "
                "last serving day, whichever comes first")


@dataclass(frozen=True)
class Comparison:
    workload: str | None
    from_date: date
    models: tuple[str, ...]
    targets: tuple[dict[str, Any], ...]
    excluded: tuple[dict[str, str], ...]
    prices_toml: str

    def summary(self) -> dict[str, Any]:
        return {"workload": self.workload, "from_date": self.from_date.isoformat(), "models": list(self.models),
                "targets": list(self.targets), "excluded": list(self.excluded), "prices_toml": self.prices_toml,
                "method": MONTHLY_RULE}


def compare(store: Store, scenario: Scenario, options: ForwardOptions, *, targets: Sequence[str] = (),
            replica_tokens_per_s: Decimal | None = None, prices: PriceFile | None = None) -> Comparison:
    """Replay `scenario` (its workload, removal and training data; its fine-tuned model is replaced by each
    target's) forward from `options.from_date` onto each target."""
    if scenario.training_tokens is None and scenario.training_file is None and scenario.training_cost_usd is None:
        raise UsageError("compare needs the size of the training data to price each target's training",
                         hint="pass --training-tokens N (one epoch) or --training-file FILE, or --scenario FILE")
    resolver = Resolver(prices)
    known = catalog_targets(resolver)
    contexts = store.frame("replay_contexts", start_ts=None, until_ts=None, workload=scenario.workload)
    if contexts.is_empty():
        raise UsageError(f"no calls in workload {scenario.workload!r}", hint="see `ftaudit workloads` for the names")
    models = tuple(sorted({scenario.base_model or m for m in contexts["model"].to_list()}))
    providers = sorted({p for p in contexts["provider"].to_list()})
    chosen = [parse_target(t, known) for t in targets]
    excluded: list[dict[str, str]] = []
    if not targets and scenario.fine_tuned_model != ANY_TARGET:  # the scenario's own fine-tune is a candidate too
        provider = scenario.fine_tuned_provider or infer_fine_tuned_provider(scenario.fine_tuned_model, contexts)
        chosen.append(parse_target(f"{provider}/{scenario.fine_tuned_model}", known))
    if not targets:
        for t in known:
            why = excluded_reason(resolver.terms(t.provider, t.model), options.from_date)
            if why is None and not serves_all(t, models):
                why = f"its base cannot serve {', '.join(models)}"
            if why is not None:
                excluded.append({"target": t.name, "reason": why})
            elif t not in chosen:
                chosen.append(t)
    peak = store.rows("compare_peak_load", workload=scenario.workload, window_days=options.window_days)[0]
    load = Load(peak[0], int(peak[1] or 0), Decimal(str(peak[2])) if peak[2] is not None else None)
    rows, needs_by_model = [], {}
    for target in chosen:
        p = plan(resolver, target, options.from_date, load, replica_tokens_per_s, options.volume_factor)
        notes = p.notes + _cross_provider(target, models, providers)
        if p.needs:
            needs_by_model[target.model] = p.needs
            rows.append(_row(target, "unpriced", needs=p.needs, notes=notes,
                             reason=f"not priced: needs {', '.join(n['field'] for n in p.needs)}"))
            continue
        per_target = scenario.with_changes(fine_tuned_model=target.model, fine_tuned_provider=target.provider,
                                           hosting_per_hour_usd=p.hosting_per_hour_usd or scenario.hosting_per_hour_usd)
        result = forward(store, per_target, options, prices=prices)
        rows.append(_priced_row(target, result, notes + list(result.history.warnings), p.replicas))
    rows.sort(key=_rank)
    return Comparison(scenario.workload, options.from_date, models, tuple(rows), tuple(excluded), toml_lines(needs_by_model))


def _rank(row: dict[str, Any]) -> tuple[Any, ...]:
    net = Decimal(row["net_after_12_months_usd"]) if row["net_after_12_months_usd"] is not None else None
    return (STATUS_ORDER.get(row["status"], 9), row["break_even_date"] or "9999-12-31",
            -(net if net is not None else Decimal("-1e30")), row["target"])


def _row(target: Target, status: str, *, needs: list[dict[str, str]] | None = None, notes: list[str] | None = None,
         reason: str | None = None) -> dict[str, Any]:
    return {"target": target.name, "provider": target.provider, "model": target.model, "label": target.label,
            "status": status, "reason": reason, "break_even_date": None, "break_even_range": None,
            "net_after_12_months_usd": None, "net_at_end_of_service_usd": None, "monthly_net_savings_usd": None,
            "fixed_costs_usd": None, "hosting_per_hour_usd": None, "replicas": None, "end_of_service_date": None,
            "needs": needs or [], "notes": notes or []}


def _priced_row(target: Target, f: Forward, notes: list[str], replicas: int | None) -> dict[str, Any]:
    fixed = f.history.fixed
    horizon = f.options.from_date + timedelta(days=TWELVE_MONTHS_DAYS - 1)
    if f.end_of_service is not None:
        horizon = min(horizon, f.end_of_service)
    fixed_usd = sum((d.fixed_usd for d in f.days if d.day <= horizon), Decimal(0)) if f.days else fixed.training_at_start_usd
    saved = sum((t.base_usd - t.tuned_usd for _, t in f.window), Decimal(0))
    monthly = (saved / len(f.window) * MONTH_DAYS * f.options.volume_factor if f.window else Decimal(0)) \
        - fixed.hosting_per_hour_usd * 24 * MONTH_DAYS - fixed.storage_per_month_usd
    row = _row(target, f.status, notes=notes, reason=f.never_reason)
    row.update({
        "break_even_date": f.break_even.isoformat() if f.break_even else None,
        "break_even_range": {"low": _iso(f.range_low), "high": _iso(f.range_high)} if f.break_even else None,
        "net_after_12_months_usd": money(f.net_after_12_months_usd),
        "net_at_end_of_service_usd": money(f.net_at_end_of_service_usd),
        "monthly_net_savings_usd": money(monthly),
        "fixed_costs_usd": money(fixed_usd),
        "hosting_per_hour_usd": money(fixed.hosting_per_hour_usd),
        "replicas": replicas,
        "end_of_service_date": _iso(f.end_of_service),
    })
    return row


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _cross_provider(target: Target, models: Sequence[str], providers: Sequence[str]) -> list[str]:
    own = Target(target.provider, target.model, serves=tuple(s for s in target.serves if s != "*"))
    same_base, same_provider = bool(own.serves) and serves_all(own, models), target.provider in providers
    if same_base and same_provider:
        return []
    if same_base:
        return [f"the workload was logged on {', '.join(providers)}; the tuned side is priced at {target.provider}'s "
                "rates for the same base model"]
    kind = "a different base model" if same_provider else "cross-provider: a different base model"
    return [f"{kind}: the workload's calls ({', '.join(models)} on {', '.join(providers)}) are priced on the tuned "
            f"side at {target.provider}'s rates for {target.model}; ftaudit does not judge whether its quality matches"]
