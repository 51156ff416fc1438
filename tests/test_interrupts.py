"""Ctrl-C and a full disk (issue 14 items 10 and 11), with a real `ftaudit` process: SIGINT stops the
run at once wherever it lands (a DuckDB query of the fast path, the sniffing of a file while planning),
rolls back the file in progress, says "interrupted" and exits 130; a full disk says so."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import DATA, ROOT, query
from tests.test_reliability import GENERATE, ftaudit

pytestmark = pytest.mark.slow


def _chat(i: int, content: str) -> dict[str, object]:
    return {"id": f"doc-{i}", "object": "chat.completion", "created": 1760000000 + i, "model": "m",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 1}}


def _start(*args: str | Path) -> subprocess.Popen[str]:
    # A shell or CI runner may start us with SIGINT ignored, which Python keeps: give the child the default.
    return subprocess.Popen(ftaudit(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _wait_until_open(proc: subprocess.Popen[str], path: Path, timeout_s: float = 60.0) -> None:
    """Until the process holds `path` open (it is reading that file), seen in /proc/PID/fd."""
    fds = Path(f"/proc/{proc.pid}/fd")
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if any(os.readlink(fd) == str(path) for fd in fds.iterdir()):
                return
        except OSError:  # an fd closed while listing
            pass
        time.sleep(0.002)
    pytest.fail(f"ftaudit never opened {path} (exit {proc.poll()})")


def _interrupt(proc: subprocess.Popen[str]) -> tuple[int, str]:
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    return proc.returncode, stderr


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see which file is being read")
def test_ctrl_c_in_the_fast_path_rolls_back_the_file_and_exits_130(tmp_path: Path) -> None:
    """1M clean lines: the fast path's DuckDB query is interrupted. It used to be taken for a parse failure:
    the file was read again the slow way and the run ended with exit 0."""
    log = tmp_path / "big.jsonl"
    duckdb.connect().execute(GENERATE.replace("{path}", str(log)), {"file": 0, "n": 1_000_000})
    small = tmp_path / "a_small.jsonl"
    shutil.copy(DATA / "openai" / "chat_responses.jsonl", small)
    db = tmp_path / "x.duckdb"
    proc = _start("ingest", small, log, "--db", db)
    _wait_until_open(proc, log)
    time.sleep(0.3)  # into the DuckDB read of the file
    code, stderr = _interrupt(proc)
    assert code == 130, stderr
    assert stderr.strip().splitlines()[-1].startswith("ftaudit: interrupted"), stderr
    assert "Traceback" not in stderr
    # the first file was committed before; nothing of the interrupted one is stored
    assert query(db, "select path, rows_accepted from ingested_files") == [(str(small), 20)]
    assert query(db, "select count(*) from calls") == [(20,)]
    done = subprocess.run(ftaudit("ingest", small, log, "--db", db, "--json"), capture_output=True, text=True, check=True)
    assert json.loads(done.stdout)["rows_accepted"] == 1_000_000


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see which file is being read")
def test_ctrl_c_while_planning_stops_instead_of_skipping_the_file(tmp_path: Path) -> None:
    """A 40 MB JSON document on one line is sniffed by DuckDB while the run is planned. Interrupted there,
    the file used to be skipped as "not a readable log file" (in a folder) or refused as "not a text log file"."""
    folder = tmp_path / "logs"
    folder.mkdir()
    document = folder / "export.json"
    document.write_text(json.dumps([_chat(i, "x" * 1_700_000) for i in range(24)]))
    db = tmp_path / "x.duckdb"
    for target in (folder, document):
        proc = _start("ingest", target, "--db", db)
        _wait_until_open(proc, document)
        time.sleep(0.1)
        code, stderr = _interrupt(proc)
        assert code == 130, (target, stderr)
        assert "skipped" not in stderr and "not a text log file" not in stderr, stderr
        assert stderr.strip().splitlines()[-1].startswith("ftaudit: interrupted"), stderr
        if db.exists():
            assert query(db, "select count(*) from ingested_files") == [(0,)]


def test_a_full_disk_says_no_space_left_on_device(tmp_path: Path) -> None:
    """The database on a 3 MB tmpfs (mounted in a user namespace), 20,000 calls to store: the commit's write
    of the WAL fails, DuckDB aborts the transaction, and the error used to be the rollback's "cannot rollback -
    no transaction is active". It names the file and the disk; the database is still whole and empty."""
    if not shutil.which("unshare") or subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode:
        pytest.skip("no user namespaces to mount a small tmpfs in")
    log = tmp_path / "calls.jsonl"
    duckdb.connect().execute(GENERATE.replace("{path}", str(log)), {"file": 0, "n": 20_000})
    disk = tmp_path / "disk"
    disk.mkdir()
    db = disk / "x.duckdb"
    count = ("import duckdb, sys; "
             "print(duckdb.connect(sys.argv[1], read_only=True).execute('select count(*) from calls').fetchall()[0][0])")
    script = (
        f"mount -t tmpfs -o size=3m tmpfs {disk} && "
        f"{sys.executable} -m ftaudit ingest {log} --db {db}; echo exit=$?; {sys.executable} -c \"{count}\" {db}"
    )
    done = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, cwd=ROOT)
    lines = done.stderr.strip().splitlines()
    assert lines[0].startswith(f"ftaudit: error: {log}: no space left on device"), done.stderr
    assert lines[1].startswith("  hint: free some disk space"), done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.split() == ["exit=1", "0"]  # the database opens and holds nothing of the file
