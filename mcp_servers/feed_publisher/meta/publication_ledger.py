"""The publication ledger: intent before each Meta call, result after, one row per
(run, platform, revision). A retried attempt reads it to know what may already exist at Meta.

A planned post changes until its slot, each change a revision of the plan. One revision of a
run is ever published per platform: a revision is refused once another one is published,
once a newer one has been asked for (its container, made for an older caption, is never
published), and while an older one's last call to publish has no known outcome.

Attempts for the same (run, platform), whatever their revision, are serialised by an advisory
lock held on one connection for the whole flow; every read and write of that flow goes
through it, so a flow never waits for a second pool connection while holding the lock.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg import AsyncConnection
from psycopg.errors import LockNotAvailable
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

__all__ = [
    "FlowBusy",
    "PublicationLedger",
    "PublicationRecord",
    "RecordSession",
    "RevisionRefused",
]

_FIELDS = (
    "state", "attempts", "fb_photo_id", "fb_post_id", "ig_container_id", "ig_container_status",
    "ig_media_id", "permalink", "last_error", "call_started_at",
)  # fmt: skip


class FlowBusy(Exception):
    """Another attempt of the same run is still publishing on this platform."""


class RevisionRefused(Exception):
    """Another revision of the run is, or may be, the one published on this platform."""


@dataclass
class PublicationRecord:
    run_id: str
    platform: str
    revision: int
    brand: str
    caption: str
    state: str
    attempts: int
    fb_photo_id: str | None
    fb_post_id: str | None
    ig_container_id: str | None
    ig_container_status: str | None
    ig_media_id: str | None
    permalink: str | None
    last_error: str | None
    call_started_at: datetime | None
    created_at: datetime


class RecordSession:
    """Reads and writes of one flow, on the connection that holds its lock."""

    def __init__(
        self, conn: AsyncConnection[Any], run_id: str, platform: str, revision: int = 0
    ) -> None:
        self._conn = conn
        self._key = (run_id, platform, revision)

    async def begin(self, brand: str, media_key: str, caption: str) -> PublicationRecord:
        """The row of this (run, platform, revision), created on the first attempt; attempts
        counted. RevisionRefused when another revision is, or may be, the one published."""
        await self._conn.execute(
            "INSERT INTO publications (run_id, platform, revision, brand, media_key, caption)"
            " VALUES (%s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (run_id, platform, revision) DO NOTHING",
            (*self._key, brand, media_key, caption),
        )
        record = await self.update(attempts_plus_one=True)
        if record.state != "published":
            await self._refuse_if_another_revision_goes()
        return record

    async def _refuse_if_another_revision_goes(self) -> None:
        _, platform, revision = self._key
        cur = await self._conn.execute(
            "SELECT revision, state FROM publications"
            " WHERE run_id = %s AND platform = %s AND revision <> %s ORDER BY revision DESC",
            self._key,
        )
        where = f"{platform.capitalize()}: revision {revision} of this post is not published"
        for other, state in await cur.fetchall():
            if state == "published":
                raise RevisionRefused(f"{where}: revision {other} already is")
            if other > revision:
                raise RevisionRefused(f"{where}: it was replaced by revision {other}")
            if state == "publishing":
                raise RevisionRefused(
                    f"{where}: revision {other} was being published when its answer was lost,"
                    " and the post must not appear twice"
                )

    async def update(self, *, attempts_plus_one: bool = False, **fields: Any) -> PublicationRecord:
        unknown = set(fields) - set(_FIELDS)
        if unknown:
            raise ValueError(f"unknown publication fields {sorted(unknown)}")
        sets = [f"{name} = %({name})s" for name in fields]
        sets.append("attempts = attempts + 1" if attempts_plus_one else "attempts = attempts")
        cur = await self._conn.cursor(row_factory=dict_row).execute(
            f"UPDATE publications SET {', '.join(sets)}, updated_at = now()"
            " WHERE run_id = %(run_id)s AND platform = %(platform)s AND revision = %(revision)s"
            " RETURNING run_id, platform, revision, brand, caption, created_at, "
            + ", ".join(_FIELDS),
            {**fields, "run_id": self._key[0], "platform": self._key[1], "revision": self._key[2]},
        )
        row = await cur.fetchone()
        assert row is not None
        return PublicationRecord(**row)

    async def claimed_ids(self, brand: str, column: str) -> set[str]:
        """Post or media ids other runs of the brand already recorded (never ours to claim)."""
        if column not in ("fb_post_id", "ig_media_id"):
            raise ValueError(column)
        cur = await self._conn.execute(
            f"SELECT {column} FROM publications WHERE brand = %s AND {column} IS NOT NULL"
            " AND run_id <> %s",
            (brand, self._key[0]),
        )
        return {row[0] for row in await cur.fetchall()}


class PublicationLedger:
    def __init__(self, pool: AsyncConnectionPool, *, lock_timeout_seconds: int = 60) -> None:
        self._pool = pool
        self._lock_timeout = lock_timeout_seconds

    async def is_post_of(self, brand: str, platform: str, post_id: str) -> bool:
        """Whether ``post_id`` is recorded as a post (Facebook) or media (Instagram) that a run
        of ``brand`` published on ``platform``."""
        column = "fb_post_id" if platform == "facebook" else "ig_media_id"
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                f"SELECT 1 FROM publications WHERE brand = %s AND {column} = %s LIMIT 1",
                (brand, post_id),
            )
            return await cur.fetchone() is not None

    @asynccontextmanager
    async def flow(
        self, run_id: str, platform: str, revision: int = 0
    ) -> AsyncIterator[RecordSession]:
        """Hold the (run, platform) lock for the duration of one publishing attempt of
        ``revision``."""
        key = f"{run_id}/{platform}"
        async with self._pool.connection() as conn:
            # Each write must be durable at once: a crash mid-flow must leave the intent behind.
            await conn.set_autocommit(True)
            await conn.execute(f"SET lock_timeout = '{int(self._lock_timeout)}s'")
            try:
                await conn.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", (key,))
            except LockNotAvailable:
                raise FlowBusy(
                    f"another attempt is still publishing run {run_id} on {platform}"
                ) from None
            try:
                yield RecordSession(conn, run_id, platform, revision)
            finally:
                await conn.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", (key,))
                await conn.execute("RESET lock_timeout")
                await conn.set_autocommit(False)
