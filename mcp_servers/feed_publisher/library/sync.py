"""Keeping the photo ledger in step with S3 without listing a whole prefix on every run.

S3 lists keys in order, so a listing that starts after the last key seen returns only keys
added since (when their names sort later, as timestamped or numbered uploads do). A full
listing, which also finds keys that sort earlier and retires deleted ones, runs when the last
one is older than ``full_every`` or when a brand seems to have run out of photos. A brand
listed less than ``list_every`` ago is not listed again (a burst of its runs, a catch-up),
unless a full listing is asked for. The listing is claimed in PostgreSQL first, so replicas
of the server list a brand once between them.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from psycopg_pool import AsyncConnectionPool

from .keys import DERIVED_DIR

__all__ = ["PhotoSync"]


class PhotoSync:
    def __init__(
        self,
        *,
        pool: AsyncConnectionPool,
        s3: Any,
        bucket: str,
        full_every: timedelta = timedelta(hours=1),
        list_every: timedelta = timedelta(minutes=1),
    ) -> None:
        self._pool = pool
        self._s3 = s3
        self._bucket = bucket
        self._full_every = full_every
        self._list_every = list_every

    async def sync(self, brand: str, prefix: str, *, full: bool = False) -> int:
        """Add new photos of the brand to the ledger; return how many were added."""
        claimed = await self._claim(brand, forced=full)
        if claimed is None:
            return 0  # listed moments ago, by this process or another replica
        last_key, full_due = claimed
        full = full or full_due or last_key is None
        start_after = None if full else last_key
        try:
            objects = await asyncio.to_thread(self._list, prefix, start_after)
        except BaseException:
            await self._unclaim(brand)
            raise
        return await self._record(brand, objects, full=full, previous_last=start_after)

    async def _claim(self, brand: str, *, forced: bool) -> tuple[str | None, bool] | None:
        """Take the brand's next listing: its last key seen and whether a full listing is
        due; None when it was listed less than ``list_every`` ago.

        One statement, so that replicas asking at the same instant cannot both list: the row
        lock makes the second wait for the first and then see its ``listed_at``.
        """
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                "INSERT INTO photo_sync (brand, listed_at) VALUES (%(brand)s, now())"
                " ON CONFLICT (brand) DO UPDATE SET listed_at = now()"
                " WHERE %(forced)s OR photo_sync.listed_at IS NULL"
                " OR photo_sync.listed_at <= now() - %(every)s"
                " OR photo_sync.full_listing_at < now() - %(full_every)s"
                " RETURNING last_key, coalesce(full_listing_at < now() - %(full_every)s, false)",
                {
                    "brand": brand,
                    "forced": forced,
                    "every": self._list_every,
                    "full_every": self._full_every,
                },
            )
            row = await cur.fetchone()
        return None if row is None else (row[0], bool(row[1]))

    async def _unclaim(self, brand: str) -> None:
        # The listing failed (S3 away): the next run may try again at once.
        async with self._pool.connection() as conn:
            await conn.execute("UPDATE photo_sync SET listed_at = NULL WHERE brand = %s", (brand,))

    def _list(self, prefix: str, start_after: str | None) -> list[dict[str, Any]]:
        found = []
        paginator = self._s3.get_paginator("list_objects_v2")
        extra = {"StartAfter": start_after} if start_after else {}
        for page in paginator.paginate(Bucket=self._bucket, Prefix=prefix, **extra):
            for obj in page.get("Contents", []):
                if DERIVED_DIR not in obj["Key"] and not obj["Key"].endswith("/"):
                    found.append(obj)
        return found

    async def _record(
        self, brand: str, objects: list[dict[str, Any]], *, full: bool, previous_last: str | None
    ) -> int:
        keys = [obj["Key"] for obj in objects]
        last_key = max([*keys, previous_last or ""]) or None
        async with self._pool.connection() as conn, conn.cursor() as cur:
            await cur.executemany(
                "INSERT INTO photos (brand, key, etag, size_bytes) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (brand, key) DO NOTHING",
                [(brand, obj["Key"], obj.get("ETag"), obj.get("Size")) for obj in objects],
            )
            added = max(cur.rowcount, 0)
            if full:
                # A photo deleted from S3 cannot be posted.
                await cur.execute(
                    "UPDATE photos SET status = 'rejected', reason = 'deleted from S3'"
                    " WHERE brand = %s AND status = 'available' AND NOT (key = ANY(%s))",
                    (brand, keys),
                )
            await cur.execute(
                "INSERT INTO photo_sync (brand, last_key, listed_at, full_listing_at)"
                " VALUES (%s, %s, now(), CASE WHEN %s THEN now() END) ON CONFLICT (brand) DO"
                " UPDATE SET last_key = EXCLUDED.last_key, listed_at = now(), full_listing_at ="
                " CASE WHEN %s THEN now() ELSE photo_sync.full_listing_at END",
                (brand, last_key, full, full),
            )
        return added
