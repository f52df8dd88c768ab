"""PostgreSQL access: a connection pool and the project's versioned migrations.

Migrations are the ``NNNN_name.sql`` files beside this module, applied in order, each once,
under an advisory lock so that two processes starting together do not race.
"""

from __future__ import annotations

import re
from importlib import resources

import psycopg
from psycopg_pool import AsyncConnectionPool
from psycopg_pool.base import AttemptWithBackoff

__all__ = ["apply_migrations", "migration_files", "open_pool"]

_MIGRATION = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_LOCK_ID = 0x6665_6564  # "feed"


def migration_files() -> list[tuple[int, str, str]]:
    """The migrations shipped with feedpub as ``(version, name, sql)``, in order."""
    found = []
    for entry in resources.files("feedpub.migrations").iterdir():
        match = _MIGRATION.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


async def apply_migrations(conninfo: str) -> list[str]:
    """Bring the database at ``conninfo`` up to date; return the names applied now."""
    applied_now = []
    async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
        await conn.execute("SELECT pg_advisory_lock(%s)", (_LOCK_ID,))
        try:
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version integer PRIMARY KEY, name text NOT NULL,"
                " applied_at timestamptz NOT NULL DEFAULT now())"
            )
            cur = await conn.execute("SELECT version FROM schema_migrations")
            done = {row[0] for row in await cur.fetchall()}
            for version, name, sql in migration_files():
                if version in done:
                    continue
                async with conn.transaction():
                    await conn.execute(sql.encode())
                    await conn.execute(
                        "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                        (version, name),
                    )
                applied_now.append(name)
        finally:
            await conn.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_ID,))
    return applied_now


# psycopg_pool retries a database that went away with a delay that doubles without bound (1,
# 2, 4 ... 32 s) and offers no setting for a ceiling: after a one-minute outage the pool would
# stay empty for up to half a minute once the database is back, and every tool call with it.
# A steady retry about once a second costs one refused connection a second while it is down.
AttemptWithBackoff.DELAY_BACKOFF = 1.0
GETCONN_TIMEOUT_SECONDS = 10.0


async def open_pool(conninfo: str, *, max_size: int = 10) -> AsyncConnectionPool:
    """An open async pool; connections are checked before use so a restarted server heals."""
    pool = AsyncConnectionPool(
        conninfo,
        min_size=1,
        max_size=max_size,
        open=False,
        check=AsyncConnectionPool.check_connection,
        # How long a call waits for a connection (psycopg_pool's default is 30 s). Our queries
        # take milliseconds, so a longer wait means the database is gone: the call fails and
        # its activity is retried by Temporal, where the wait shows in the run's history.
        timeout=GETCONN_TIMEOUT_SECONDS,
    )
    await pool.open(wait=True, timeout=30)
    return pool
