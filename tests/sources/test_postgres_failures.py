"""What goes wrong with a Postgres source, on a real server: the connection ended by the server mid-read
(pg_terminate_backend from another session) stores nothing of the batch being read and a rerun
completes; a wrong or missing password is one clear line and exit 1; a password in the URL is refused
and never printed; a missing table names --table; without psycopg the error names the extra.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ftaudit.errors import FtauditError
from ftaudit.ingest.options import FileResult, IngestOptions
from ftaudit.ingest.sources import postgres
from ftaudit.store.connection import open_store
from tests.conftest import ROOT, Cli, query
from tests.sources.conftest import SpendLogs, expected, spend_rows, stored_totals
from tests.sources.postgres_server import PASSWORD

LOCK = 'LOCK TABLE "LiteLLM_SpendLogs" IN ACCESS EXCLUSIVE MODE'


def terminate_when_blocked(spend_logs: SpendLogs, timeout_s: float = 30.0) -> int:
    """Wait until ftaudit's session is inside its COPY, blocked on the table lock, then end it from
    another session as an operator would (pg_terminate_backend). The PID it ended, or 0 when it never
    blocked (its sessions are ended all the same, so the test fails instead of hanging)."""
    deadline = time.monotonic() + timeout_s
    ftaudit_sessions = "SELECT pid FROM pg_stat_activity WHERE application_name = 'ftaudit'"
    with spend_logs.admin() as conn:
        while time.monotonic() < deadline:
            row = conn.execute(
                ftaudit_sessions + " AND wait_event_type = 'Lock' AND position('copy (' in lower(query)) > 0"
            ).fetchone()
            if row:
                conn.execute("SELECT pg_terminate_backend(%s)", (row[0],))
                return int(row[0])
            time.sleep(0.05)
        conn.execute(f"SELECT pg_terminate_backend(pid) FROM ({ftaudit_sessions}) s")
    return 0


def test_connection_ended_mid_read_keeps_earlier_batches_and_a_rerun_completes(db: Path, spend_logs: SpendLogs) -> None:
    rows = spend_rows(1, 30)
    spend_logs.insert(rows)
    locker = spend_logs.admin()
    ended: list[int] = []

    def after_batch(so_far: FileResult) -> None:
        if so_far.rows_read == 10:  # the first batch is stored: block the next COPY, then end its session
            locker.execute("BEGIN")
            locker.execute(LOCK)
            threading.Thread(target=lambda: ended.append(terminate_when_blocked(spend_logs)), daemon=True).start()

    with open_store(db) as store, pytest.raises(FtauditError) as raised:
        postgres.ingest_postgres(store, spend_logs.url, IngestOptions(), batch_rows=10, after_batch=after_batch)
    locker.execute("ROLLBACK")
    locker.close()
    assert ended and ended[0], "ftaudit's COPY never waited on the lock"
    assert "lost the connection to" in raised.value.message
    assert "terminating connection due to administrator command" in raised.value.message
    assert "10 rows before it were" in (raised.value.hint or "")
    # the first batch whole, nothing of the second: calls, ledger and mark agree
    assert stored_totals(db) == expected(rows[:10])
    assert query(db, "select sum(rows_read)::bigint from ingested_files") == [(10,)]
    assert query(db, "select last_request_id, rows_read from source_marks") == [("chatcmpl-00010", 10)]

    with open_store(db) as store:
        again = postgres.ingest_postgres(store, spend_logs.url, IngestOptions(), batch_rows=10)
    assert (again.rows_read, again.rows_duplicate) == (20, 0)
    assert stored_totals(db) == expected(rows)


def _ftaudit(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ftaudit", *args], cwd=ROOT, env={**os.environ, **env},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def test_cli_connection_ended_mid_read_is_one_error_and_stores_nothing(db: Path, spend_logs: SpendLogs) -> None:
    rows = spend_rows(1, 12)
    spend_logs.insert(rows)
    with spend_logs.admin() as locker:
        locker.execute("BEGIN")
        locker.execute(LOCK)
        run = _ftaudit("ingest", spend_logs.url, "--db", str(db), env={"PGPASSWORD": PASSWORD})
        assert terminate_when_blocked(spend_logs), "ftaudit's COPY never waited on the lock"
        stdout, stderr = run.communicate(timeout=120)
        locker.execute("ROLLBACK")
    assert run.returncode == 1, stderr
    assert stdout == ""
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("ftaudit: error:")]
    assert errors == [f"ftaudit: error: lost the connection to {spend_logs.url}?table=LiteLLM_SpendLogs while reading: "
                      "terminating connection due to administrator command"]
    assert query(db, "select (select count(*) from calls), (select count(*) from ingested_files), "
                     "(select count(*) from source_marks)") == [(0, 0, 0)]

    rerun = _ftaudit("ingest", spend_logs.url, "--db", str(db), env={"PGPASSWORD": PASSWORD})
    _, stderr = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, stderr
    assert stored_totals(db) == expected(rows)


@pytest.mark.parametrize("password", ["not-the-password", ""], ids=["wrong", "none"])
def test_a_wrong_or_missing_password_is_one_clear_line(
    cli: Cli, db: Path, spend_logs: SpendLogs, monkeypatch: pytest.MonkeyPatch, password: str
) -> None:
    monkeypatch.setenv("PGPASSWORD", password)
    monkeypatch.setenv("PGPASSFILE", str(db.parent / "no-pgpass"))
    result = cli("ingest", spend_logs.url, "--db", db)
    assert result.exit_code == 1
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"ftaudit: error: cannot connect to {spend_logs.url}?table=LiteLLM_SpendLogs: ")
    assert ("password authentication failed" if password else "no password supplied") in line
    assert "PGPASSWORD or ~/.pgpass" in line
    assert PASSWORD not in line and (not password or password not in line)


def test_the_password_comes_from_pgpass(cli: Cli, db: Path, spend_logs: SpendLogs, monkeypatch: pytest.MonkeyPatch) -> None:
    pgpass = db.parent / "pgpass"
    pgpass.write_text(f"127.0.0.1:{spend_logs.server.port}:*:postgres:{PASSWORD}\n")
    pgpass.chmod(0o600)
    monkeypatch.delenv("PGPASSWORD")
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    spend_logs.insert(spend_rows(1, 3))
    assert cli.json("ingest", spend_logs.url, "--db", db)["rows_read"] == 3


@pytest.mark.parametrize("secret_at", ["user", "parameter"])
def test_a_password_in_the_url_is_refused_and_never_printed(cli: Cli, db: Path, spend_logs: SpendLogs, secret_at: str) -> None:
    secret = "hunter2-in-the-url"
    server = spend_logs.server
    url = (f"postgresql://postgres:{secret}@127.0.0.1:{server.port}/{spend_logs.database}" if secret_at == "user"
           else f"postgres://postgres@127.0.0.1:{server.port}/{spend_logs.database}?password={secret}")
    spend_logs.insert(spend_rows(1, 3))
    result = cli("ingest", url, "--db", db)
    assert result.exit_code == 2
    assert "has a password in it" in result.stderr
    assert "PGPASSWORD or ~/.pgpass" in result.stderr
    assert secret not in result.stderr + result.stdout


def test_a_missing_table_names_the_flag_and_schema_names_work(cli: Cli, db: Path, spend_logs: SpendLogs) -> None:
    result = cli("ingest", spend_logs.url, "--db", db, "--table", "LiteLLM_SpendLog")
    assert result.exit_code == 1
    assert "no table or view LiteLLM_SpendLog" in result.stderr and "--table" in result.stderr
    spend_logs.insert(spend_rows(1, 4))
    over_socket = spend_logs.server.url(spend_logs.database, tcp=False)
    summary = cli.json("ingest", over_socket, "--db", db, "--table", "public.LiteLLM_SpendLogs")
    assert summary["rows_read"] == 4


def test_without_psycopg_the_error_names_the_extra(db: Path, spend_logs: SpendLogs) -> None:
    blocked = "import sys; sys.modules['psycopg'] = None; sys.argv = ['ftaudit', *sys.argv[1:]]; " \
              "from ftaudit.cli import main; main()"
    run = subprocess.run(
        [sys.executable, "-c", blocked, "ingest", spend_logs.url, "--db", str(db)],
        cwd=ROOT, env={**os.environ, "PGPASSWORD": PASSWORD}, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 1
    assert "needs psycopg" in run.stderr and "pip install 'ftaudit[postgres]'" in run.stderr
    assert "Traceback" not in run.stderr


def test_table_without_a_database_source_is_a_usage_error(cli: Cli, db: Path, tmp_path: Path) -> None:
    log = tmp_path / "empty.jsonl"
    log.write_text("")
    result = cli("ingest", log, "--db", db, "--table", "LiteLLM_SpendLogs")
    assert result.exit_code == 2
    assert "--table applies to a postgresql:// source only" in result.stderr
