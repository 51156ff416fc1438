"""A real PostgreSQL 15 server for this folder's tests (one per session, a fresh database per test)
holding LiteLLM_SpendLogs as LiteLLM creates it, and the rows the tests write into it, with the totals
those rows must give (summed here with Decimal, never read back from ftaudit)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.conftest import query
from tests.sources.postgres_server import PASSWORD, SPEND_LOGS_DDL, PostgresServer, binaries_missing

START = datetime(2026, 11, 2, 8, 0)  # naive UTC, as LiteLLM (Prisma) stores DateTime


@pytest.fixture(scope="session")
def server() -> Iterator[PostgresServer]:
    reason = binaries_missing()
    if reason:
        pytest.skip(reason)
    running = PostgresServer().start()
    yield running
    running.stop()


@dataclass
class SpendLogs:
    """A fresh database holding an empty LiteLLM_SpendLogs table."""

    server: PostgresServer
    database: str

    @property
    def url(self) -> str:
        return self.server.url(self.database)

    def admin(self) -> psycopg.Connection[Any]:
        return psycopg.connect(self.server.admin_conninfo(self.database), autocommit=True)

    def insert(self, rows: list[dict[str, Any]]) -> None:
        columns = list(rows[0])
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join(f"%({c})s" for c in columns)
        with self.admin() as conn, conn.cursor() as cursor:
            cursor.executemany(f'INSERT INTO "LiteLLM_SpendLogs" ({names}) VALUES ({marks})', rows)


@pytest.fixture(params=["TIMESTAMP(3)"])
def spend_logs(server: PostgresServer, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> SpendLogs:
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    database = "litellm_" + uuid.uuid4().hex[:10]
    with psycopg.connect(server.admin_conninfo(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {database}")
    logs = SpendLogs(server, database)
    with logs.admin() as conn:
        conn.execute(SPEND_LOGS_DDL.format(start_type=request.param))
    return logs


def spend_rows(first: int, count: int) -> list[dict[str, Any]]:
    """Calls `first`..: three share each start time (ties broken by request_id); even ones read 512
    cached tokens; every fifth has its messages (a system prompt: the prefix); 7 failed; 11 has no model."""
    rows = []
    for n in range(first, first + count):
        started = START + timedelta(minutes=n // 3)
        usage: dict[str, Any] = {"prompt_tokens": 1000 + n, "completion_tokens": 40 + n % 7}
        if n % 2 == 0:
            usage["prompt_tokens_details"] = {"cached_tokens": 512}
        messages = [{"role": "system", "content": "Label the ticket."}, {"role": "user", "content": f"ticket {n}"}]
        rows.append({
            "request_id": f"chatcmpl-{n:05d}",
            "call_type": "acompletion",
            "spend": float(spend_text(n)),
            "total_tokens": 1040 + n + n % 7,
            "prompt_tokens": 1000 + n,
            "completion_tokens": 40 + n % 7,
            "startTime": started,
            "endTime": started + timedelta(milliseconds=700 + n),
            "model": "" if n == 11 else "gpt-4o-mini-2024-07-18",
            "model_group": "" if n == 11 else "gpt-4o-mini",
            "custom_llm_provider": "openai",
            "metadata": json.dumps({"user_api_key_alias": "classifier", "usage_object": usage}),
            "request_tags": json.dumps(["feature:classify"]),
            "messages": json.dumps(messages if n % 5 == 0 else {}),
            "status": "failure" if n == 7 else "success",
        })
    return rows


def spend_text(n: int) -> str:
    return f"{(n * 1379) % 9973 + 1}e-8"


def expected(rows: list[dict[str, Any]]) -> tuple[int, int, int, int, Decimal]:
    """(calls, input tokens, cache read tokens, output tokens, spend) of the rows that are accepted."""
    good = [r for r in rows if r["model"] and r["status"] != "failure"]
    return (
        len(good),
        sum(r["prompt_tokens"] for r in good),
        sum(512 for r in good if int(r["request_id"][-5:]) % 2 == 0),
        sum(r["completion_tokens"] for r in good),
        sum((Decimal(spend_text(int(r["request_id"][-5:]))) for r in good), Decimal(0)),
    )


def stored_totals(db: Path) -> tuple[Any, ...]:
    return query(
        db,
        "select count(*), sum(input_tokens)::bigint, sum(cache_read_tokens)::bigint, sum(output_tokens)::bigint, "
        "sum(billed_cost_usd) from calls",
    )[0]


