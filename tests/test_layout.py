"""The layout shows the pipeline: one package per stage, imports that point one way, small modules.

Dependencies point down the pipeline (`cli -> audit, demo -> report -> replay -> prices, stats -> store`,
and `ingest -> store`); nothing imports `cli`. A module's imports of other ftaudit modules are read from
its source (including imports inside functions and under TYPE_CHECKING), so a lazy import that goes the
wrong way fails here too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ftaudit"

# stage -> the stages it may import (itself always allowed). `base` is errors.py and toml_file.py.
ALLOWED: dict[str, set[str]] = {
    "base": set(),
    "store": {"base"},
    "ingest": {"base", "store"},
    "stats": {"base", "store"},
    "prices": {"base", "store"},
    "replay": {"base", "store", "stats", "prices"},
    "report": {"base", "store", "stats", "prices", "replay"},
    "audit": {"base", "store", "ingest", "stats", "prices", "replay", "report"},
    "demo": {"base", "store", "ingest", "stats", "prices", "replay", "report"},
    "cli": {"base", "store", "ingest", "stats", "prices", "replay", "report", "audit", "demo", "api"},
    "api": {"base", "store", "ingest", "stats", "prices", "replay"},  # ftaudit/__init__.py: the library API
    "main": {"cli"},  # ftaudit/__main__.py
}


def stage_of(module: str) -> str:
    """`ftaudit.replay.run` -> `replay`; `ftaudit.errors` -> `base`; `ftaudit` -> `api`."""
    parts = module.split(".")
    if parts == ["ftaudit"]:
        return "api"
    top = parts[1]
    if top in ("errors", "toml_file"):
        return "base"
    if top == "__main__":
        return "main"
    assert top in ALLOWED, f"{module}: a module outside the stage packages; add it to the layout test"
    return top


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> set[str]:
    """Every ftaudit module `path` imports; `from ftaudit import x` names `ftaudit.x` when x is a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == "ftaudit"}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "ftaudit" and node.level == 0:
            if node.module == "ftaudit":
                for alias in node.names:
                    sub = PACKAGE / alias.name
                    if sub.is_dir() or sub.with_suffix(".py").is_file():
                        found.add(f"ftaudit.{alias.name}")
                    elif not alias.name.startswith("__"):  # `__version__` is a constant, not the API
                        found.add("ftaudit")
            else:
                found.add(node.module)
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down_the_pipeline(path: Path) -> None:
    own = stage_of(module_name(path))
    wrong = sorted(
        imported
        for imported in imported_modules(path)
        if (other := stage_of(imported)) != own and other not in ALLOWED[own]
    )
    assert wrong == [], f"{own} may import only {sorted(ALLOWED[own])}"


def test_the_checker_sees_a_wrong_way_import(tmp_path: Path) -> None:
    """The test above can fail: an import of the CLI from the store is found, inside a function too."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from ftaudit.cli import app\n    import ftaudit.report.page\n")
    assert imported_modules(bad) == {"ftaudit.cli", "ftaudit.report.page"}
    assert "cli" not in ALLOWED["store"] and "report" not in ALLOWED["replay"]


def test_nothing_but_main_imports_the_cli() -> None:
    importers = sorted(
        module_name(p)
        for p in MODULES
        if stage_of(module_name(p)) not in ("cli", "main") and any(stage_of(m) == "cli" for m in imported_modules(p))
    )
    assert importers == []


def test_each_stage_package_says_what_it_takes_and_gives() -> None:
    for stage in ("store", "ingest", "stats", "prices", "replay", "report", "cli"):
        doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text()))
        assert doc and len(doc.split()) >= 12, f"ftaudit/{stage}/__init__.py needs a docstring on what the stage takes and gives"


def test_modules_and_folders_stay_small() -> None:
    """About 300 lines a module and 15 files a folder (code and queries), with a little slack."""
    long_modules = {str(p.relative_to(ROOT)): n for p in MODULES if (n := len(p.read_text().splitlines())) > 330}
    assert long_modules == {}
    crowded = {
        str(d.relative_to(ROOT)): n
        for top in (PACKAGE, ROOT / "queries")
        for d in [top, *(p for p in top.rglob("*") if p.is_dir() and p.name != "__pycache__")]
        if (n := sum(1 for f in d.iterdir() if f.is_file() and f.suffix in (".py", ".sql", ".toml"))) > 17
    }
    assert crowded == {}
