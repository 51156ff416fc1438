"""The replay's price table and its like-for-like basis: each side of a logged call is priced under the
same Batch and service-tier terms, so a discount or premium that only one side gets never shows up as
savings. A Batch call is priced at Batch rates only when both sides have a sourced Batch rate, else both
at the standard rate (a warning); a priority or flex call is priced at that tier only when the
fine-tuned model has a rate there, else both at the standard tier, and the base side's premium (or flex
discount) is kept as its own line (`replay_tier_premium`). Builds temp tables; prices no call.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import polars as pl

from ftaudit.errors import UnpricedModelsError
from ftaudit.prices.genai import did_you_mean
from ftaudit.prices.resolver import PriceNeed, Resolver, price_table
from ftaudit.replay.scenario import Scenario
from ftaudit.store.connection import Store

# The rules as the report's assumptions list states them (the README and `ftaudit replay --help` say the same).
MONEY_RULES = (
    "Cache hits on the fine-tuned side: the removed static prefix is what was cached, so a fine-tuned call's cached "
    "tokens are max(logged cached - removed, 0), then the provider's minimum cacheable prompt and step.",
    "Batch calls are priced at Batch rates on both sides when both have a sourced Batch rate, else at standard rates "
    "on both (a warning): no one-sided discount counts as savings.",
    "Service tiers like for like: a priority or flex call is priced at its tier only where the fine-tuned model "
    "offers it; otherwise both sides at the standard tier, and the base side's premium is reported on its own line.",
    "A target that serves only on paid hosting (Azure OpenAI, dedicated GPUs, Bedrock Provisioned Throughput) "
    "needs a hosting price: never $0.",
)

Needs = dict[PriceNeed, tuple[str | None, int, bool]]  # key -> (lookup provider, calls, fine-tuned side)


def price_calls(store: Store, resolver: Resolver, scenario: Scenario, contexts: pl.DataFrame, ft_key: str,
                warnings: list[str], *, like_for_like: bool = True, base_model: str | None = None) -> None:
    """Build the temp tables replay_prices (and replay_tier_prices) for every key the calls need;
    unpriced models are an error. `like_for_like=False` prices each side as logged (reconciliation
    with the billed cost); `base_model` prices the logged tokens as that model."""
    needs: Needs = {}
    groups: dict[tuple[bool, str], tuple[set[tuple[str, str]], int, list[datetime]]] = {}
    for row in contexts.iter_rows(named=True):
        model = base_model or row["model"]
        need = PriceNeed(row["provider"], model, row["is_batch"], row["service_tier"])
        _, calls, _ = needs.get(need, (None, 0, False))
        needs[need] = (row["provider"], calls + row["calls"], False)
        need = PriceNeed(ft_key, scenario.fine_tuned_model, row["is_batch"], row["service_tier"])
        _, calls, _ = needs.get(need, (None, 0, True))
        needs[need] = (ft_key, calls + row["calls"], True)
        sides, count, times = groups.get((row["is_batch"], row["service_tier"]), (set(), 0, []))
        groups[(row["is_batch"], row["service_tier"])] = (sides | {(row["provider"], model)}, count + row["calls"],
                                                         [*times, row["first_ts"], row["last_ts"]])
    basis: dict[PriceNeed, PriceNeed] = {}
    premium: list[tuple[PriceNeed, str | None]] = []
    premium_basis: dict[PriceNeed, PriceNeed] = {}
    if like_for_like:
        for (is_batch, tier), (sides, calls, times) in sorted(groups.items()):
            batch_as, tier_as, tier_premium = _group_basis(resolver, scenario, ft_key, is_batch, tier, sides, calls,
                                                           times, warnings)
            for need, (lookup, _, ft) in needs.items():
                if (need.is_batch, need.service_tier) != (is_batch, tier):
                    continue
                basis[need] = replace(need, is_batch=batch_as, service_tier=tier_as)
                if tier_premium and not ft:
                    premium.append((need, lookup))
                    premium_basis[need] = replace(need, is_batch=batch_as)
    table, unpriced = price_table(resolver, [(k, v[0]) for k, v in needs.items()], basis)
    if unpriced:
        raise _unpriced_error(unpriced, needs, resolver)
    _register(store, "replay_prices", "replay_prices_from_frame", "replay_prices_frame", table)
    tier_table, _ = price_table(resolver, premium, premium_basis)
    _register(store, "replay_tier_prices", "replay_tier_prices_from_frame", "replay_tier_prices_frame", tier_table)
    if like_for_like:
        _source_warnings(resolver, needs, warnings)


def _group_basis(resolver: Resolver, scenario: Scenario, ft_key: str, is_batch: bool, tier: str,
                 sides: set[tuple[str, str]], calls: int, times: list[datetime],
                 warnings: list[str]) -> tuple[bool, str, bool]:
    """(price as Batch, price at tier, report the base side's tier premium) for the calls logged with
    this Batch flag and tier, checked at the first and last call of each context."""
    ft = (ft_key, scenario.fine_tuned_model)
    batch_as = is_batch
    if is_batch:
        lacking = sorted(m for p, m in sides | {ft} if not all(resolver.batch_known(p, m, at, tier) for at in times))
        if lacking:
            batch_as = False
            warnings.append(f"{calls:,} Batch calls: no sourced Batch rate for {', '.join(lacking)}; both sides are "
                            "priced at the standard rate, so no one-sided Batch discount counts as savings")
    if not tier:
        return batch_as, tier, False
    # any: the premium table prices each date at the tier's rate then (equal to standard before a tier starts)
    base_offers = any(resolver.tier_offered(p, m, at, tier) for p, m in sides for at in times)
    ft_offers = all(resolver.tier_offered(*ft, at, tier) for at in times)
    if base_offers and ft_offers:
        return batch_as, tier, False
    if base_offers:
        warnings.append(f"{calls:,} calls at service tier {tier}: {scenario.fine_tuned_model} has no {tier} rate; "
                        f"the verdict prices both sides at the standard tier and reports the base side's {tier} "
                        "premium as its own line (service_tier_premium)")
    return batch_as, "", base_offers


def _register(store: Store, table: str, query: str, frame_name: str, frame: pl.DataFrame) -> None:
    store.con.register(frame_name, frame)
    store.create_temp_table(table, query)
    store.con.unregister(frame_name)


def _source_warnings(resolver: Resolver, needs: Needs, warnings: list[str]) -> None:
    for need, (lookup, _, _) in needs.items():
        override = resolver.override_for(need.model)
        if need.is_batch and override is not None and override.rates and not override.batch:
            warnings.append(f"Batch calls of {need.model} are priced at the --prices FILE's standard rates "
                            f"(add [models.\"{override.model}\".batch] for Batch rates)")
        rates = resolver.rates(lookup, need.model, datetime.now(UTC), need.is_batch, need.service_tier)
        flagged = sorted({p.source.split("[flag ")[1].rstrip("]") for p in rates.values() if "[flag " in p.source})
        if flagged:
            warnings.append(f"prices of {need.model} include values flagged in the price notes ({', '.join(flagged)}); "
                            f"see `ftaudit prices {need.model}`")


def _unpriced_error(unpriced: dict[PriceNeed, list[str]], needs: Needs, resolver: Resolver) -> UnpricedModelsError:
    by_model: dict[tuple[str, bool], tuple[int, set[str]]] = {}
    for need, missing in unpriced.items():
        _, calls, ft = needs[need]
        count, fields = by_model.get((need.model, ft), (0, set()))
        by_model[(need.model, ft)] = (count + calls, fields | set(missing))
    parts, hints = [], []
    for (model, ft), (calls, fields) in sorted(by_model.items()):
        role = "fine-tuned model, " if ft else ""
        parts.append(f"`{model}` ({role}{calls:,} calls; no {' or '.join(sorted(fields))})")
        if (guess := did_you_mean(model, [e.model for e in (resolver.overrides.models if resolver.overrides else ())])):
            hints.append(f"did you mean `{guess}` for `{model}`?")
    example = next(iter(by_model))[0]
    return UnpricedModelsError(
        f"no price for {len(by_model)} model(s): {', '.join(parts)}",
        hint=" ".join(hints) + f' Give the prices in --prices FILE: [models."{example}"] input_mtok = "..." output_mtok = "..."',
    )
