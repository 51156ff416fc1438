"""The fine-tuning targets a compare weighs: the catalog's [[target]] rows (or the user's --target
PROVIDER/MODEL), which of them can serve a workload and are alive on the training date, what each still
needs (a price or rule no source gives, with the --prices FILE lines that supply it) and its dedicated
hosting, sized from the logged load. Never prices a missing number at $0: missing is a `need`.
"""

from __future__ import annotations

import fnmatch
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from ftaudit.errors import UsageError
from ftaudit.prices.catalog import Entry, Priced
from ftaudit.prices.genai import canonical_provider
from ftaudit.prices.resolver import Resolver, missing_rates

NEED_TEXT = {
    "input_mtok": ("USD per 1M input tokens of the fine-tuned model", '"..."'),
    "output_mtok": ("USD per 1M output tokens of the fine-tuned model", '"..."'),
    "training_mtok": ("USD per 1M billed training tokens (dataset tokens x epochs)", '"..."'),
    "hosting_per_hour": ("USD per hour of hosting (per replica when the deployment scales by replicas)", '"..."'),
    "replica_tokens_per_s": ("tokens (input + output) per second one replica serves", "..."),
}


@dataclass(frozen=True)
class Target:
    provider: str
    model: str
    label: str | None = None
    serves: tuple[str, ...] = ("*",)
    needs: tuple[str, ...] = ()
    note: str | None = None

    @property
    def name(self) -> str:
        return f"{self.provider}/{self.model}"


@dataclass(frozen=True)
class Load:
    """The busiest minute of the replayed window."""

    peak_minute: datetime | None
    peak_minute_tokens: int
    peak_calls_in_flight: Decimal | None

    @property
    def tokens_per_s(self) -> Decimal:
        return Decimal(self.peak_minute_tokens) / 60


@dataclass
class Plan:
    """What a target needs before it can be replayed, and its hosting when it can."""

    target: Target
    needs: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    hosting_per_hour_usd: Decimal | None = None  # all replicas; None: the catalog's or --prices' own
    replicas: int | None = None


def catalog_targets(resolver: Resolver) -> list[Target]:
    """The catalog's fine-tuning targets, one per (provider, model), in catalog order."""
    merged: dict[tuple[str, str], Target] = {}
    for e in resolver.catalog.entries:
        if e.section != "target" or e.provider is None:
            continue
        key = (e.provider, e.model)
        old = merged.get(key)
        merged[key] = _target(e) if old is None else Target(
            e.provider, e.model, old.label or e.label, old.serves + e.serves, old.needs + e.needs, old.note or e.note)
    return list(merged.values())


def _target(e: Entry) -> Target:
    assert e.provider is not None
    return Target(e.provider, e.model, e.label, e.serves, e.needs, e.note)


def parse_target(text: str, known: Sequence[Target]) -> Target:
    """`PROVIDER/MODEL` (the model may hold slashes); a catalog target keeps its label and notes."""
    provider, _, model = text.strip().partition("/")
    if not provider or not model:
        raise UsageError(f"--target {text!r} is not PROVIDER/MODEL",
                         hint="e.g. --target openai/ft:gpt-4o-mini-2024-07-18; see `ftaudit compare --help`")
    provider = canonical_provider(provider) or provider
    for t in known:
        if (t.provider, t.model.lower()) == (provider, model.lower()):
            return t
    return Target(provider, model)


def serves_all(target: Target, models: Sequence[str]) -> bool:
    return all(any(fnmatch.fnmatchcase(m.lower(), pattern.lower()) for pattern in target.serves) for m in models)


def excluded_reason(terms: dict[str, Priced], on: date) -> str | None:
    """Why a target is not a candidate for training on `on` (lifecycle), or None."""
    until, last_jobs = terms.get("serving_until"), terms.get("no_new_training_after")
    if until is not None and isinstance(until.value, date) and until.value <= on:
        return f"shut down on {until.value} ({until.source})"
    if last_jobs is not None and isinstance(last_jobs.value, date) and last_jobs.value < on:
        return f"no new fine-tuning jobs after {last_jobs.value} ({last_jobs.source})"
    return None


def plan(resolver: Resolver, target: Target, on: date, load: Load, replica_tokens_per_s: Decimal | None,
         volume_factor: Decimal) -> Plan:
    """The target's needs (each with the --prices FILE line that supplies it) and its hosting."""
    out = Plan(target)
    at = datetime.combine(on, time(0), UTC)
    terms = resolver.terms(target.provider, target.model)

    def need(key: str, why: str) -> None:
        if key not in {n["field"] for n in out.needs}:
            what, placeholder = NEED_TEXT.get(key, (key, '"..."'))
            out.needs.append({"field": key, "reason": why,
                              "toml": f'[models."{target.model}"]\n{key} = {placeholder}  # {what}'})

    for key in missing_rates(resolver.rates(target.provider, target.model, at, False, "")):
        need(key, f"no source gives the per-token price of {target.model} on {target.provider}")
    if "training_mtok" not in terms:
        why = "no source gives its training price per token"
        need("training_mtok", why + (" (RFT is billed per hour)" if "training_per_hour" in terms else ""))
    for key in target.needs:
        if key not in terms:
            need(key, target.note or f"no source gives {key}")
    required = terms.get("hosting_required")
    if required is None and "hosting_per_hour" not in terms:
        need("hosting_per_hour", f"no source says whether {target.provider} bills hosting for a deployed fine-tune "
                                 "(set 0 if it bills per token only)")
    if required is not None and required.value is True and "hosting_per_hour" not in terms:
        need("hosting_per_hour", f"{target.provider} serves it only on paid hosting ({required.source}) "
                                 "and no source gives the price")
    if "serving_until" not in terms:
        out.notes.append(f"no source gives an end-of-service date for {target.model} on {target.provider}: the "
                         "12 months are not capped by a shutdown")
    per_replica = terms.get("per_replica")
    if per_replica is not None and per_replica.value is True:
        _replicas(out, terms, load, replica_tokens_per_s, volume_factor, need)
    elif (hourly := terms.get("hosting_per_hour")) is not None and isinstance(hourly.value, Decimal) and hourly.value:
        out.notes.append(f"hosting ${hourly.value}/h per deployment, whether called or not ({hourly.source})")
    return out


def _replicas(out: Plan, terms: dict[str, Priced], load: Load, given: Decimal | None, volume_factor: Decimal,
              need: Any) -> None:
    throughput = given
    source = "--replica-tokens-per-s"
    if throughput is None and (term := terms.get("replica_tokens_per_s")) is not None:
        assert isinstance(term.value, Decimal)
        throughput, source = term.value, term.source
    if throughput is None:
        need("replica_tokens_per_s", "no source gives one replica's throughput: it depends on your GPUs and model")
        return
    tokens_per_s = load.tokens_per_s * volume_factor
    out.replicas = max(1, math.ceil(tokens_per_s / throughput))
    where = f" (UTC minute {load.peak_minute:%Y-%m-%d %H:%M})" if load.peak_minute else ""
    text = (f"replicas = ceil(busiest minute's {tokens_per_s.normalize():f} tokens/s{where} / {throughput.normalize():f} "
            f"tokens/s per replica ({source})) = {out.replicas}")
    if load.peak_calls_in_flight is not None:
        text += f"; at most {load.peak_calls_in_flight:.1f} calls in flight in any minute (from logged latency)"
    out.notes.append(text)
    hourly = terms.get("hosting_per_hour")
    if hourly is not None and isinstance(hourly.value, Decimal):
        out.hosting_per_hour_usd = hourly.value * out.replicas
        out.notes.append(f"hosting {out.replicas} x ${hourly.value}/h per replica = ${out.hosting_per_hour_usd}/h "
                         f"({hourly.source}), for every hour of a serving day")


def toml_lines(needs_by_model: dict[str, list[dict[str, str]]]) -> str:
    """The --prices FILE lines every unpriced target needs, one table per model."""
    blocks = []
    for model, needs in needs_by_model.items():
        lines = [f'[models."{model}"]'] + [n["toml"].split("\n", 1)[1] for n in needs]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n" if blocks else "")
