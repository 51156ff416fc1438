"""The catalog's and the --prices FILE's vocabulary: which fields exist, what kind of value each holds,
and the parsers that check a value and name the file, entry and key of a bad one. No prices here.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ftaudit.errors import ConfigError

# Per-token rates a call can use, in genai-prices' vocabulary (USD per 1M tokens; requests per 1K).
RATE_FIELDS = ("input_mtok", "cache_read_mtok", "cache_write_mtok", "cache_write_1h_mtok", "output_mtok",
               "output_reasoning_mtok", "requests_kcount")
MONEY_TERMS = ("training_mtok", "training_per_hour", "min_job_usd", "max_job_usd", "hosting_per_hour",
               "storage_per_month")
INT_TERMS = ("max_tokens_per_example", "cache_min_tokens", "cache_step_tokens")
NUMBER_TERMS = ("replica_tokens_per_s",)
BOOL_TERMS = ("hosting_required", "per_replica")
DATE_TERMS = ("no_new_training_after", "serving_until")
TERMS = MONEY_TERMS + INT_TERMS + NUMBER_TERMS + BOOL_TERMS + DATE_TERMS
FactValue = Decimal | int | bool | date


def decimal_value(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ConfigError(f"{where} must be a number or a decimal string, got {value!r}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ConfigError(f"{where} must be a number or a decimal string, got {value!r}") from None
    if not number.is_finite() or number < 0:
        raise ConfigError(f"{where} must be a non-negative number, got {value!r}")
    if number != number.quantize(Decimal("1e-12")):
        raise ConfigError(f"{where} has more than 12 decimal places: {value!r}")
    return number


def parse_date(value: Any) -> date:
    """A TOML date, datetime or ISO text as a date; ValueError otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def date_value(value: Any, where: str) -> date:
    try:
        return parse_date(value)
    except ValueError:
        raise ConfigError(f"{where} must be a date YYYY-MM-DD, got {value!r}") from None


def whole(value: Any, where: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ConfigError(f"{where} must be a whole number, got {value!r}")
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{where} must be a whole number, got {value!r}") from None
    if number < minimum:
        raise ConfigError(f"{where} must be at least {minimum}, got {value!r}")
    return number


def unknown_keys(table: Mapping[str, Any], allowed: Iterable[str], where: str, hint: str) -> None:
    allowed = tuple(allowed)
    for key in table:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            guess = f"; did you mean `{close[0]}`?" if close else ""
            raise ConfigError(f"{where}: unknown key `{key}`{guess}", hint=hint)


def rates(table: Mapping[str, Any], where: str) -> dict[str, Decimal]:
    return {k: decimal_value(v, f"{where}: `{k}`") for k, v in table.items() if k in RATE_FIELDS}


def terms(table: Mapping[str, Any], where: str) -> dict[str, FactValue]:
    out: dict[str, FactValue] = {}
    for key, value in table.items():
        if key in MONEY_TERMS:
            out[key] = decimal_value(value, f"{where}: `{key}`")
        elif key in INT_TERMS:
            out[key] = whole(value, f"{where}: `{key}`", 1)
        elif key in NUMBER_TERMS:
            out[key] = decimal_value(value, f"{where}: `{key}`")
            if out[key] == 0:
                raise ConfigError(f"{where}: `{key}` must be above 0, got {value!r}")
        elif key in BOOL_TERMS:
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: `{key}` must be true or false, got {value!r}")
            out[key] = value
        elif key in DATE_TERMS:
            out[key] = date_value(value, f"{where}: `{key}`")
    return out


def sub_table(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where} must be a table")
    return value
