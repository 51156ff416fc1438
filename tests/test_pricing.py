"""Prices: the price table agrees with genai_prices.calc_price, the catalog carries pricing.md's sourced
numbers, --prices FILE overrides only what it gives, and `ftaudit prices` shows every source and date."""

from __future__ import annotations

import importlib.metadata
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from genai_prices import Usage, calc_price

from ftaudit.errors import ConfigError
from ftaudit.prices.catalog import PriceFile, load_catalog, load_prices, match_score
from ftaudit.prices.resolver import PriceNeed, Resolver, price_table
from tests.conftest import Cli
from tests.test_replay import epoch, ingest_csv, write

M = Decimal(10**6)


def priced_by_table(table: pl.DataFrame, need: PriceNeed, ts: datetime, usage: dict[str, int]) -> Decimal:
    """Cost of one call from the table's row for it, by the formula written out here."""
    second = ts.hour * 3600 + ts.minute * 60 + ts.second
    rows = table.filter(
        (pl.col("provider") == need.provider)
        & (pl.col("model") == need.model)
        & (pl.col("is_batch") == need.is_batch)
        & (pl.col("service_tier") == need.service_tier)
        & (pl.col("valid_from") <= ts)
        & (pl.col("valid_until") > ts)
        & (pl.col("tod_from_s") <= second)
        & (pl.col("tod_to_s") > second)
        & (pl.col("tier_above") < usage["input_tokens"])
        & (pl.col("tier_upto") >= usage["input_tokens"])
    ).to_dicts()
    assert len(rows) == 1, rows
    r = rows[0]
    cr, cw, cw1h = usage.get("cache_read_tokens", 0), usage.get("cache_write_tokens", 0), usage.get("cache_write_1h_tokens", 0)
    total = (
        (usage["input_tokens"] - cr - cw) * r["input_rate"]
        + cr * r["cache_read_rate"]
        + (cw - cw1h) * r["cache_write_rate"]
        + cw1h * r["cache_write_1h_rate"]
        + usage["output_tokens"] * r["output_rate"]
    )
    return Decimal(total) / M


CASES: list[tuple[str, str, datetime, bool, str, dict[str, int]]] = [
    (
        "openai",
        "gpt-4o-mini-2024-07-18",
        datetime(2026, 3, 1, tzinfo=UTC),
        False,
        "",
        {"input_tokens": 5000, "cache_read_tokens": 2048, "output_tokens": 300},
    ),
    (
        "openai",
        "gpt-4o-mini-2024-07-18",
        datetime(2026, 10, 1, tzinfo=UTC),
        True,
        "",
        {"input_tokens": 5000, "output_tokens": 300},
    ),
    (
        "openai",
        "gpt-4o-mini-2024-07-18",
        datetime(2026, 10, 20, tzinfo=UTC),
        True,
        "",
        {"input_tokens": 5000, "output_tokens": 300},
    ),
    (
        "openai",
        "gpt-4.1-2025-04-14",
        datetime(2026, 10, 11, tzinfo=UTC),
        False,
        "priority",
        {"input_tokens": 9000, "cache_read_tokens": 1024, "output_tokens": 50},
    ),
    (
        "openai",
        "gpt-4.1-2025-04-14",
        datetime(2026, 10, 13, tzinfo=UTC),
        False,
        "priority",
        {"input_tokens": 9000, "cache_read_tokens": 1024, "output_tokens": 50},
    ),
    ("openai", "o4-mini", datetime(2026, 10, 13, tzinfo=UTC), False, "flex", {"input_tokens": 3000, "output_tokens": 5000}),
    (
        "openai",
        "ft:gpt-4o-mini-2024-07-18:acme::abc",
        datetime(2026, 5, 1, tzinfo=UTC),
        False,
        "",
        {"input_tokens": 800, "output_tokens": 80},
    ),
    (
        "anthropic",
        "claude-sonnet-4-5",
        datetime(2026, 6, 1, tzinfo=UTC),
        False,
        "",
        {
            "input_tokens": 20000,
            "cache_read_tokens": 8000,
            "cache_write_tokens": 6000,
            "cache_write_1h_tokens": 2000,
            "output_tokens": 700,
        },
    ),
    ("google", "gemini-2.5-pro", datetime(2026, 6, 1, tzinfo=UTC), False, "", {"input_tokens": 250_000, "output_tokens": 1000}),
    ("google", "gemini-2.5-pro", datetime(2026, 6, 1, tzinfo=UTC), False, "", {"input_tokens": 200_000, "output_tokens": 1000}),
    (
        "deepseek",
        "deepseek-chat",
        datetime(2026, 6, 1, 1, 0, tzinfo=UTC),
        False,
        "",
        {"input_tokens": 4000, "cache_read_tokens": 1000, "output_tokens": 400},
    ),
    (
        "deepseek",
        "deepseek-chat",
        datetime(2026, 6, 1, 20, 0, tzinfo=UTC),
        False,
        "",
        {"input_tokens": 4000, "cache_read_tokens": 1000, "output_tokens": 400},
    ),
]


@pytest.mark.parametrize(("provider", "model", "ts", "is_batch", "tier", "usage"), CASES)
def test_price_table_agrees_with_calc_price(
    provider: str, model: str, ts: datetime, is_batch: bool, tier: str, usage: dict[str, int]
) -> None:
    need = PriceNeed(provider, model, is_batch, tier)
    table, unpriced = price_table(Resolver(load_prices_from_nothing()), [(need, provider)])
    assert unpriced == {}
    context = {"processing": "batch"} if is_batch else {}
    if tier:
        context["service_tier"] = tier
    # genai-prices starts OpenAI Batch rates on 2026-10-14 (its verification date); the catalog applies the
    # same Batch rates earlier (they were on OpenAI's page in mid-2025), so the oracle is Batch as of then.
    batch_start = datetime(2026, 10, 14, tzinfo=UTC)
    oracle_ts = max(ts, batch_start) if is_batch and provider == "openai" and not model.startswith("ft:") else ts
    oracle = calc_price(
        Usage(**usage), model, provider_id=provider, genai_request_timestamp=oracle_ts, price_context=context or None
    )
    if model.startswith("ft:"):  # the catalog adds the cached rate genai-prices lacks; uncached calls agree
        assert usage.get("cache_read_tokens", 0) == 0
    assert priced_by_table(table, need, ts, usage) == oracle.total_price


def load_prices_from_nothing() -> PriceFile | None:
    return None


def test_fine_tune_cached_rate_and_gpt41_family_come_from_the_catalog() -> None:
    resolver = Resolver()
    at = datetime(2026, 11, 1, tzinfo=UTC)
    ft_mini = resolver.rates("openai", "ft:gpt-4o-mini-2024-07-18:acme::x", at, False, "")
    assert ft_mini["input_mtok"].value == Decimal("0.3") and ft_mini["input_mtok"].source.startswith("genai-prices")
    assert ft_mini["cache_read_mtok"].value == Decimal("0.15") and "catalog" in ft_mini["cache_read_mtok"].source
    ft41 = resolver.rates("openai", "ft:gpt-4.1-mini-2025-04-14:acme::x", at, True, "")
    assert {k: v.value for k, v in ft41.items()} == {
        "input_mtok": Decimal("0.40"),
        "cache_read_mtok": Decimal("0.10"),
        "output_mtok": Decimal("1.60"),
    }
    flagged = resolver.rates("openai", "ft:gpt-4o-2024-08-06", at, True, "")
    assert flagged["input_mtok"].value == Decimal("2.225") and "[flag F1]" in flagged["input_mtok"].source
    azure = resolver.rates("azure", "gpt-4o-mini-2024-07-18.ft-abc", at, False, "")  # Azure: base token rates
    assert (azure["input_mtok"].value, azure["output_mtok"].value) == (Decimal("0.15"), Decimal("0.6"))


def test_catalog_entries_are_sourced_dated_and_match_the_notes() -> None:
    catalog = load_catalog()
    assert all(e.source and e.read_on for e in catalog.entries)
    sections = {e.section for e in catalog.entries}
    assert sections == {"inference", "training", "hosting", "lifecycle", "prompt_cache", "target", "reference"}
    providers = {e.provider for e in catalog.entries}
    assert {"openai", "azure", "google", "together", "fireworks", "mistral", "aws"} <= providers
    terms = Resolver().terms
    assert terms("openai", "ft:gpt-4o-mini-2024-07-18")["training_mtok"].value == Decimal("3.00")  # not $25 (§1.2)
    assert terms("openai", "ft:gpt-4o-2024-08-06")["training_mtok"].value == Decimal("25.00")
    assert terms("openai", "ft:o4-mini-2025-04-16")["training_per_hour"].value == Decimal("100.00")
    assert terms("azure", "gpt-4.1-2025-04-14.ft-1")["hosting_per_hour"].value == Decimal("1.70")
    assert terms("openai", "ft:gpt-4o-mini")["hosting_per_hour"].value == 0
    mistral = terms("mistral", "ft:open-mistral-nemo")
    assert (mistral["min_job_usd"].value, mistral["storage_per_month"].value) == (Decimal(4), Decimal(2))
    assert terms("together", "ft:llama-3.1-8b-instruct")["training_mtok"].value == Decimal("0.48")
    assert terms("together", "ft:qwen2.5-32b-instruct")["training_mtok"].value == Decimal("1.50")
    assert "training_mtok" not in terms("together", "ft:llama-3.3-70b-instruct")  # 70B: above the 17-69B bracket
    assert terms("fireworks", "ft:qwen3-30b-a3b")["training_mtok"].value == Decimal("3.00")
    lifecycle = terms("openai", "ft:gpt-4.1-2025-04-14")
    assert (lifecycle["no_new_training_after"].value, lifecycle["serving_until"].value) == (date(2027, 1, 6), date(2027, 1, 14))
    cache = terms("openai", "ft:gpt-4o-mini")
    assert (cache["cache_min_tokens"].value, cache["cache_step_tokens"].value) == (1024, 128)


def test_model_names_match_families_and_fine_tunes() -> None:
    assert match_score("gpt-4o-mini", "gpt-4o-mini-2024-07-18") is not None
    assert match_score("gpt-3.5-turbo", "gpt-3.5-turbo-0125") is not None
    assert match_score("gpt-4o", "gpt-4o-mini-2024-07-18") is None
    assert match_score("gpt-4o-mini", "ft:gpt-4o-mini-2024-07-18:acme::x") is None  # a plain key never prices a fine-tune
    assert match_score("ft:gpt-4o-mini", "ft:gpt-4o-mini-2024-07-18:acme:sfx:abc") is not None
    assert match_score("ft:gpt-4o-mini", "gpt-4o-mini-2024-07-18.ft-0123") is not None  # Azure naming
    assert match_score("ft:gpt-4o-mini", "ft:gpt-4o-2024-08-06") is None
    assert match_score("ft:*", "gpt-4o-mini-2024-07-18.ft-0123") is not None
    exact, family = match_score("gpt-4o-mini", "gpt-4o-mini"), match_score("gpt-4o-mini", "gpt-4o-mini-2024-07-18")
    assert exact is not None and family is not None and exact > family


def test_override_replaces_only_the_fields_it_gives(tmp_path: Path) -> None:
    prices = load_prices(
        write(
            tmp_path / "p.toml",
            '[models."gpt-4o-mini"]\ninput_mtok = 0.2\n'
            '[[models."gpt-4o-mini".history]]\nfrom = "2026-05-01"\noutput_mtok = "0.9"\n'
            '[[models."gpt-4o-mini".history]]\nfrom = "2026-07-01"\noutput_mtok = "0.8"\n',
        )
    )
    resolver = Resolver(prices)
    early = resolver.rates("openai", "gpt-4o-mini-2024-07-18", datetime(2026, 3, 1, tzinfo=UTC), False, "")
    assert early["input_mtok"].value == Decimal("0.2") and str(tmp_path) in early["input_mtok"].source
    assert early["cache_read_mtok"].value == Decimal("0.075") and early["cache_read_mtok"].source.startswith("genai-prices")
    assert early["output_mtok"].value == Decimal("0.6")
    may = resolver.rates("openai", "gpt-4o-mini-2024-07-18", datetime(2026, 6, 30, 23, 59, tzinfo=UTC), False, "")
    assert may["output_mtok"].value == Decimal("0.9") and may["output_mtok"].as_of == date(2026, 5, 1)
    july = resolver.rates("openai", "gpt-4o-mini-2024-07-18", datetime(2026, 7, 1, tzinfo=UTC), False, "")
    assert july["output_mtok"].value == Decimal("0.8")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[models."gpt-4o-mini"]\ninptu_mtok = "1"\n',
            'models."gpt-4o-mini": unknown key `inptu_mtok`; did you mean `input_mtok`?',
        ),
        ('[models."gpt-4o-mini"]\ninput_mtok = "cheap"\n', "`input_mtok` must be a number or a decimal string"),
        ('[models."gpt-4o-mini"]\noutput_mtok = -1\n', "`output_mtok` must be a non-negative number"),
        ('[[models."m".history]]\ninput_mtok = "1"\n', 'models."m".history[1]: missing `from`'),
        ('[models."m"]\nserving_until = "soon"\n', "`serving_until` must be a date YYYY-MM-DD"),
        ('[model."m"]\ninput_mtok = "1"\n', "unknown key `model`; did you mean `models`?"),
    ],
)
def test_prices_file_errors_name_the_key(cli: Cli, tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "bad.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_prices(path)
    assert message in caught.value.message
    result = cli("prices", "gpt-4o-mini", "--prices", path)
    assert result.exit_code == 1 and result.stdout == "" and message in result.stderr


def _rows(listing: dict[str, Any], field: str, context: str) -> list[dict[str, Any]]:
    return [r for r in listing["rates"] if r["field"] == field and r["context"] == context]


def test_prices_command_shows_each_price_its_source_and_date(cli: Cli, tmp_path: Path) -> None:
    mini = cli.json("prices", "gpt-4o-mini")
    (standard,) = _rows(mini, "input_mtok", "standard")
    assert (standard["rate"], standard["from"], standard["until"]) == ("0.15", None, None)
    # the source names the installed genai-prices release (0.2.3 when this was written, 0.2.5 since)
    assert standard["source"].startswith(f"genai-prices {importlib.metadata.version('genai-prices')}: openai/gpt-4o-mini")
    batch = _rows(mini, "input_mtok", "batch")  # the catalog's Batch rate at every date (genai-prices: from 2026-10-14)
    assert [(r["rate"], r["from"], r["as_of"]) for r in batch] == [("0.075", None, "2025-07-01")]
    assert "catalog [[inference]]" in batch[0]["source"]

    ft = cli.json("prices", "ft:gpt-4.1-mini-2025-04-14")
    (rate,) = _rows(ft, "input_mtok", "standard")
    assert rate["rate"] == "0.80" and "catalog [[inference]]" in rate["source"]
    assert (rate["source_date"], rate["read_on"]) == ("undated", "2026-11-29")  # a stored copy without a date
    assert (batch[0]["source_date"], batch[0]["read_on"]) == ("2025-07-01", "2026-11-29")
    assert standard["source_date"] is None  # genai-prices: `from` and `as_of` say when a price starts
    terms = {t["term"]: t for t in ft["terms"]}
    assert terms["training_mtok"]["value"] == "5.00" and terms["serving_until"]["value"] == "2027-01-14"
    assert "deprecations" in terms["serving_until"]["source"]

    override = write(tmp_path / "p.toml", '[models."ft:gpt-4o-mini"]\ncache_read_mtok = "0.12"\n')
    mine = cli.json("prices", "ft:gpt-4o-mini", "--prices", override)
    (cached,) = _rows(mine, "cache_read_mtok", "standard")
    assert cached["rate"] == "0.12" and str(override) in cached["source"] and mine["overrides"] == str(override)

    text = cli("prices", "ft:gpt-4o-mini-2024-07-18")
    assert text.exit_code == 0 and "training_mtok" in text.stdout and "3.00" in text.stdout

    unknown = cli("prices", "gpt-4o-mnii")
    assert unknown.exit_code == 0 and "no price for gpt-4o-mnii" in unknown.stderr


def test_prices_of_logged_models(cli: Cli, db: Path, tmp_path: Path) -> None:
    ingest_csv(
        cli,
        db,
        tmp_path / "calls.csv",
        {
            "ts": [epoch(datetime(2026, 3, 1, tzinfo=UTC))] * 2,
            "input_tokens": [10, 20],
            "output_tokens": [1, 2],
            "call_id": ["a", "b"],
        },
        model="gpt-4.1-2025-04-14",
        provider="openai",
    )
    listing = cli.json("prices", "--db", db)
    assert {r["model"] for r in listing["rates"]} == {"gpt-4.1-2025-04-14"}
    (row,) = _rows(listing, "output_mtok", "standard")
    assert row["rate"] == "8" and row["provider"] == "openai"
    assert listing["unpriced"] == []
