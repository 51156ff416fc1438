"""Number, money and date formatting for the report page and its verdict sentences.

Pure functions on the plain values of the report data (ints, floats, decimal strings, ISO dates).
Money arrives as decimal strings and is rounded only here, for display.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

DASH = "—"


def usd(value: str | Decimal | int | float | None, places: int | None = None) -> str:
    """`$1,234.56`, `-$12.00`, `$0.000270` (small amounts keep 3 significant figures)."""
    if value is None:
        return DASH
    amount = to_decimal(value)
    if places is None:
        places = 2 if abs(amount) >= 1 or amount == 0 else _small_places(amount)
    quantum = Decimal(1).scaleb(-places)
    rounded = amount.quantize(quantum, rounding=ROUND_HALF_EVEN)
    sign = "-" if rounded < 0 else ""
    return f"{sign}${abs(rounded):,.{places}f}"


def _small_places(amount: Decimal) -> int:
    """Enough decimals to show 3 significant figures of an amount below $1 (at most 8)."""
    exponent = abs(amount).adjusted()  # -4 for 0.000270
    return min(max(2, -exponent + 2), 8)


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
