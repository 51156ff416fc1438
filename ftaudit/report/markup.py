"""HTML building blocks of the report page: escaping, table cells and tables.

Every value goes through `e` (html.escape, quotes included) or a formatter before it meets markup;
only the markup written in this package is trusted.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

Cell = tuple[str, bool]  # (HTML, numeric?)


def e(value: object) -> str:
    """Escaped text for an element or a quoted attribute (None is empty)."""
    return html.escape("" if value is None else str(value), quote=True)


def code(value: object) -> str:
    return f"<code>{e(value)}</code>"


def table(headers: Sequence[tuple[str, bool]], rows: Iterable[Sequence[Cell]], caption: str | None = None) -> str:
    head = "".join(f'<th{" class=num" if num else ""} scope="col">{e(h)}</th>' for h, num in headers)
    body = "".join(
        "<tr>" + "".join(f"<td{' class=num' if num else ''}>{cell}</td>" for cell, num in row) + "</tr>" for row in rows
    )
    cap = f"<caption>{e(caption)}</caption>" if caption else ""
    return f'<div class="table"><table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def t(value: object) -> Cell:
    """A text cell."""
    return (e(value), False)


def n(text: str) -> Cell:
    """A numeric (right-aligned) cell of already formatted text."""
    return (e(text), True)
