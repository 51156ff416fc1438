"""A real, throw-away PostgreSQL server (version 15 where installed) for the Postgres source tests.

`initdb` into a fresh folder (password authentication, scram-sha-256, for the socket and for
127.0.0.1), `pg_ctl start` on a free port with its unix socket in the same folder, and a stop by the
postmaster's PID. initdb refuses to run as root: as root, the server runs as the `postgres` user the
Debian package creates (else `nobody`), in a folder that user owns.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def _bin_dir() -> Path:
    """$FTAUDIT_PG_BIN, else Debian's PostgreSQL 15, else the newest version installed."""
    if os.environ.get("FTAUDIT_PG_BIN"):
        return Path(os.environ["FTAUDIT_PG_BIN"])
    preferred = Path("/usr/lib/postgresql/15/bin")
    if preferred.is_dir():
        return preferred
    others = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    return others[-1] if others else preferred


BIN = _bin_dir()
PASSWORD = "s3cret-test-pw"


def binaries_missing() -> str | None:
    """Why a server cannot be started here, or None."""
    missing = [name for name in ("initdb", "pg_ctl", "postgres") if not (BIN / name).is_file()]
    return f"PostgreSQL binaries not found in {BIN}: {', '.join(missing)}" if missing else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _server_user() -> pwd.struct_passwd | None:
    """The user that runs initdb and the server when we are root; None when we are not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root and neither a postgres nor a nobody user exists")


class PostgresServer:
    """initdb + start on construction of `start()`; `stop()` ends the postmaster by its PID."""

    def __init__(self) -> None:
        # not pytest's tmp_path: its parent is private to root, and the server user must reach the folder
        self.root = Path(tempfile.mkdtemp(prefix="ftaudit-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.user = "postgres"
        self._runas = _server_user()
        self.pid: int | None = None

    def _cmd(self, *args: str) -> list[str]:
        return ["runuser", "-u", self._runas.pw_name, "--", *args] if self._runas else list(args)

    def start(self) -> PostgresServer:
        if self._runas:
            os.chown(self.root, self._runas.pw_uid, self._runas.pw_gid)
        pwfile = self.root / "pw"
        pwfile.write_text(PASSWORD + "\n")
        if self._runas:
            os.chown(pwfile, self._runas.pw_uid, self._runas.pw_gid)
        subprocess.run(
            self._cmd(str(BIN / "initdb"), "-D", str(self.data), "-U", self.user, f"--pwfile={pwfile}",
                      "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"),
            check=True, capture_output=True,
        )
        pwfile.unlink()
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            self._cmd(str(BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start"),
            check=True, capture_output=True,
        )
        self.pid = int((self.data / "postmaster.pid").read_text().splitlines()[0])
        return self

    def stop(self) -> None:
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGINT)  # fast shutdown: end sessions, then exit
                deadline = time.monotonic() + 30  # the postmaster removes its PID file last
                while (self.data / "postmaster.pid").exists() and time.monotonic() < deadline:
                    time.sleep(0.1)
            except ProcessLookupError:
                pass
            self.pid = None
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres", *, tcp: bool = True) -> str:
        """A URL without a password (the password comes from PGPASSWORD)."""
        if tcp:
            return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"
        return f"postgresql://{self.user}@/{database}?host={self.root}&port={self.port}"

    def admin_conninfo(self, database: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} user={self.user} password={PASSWORD} dbname={database}"


# LiteLLM_SpendLogs as LiteLLM's Prisma schema creates it (schema.prisma, model LiteLLM_SpendLogs:
# String -> TEXT, Float -> DOUBLE PRECISION, Int -> INTEGER, DateTime -> TIMESTAMP(3), Json -> JSONB),
# with its two startTime indexes. `{start_type}` lets a test try a timestamptz column too.
SPEND_LOGS_DDL = """
CREATE TABLE "LiteLLM_SpendLogs" (
    "request_id" TEXT NOT NULL,
    "call_type" TEXT NOT NULL,
    "api_key" TEXT NOT NULL DEFAULT '',
    "spend" DOUBLE PRECISION NOT NULL DEFAULT 0.0,
    "total_tokens" INTEGER NOT NULL DEFAULT 0,
    "prompt_tokens" INTEGER NOT NULL DEFAULT 0,
    "completion_tokens" INTEGER NOT NULL DEFAULT 0,
    "startTime" {start_type} NOT NULL,
    "endTime" {start_type} NOT NULL,
    "request_duration_ms" INTEGER,
    "completionStartTime" {start_type},
    "model" TEXT NOT NULL DEFAULT '',
    "model_id" TEXT DEFAULT '',
    "model_group" TEXT DEFAULT '',
    "custom_llm_provider" TEXT DEFAULT '',
    "api_base" TEXT DEFAULT '',
    "user" TEXT DEFAULT '',
    "metadata" JSONB DEFAULT '{{}}',
    "cache_hit" TEXT DEFAULT '',
    "cache_key" TEXT DEFAULT '',
    "request_tags" JSONB DEFAULT '[]',
    "team_id" TEXT,
    "organization_id" TEXT,
    "end_user" TEXT,
    "requester_ip_address" TEXT,
    "messages" JSONB DEFAULT '{{}}',
    "response" JSONB DEFAULT '{{}}',
    "session_id" TEXT,
    "status" TEXT,
    "mcp_namespaced_tool_name" TEXT,
    "agent_id" TEXT,
    "proxy_server_request" JSONB DEFAULT '{{}}',
    CONSTRAINT "LiteLLM_SpendLogs_pkey" PRIMARY KEY ("request_id")
);
CREATE INDEX "LiteLLM_SpendLogs_startTime_idx" ON "LiteLLM_SpendLogs"("startTime");
CREATE INDEX "LiteLLM_SpendLogs_startTime_request_id_idx" ON "LiteLLM_SpendLogs"("startTime", "request_id");
"""
