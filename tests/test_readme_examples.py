"""Every example of the README runs as written after the quick start (issue 14 item 19): the command
blocks (```bash) and the library snippet (```python), in README order, in a fresh copy of the repository.

Adapted, and only these: the quick start's two install lines. `python3 -m venv .venv && pip install -e`
is this test's own environment (a `.venv` link to it in the copy, so `source .venv/bin/activate` runs as
written), so of line 1 only `.venv/bin/ftaudit demo` runs; line 2 runs the whole test suite, which is
what is running this test. Not run: the ```toml block (a prices file, checked equal to
prices.example.toml instead), ```cron and ```yaml (a crontab line and a CI workflow, not shell), and the
command reference (```text, checked by test_readme.py), and ```console blocks: commands that need what a
fresh copy does not have (a Postgres server, a Spark cluster or object storage, another package).
The public-traces block needs ../shared/real_traces
beside the copy (linked when present, else that block is skipped and the test says so).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REAL_TRACES, ROOT

pytestmark = pytest.mark.slow

README = ROOT / "README.md"
# the quick start's install prefix (the test command installs more extras than the demo's)
INSTALL = re.compile(r"^python3 -m venv \.venv && \.venv/bin/pip install -q -e '\.\[[\w,]+\]' && ")


def blocks() -> list[tuple[int, str, str]]:
    """(line, language, text) of every fenced block before the command reference."""
    text = README.read_text(encoding="utf-8").split("<!-- cli-reference:start -->")[0]
    found = []
    for match in re.finditer(r"^```(\w+)\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL):
        found.append((text[: match.start()].count("\n") + 1, match.group(1), match.group(2)))
    return found


def script() -> tuple[str, list[str]]:
    """One bash script of every runnable block, and the blocks left out with why."""
    parts, left_out = ["set -euo pipefail"], []
    for line, language, text in blocks():
        where = f"README.md line {line}"
        if language == "bash" and any(INSTALL.match(c) for c in text.splitlines()):  # the quick start
            commands = [c for c in text.splitlines() if INSTALL.match(c)]
            assert len(commands) == 2 and commands[0].endswith("ftaudit demo") and commands[1].endswith("pytest")
            parts += [f"echo '>>> {where}' >&2", INSTALL.sub("", commands[0])]
            left_out.append(f"{where}: the two install commands and the test suite")
        elif language == "bash" and "../shared/real_traces" in text and not REAL_TRACES.is_dir():
            left_out.append(f"{where}: needs {REAL_TRACES}")
        elif language == "bash" and "--engine spark" in text:  # pyspark, Java and s3a:// storage: outside services
            left_out.append(f"{where}: needs Spark (pyspark, Java, object storage)")
        elif language == "bash":
            parts += [f"echo '>>> {where}' >&2", text]
        elif language == "python":
            parts += [f"echo '>>> {where}' >&2", f"python - <<'PYTHON'\n{text}PYTHON"]
        else:
            left_out.append(f"{where}: ```{language}")
    return "\n".join(parts) + "\n", left_out


def test_readme_examples_run_as_written_after_the_quick_start(tmp_path: Path) -> None:
    copy = tmp_path / "ftaudit"
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True) if shutil.which("git") else None
    if listing is None or listing.returncode:
        pytest.skip("not a git checkout: the files a fresh clone has are not known")
    tracked = listing.stdout.decode()
    for name in filter(None, tracked.split("\0")):
        if (ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    (copy / ".venv").symlink_to(Path(sys.prefix))
    if REAL_TRACES.is_dir():
        (tmp_path / "shared").symlink_to(REAL_TRACES.parent)
    text, left_out = script()
    consoles = sum("```console" in why for why in left_out)  # Postgres, Spark replay and ingest, a cluster
    assert len(left_out) - consoles <= 5 and consoles <= 4, left_out  # install lines, toml, cron, yaml (+ traces)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FTAUDIT_", "VIRTUAL_ENV"))}
    done = subprocess.run(["bash", "-c", text], cwd=copy, env=env, capture_output=True, text=True)
    last_block = [line for line in done.stderr.splitlines() if line.startswith(">>> ")][-1:]
    assert done.returncode == 0, f"{last_block}: {done.stderr[-3000:]}"
    assert "Traceback" not in done.stderr
    assert (copy / "reports" / "support.html").is_file()  # the report example wrote its page
    assert not (copy / "ftaudit.duckdb").exists()  # every example used the demo's database


def test_the_prices_example_is_the_file_the_examples_pass() -> None:
    (toml,) = [text for _, language, text in blocks() if language == "toml"]
    shipped = (ROOT / "prices.example.toml").read_text(encoding="utf-8")
    assert shipped.split("\n", 1)[1] == toml
