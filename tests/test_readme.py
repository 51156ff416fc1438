"""The README stays true: its command reference is `--help` of every command (regenerate with
`UPDATE_README=1 python -m pytest tests/test_readme.py`), and its test command is the one CI runs."""

from __future__ import annotations

import os
import re

from typer.testing import CliRunner

from ftaudit.cli import app
from tests.conftest import ROOT

README = ROOT / "README.md"
START, END = "<!-- cli-reference:start -->", "<!-- cli-reference:end -->"


def help_text(*command: str) -> str:
    result = CliRunner().invoke(app, [*command, "--help"], prog_name="ftaudit", env={"COLUMNS": "100", "TERM": "dumb"})
    assert result.exit_code == 0, result.output
    return result.stdout.rstrip()


def commands() -> list[list[str]]:
    names = re.findall(r"^  ([a-z][a-z-]+)\s", help_text().split("Commands:")[1], flags=re.MULTILINE)
    out = [[name] for name in names]
    if "workloads" in names:
        out.append(["workloads", "rename"])
    return out


def reference() -> str:
    parts = [f"{START}\n", "```text", help_text(), "```"]
    for command in commands():
        parts += ["", f"#### `ftaudit {' '.join(command)}`", "", "```text", help_text(*command), "```"]
    return "\n".join(parts) + f"\n{END}"


def test_command_reference_is_current() -> None:
    text = README.read_text()
    current = text[text.index(START) : text.index(END) + len(END)]
    wanted = reference()
    if os.environ.get("UPDATE_README") == "1":
        README.write_text(text.replace(current, wanted))
        return
    assert current == wanted, "README command reference is stale: run UPDATE_README=1 python -m pytest tests/test_readme.py"


def test_ci_runs_the_readme_test_command() -> None:
    readme_commands = re.findall(r"^(python3 -m venv .*)$", README.read_text(), flags=re.MULTILINE)
    assert len(readme_commands) == 2
    demo, tests = readme_commands
    assert demo.endswith("ftaudit demo") and tests.endswith("python -m pytest")
    assert tests in (ROOT / ".ci" / "run").read_text().splitlines()
