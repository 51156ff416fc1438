"""Number, money and date formatting for the report page and its verdict sentences.

Pure functions on the plain values of the report data (ints, floats, decimal strings, ISO dates).
Money arrives as decimal strings and is rounded only here, for display.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

DASH = "—"
CENT = Decimal("0.01")


def usd(value: str | Decimal | int | float | None) -> str:
    """Dollars with 2 decimals: `$1,234.56`, `-$12.00`, `$0.00`. Amounts smaller than a cent per call
    are shown with `per_thousand_calls`, prices with `rate`."""
    if value is None:
        return DASH
    rounded = to_decimal(value).quantize(CENT, rounding=ROUND_HALF_EVEN)
    sign = "-" if rounded < 0 else ""
    return f"{sign}${abs(rounded):,.2f}"


def signed_usd(value: str | Decimal | int | float | None) -> str:
    """`+$12.34` / `-$1.60`: a net, with its sign either way."""
    text = usd(value)
    return text if text.startswith(("-", DASH)) else f"+{text}"


def per_thousand_calls(value_per_call: str | Decimal | int | float | None) -> str:
    """A per-call amount (often below a cent) as dollars per 1,000 calls: `$0.27 per 1,000 calls`."""
    if value_per_call is None:
        return DASH
    return f"{usd(to_decimal(value_per_call) * 1000)} per 1,000 calls"


def rate(value: str | Decimal | int | float | None, unit: str = "per 1M tokens") -> str:
    """A price with its unit beside it, at least 2 decimals and every significant one:
    `$0.075 per 1M tokens`, `$0.30 per 1M tokens`, `$1.70 per hour`."""
    if value is None:
        return DASH
    amount = to_decimal(value)
    exponent = amount.normalize().as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.{places}f}" + (f" {unit}" if unit else "")


_AMOUNT = re.compile(r"(-?)\$(-?)([0-9][0-9,]*(?:\.[0-9]+)?)( saved per call| per call)?")


def money_in_text(text: str) -> str:
    """Amounts of money inside a sentence written for people: `$-0.000116979939 saved per call` ->
    `-$0.12 saved per 1,000 calls`, `-$1.595700225` -> `-$1.60`."""

    def one(match: re.Match[str]) -> str:
        amount = Decimal(match.group(3).replace(",", ""))
        if match.group(1) or match.group(2):
            amount = -amount
        if match.group(4):
            return f"{usd(amount * 1000)}{match.group(4).replace('per call', 'per 1,000 calls')}"
        return usd(amount)

    return _AMOUNT.sub(one, text)


def to_decimal(value: str | Decimal | int | float) -> Decimal:
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None


def count(value: int | float | None) -> str:
    """Thousands separators; floats keep one decimal unless whole."""
    if value is None:
        return DASH
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def tokens(value: int | float | None) -> str:
    """Token counts and percentiles: whole numbers with separators (interpolated percentiles rounded)."""
    if value is None:
        return DASH
    return f"{round(value):,}"


def percent(value: float | None, places: int = 1) -> str:
    if value is None:
        return DASH
    return f"{value * 100:,.{places}f}%"


def ms(value: float | None) -> str:
    if value is None:
        return DASH
    return f"{value:,.0f} ms" if abs(value) >= 10 else f"{value:,.1f} ms"


def date(value: str | None) -> str:
    """Dates are stored as ISO `YYYY-MM-DD` already; only None needs a placeholder."""
    return value if value else DASH
