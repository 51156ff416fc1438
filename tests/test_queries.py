"""Every SQL file in queries/ is used, every query name used exists, and each file says what it returns."""

from __future__ import annotations

import re
from pathlib import Path

from ftaudit.store import queries

ROOT = Path(__file__).resolve().parent.parent
PY = "\n".join(p.read_text() for p in (ROOT / "ftaudit").rglob("*.py"))
# a query name appears in Python as a string literal: "name" or 'name'
USED = set(re.findall(r"""["']([a-z0-9_/]+)["']""", PY))


def test_every_query_file_is_used() -> None:
    # macros*.sql are all created on each connection (store.connection.create_macros), by prefix
    names = [n for n in queries.names() if not n.startswith(("migrations/", "macros"))]
    unused = [n for n in names if n not in USED]
    assert unused == []


def test_every_named_query_exists() -> None:
    calls = re.findall(r"""\.(?:frame|rows|run|scalar)\(\s*["']([a-z0-9_/]+)["']""", PY)
    calls += re.findall(r"""\.create_temp_table\(\s*["'][a-z_]+["']\s*,\s*["']([a-z0-9_/]+)["']""", PY)
    missing = sorted({n for n in calls if n not in queries.paths()})
    assert missing == []


def test_each_query_opens_with_a_comment_naming_it() -> None:
    for name in queries.names():
        first = queries.sql(name).lstrip().splitlines()[0]
        assert first.startswith("--"), name


def test_queries_bind_values_never_format_them() -> None:
    # Python never builds SQL with f-strings or % formatting, except the fixed temp-table wrapper in store/connection.py
    offenders = []
    for path in (ROOT / "ftaudit").rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"""\.(execute|sql)\(\s*f["']""", line) and not (
                path.name == "connection.py" and "temp table {table}" in line
            ):
                offenders.append(f"{path.name}:{number}")
    assert offenders == []
