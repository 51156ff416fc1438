"""The schema of the database: the ordered, named migrations of `queries/store/migrations/`, each
applied once in its own transaction and recorded in `schema_migrations`.

Knows nothing about files or locks (see database_file.py); it runs on a connection it is given.
"""

from __future__ import annotations

import duckdb

from ftaudit.store import queries

FIRST = "migrations/0001_store"


def applied(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Names of the migrations recorded in the database (none when it was never set up)."""
    tables = {name for (name,) in con.execute("select table_name from duckdb_tables()").fetchall()}
    if "schema_migrations" not in tables:
        return set()
    return {name for (name,) in con.execute("select name from schema_migrations").fetchall()}


def pending(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Migrations still to apply, in order."""
    done = applied(con)
    return [name for name in queries.names("migrations/") if name not in done]


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Apply every pending migration in name order, each once, recorded in schema_migrations."""
    con.execute("create table if not exists schema_migrations (name varchar primary key, applied_at timestamptz not null)")
    for name in pending(con):
        con.execute("begin transaction")
        try:
            con.execute(queries.sql(name))
            con.execute("insert into schema_migrations values ($name, now())", {"name": name})
        except BaseException:
            con.execute("rollback")
            raise
        con.execute("commit")
