"""The photo library: a brand's photos in S3 and their ledger rows in PostgreSQL.

The ledger is the single truth of which photo is available, reserved by a run, used or
rejected. Reservation is one atomic statement (``FOR UPDATE SKIP LOCKED``), so concurrent
runs of a brand never get the same photo, and a retried reservation returns the same one.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from psycopg_pool import AsyncConnectionPool

__all__ = ["DERIVED_DIR", "NoUnusedPhoto", "PhotoLibrary", "PhotoRow"]

DERIVED_DIR = ".derived/"
"""Folder under a brand's prefix where prepared media are written; never offered as photos."""

_RESERVE = """
UPDATE photos SET status = 'reserved', run_id = %(run_id)s, reserved_at = now()
WHERE (brand, key) = (
    SELECT brand, key FROM photos
    WHERE brand = %(brand)s AND status = 'available'
    ORDER BY random() LIMIT 1
    FOR UPDATE SKIP LOCKED)
RETURNING key, etag, size_bytes
"""


class NoUnusedPhoto(Exception):
    """The brand has no photo left that was never posted."""


@dataclass(frozen=True)
class PhotoRow:
    brand: str
    key: str
    etag: str | None
    size_bytes: int | None


class PhotoLibrary:
    """S3 objects under each brand's prefix, and the ledger that tracks their use."""

    def __init__(self, *, pool: AsyncConnectionPool, s3: Any, bucket: str) -> None:
        self._pool = pool
        self._s3 = s3
        self._bucket = bucket

    async def sync(self, brand: str, prefix: str) -> int:
        """Add photos new under ``prefix`` to the ledger; return how many were added."""
        objects = await asyncio.to_thread(self._list_objects, prefix)
        async with self._pool.connection() as conn, conn.cursor() as cur:
            await cur.executemany(
                "INSERT INTO photos (brand, key, etag, size_bytes) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (brand, key) DO NOTHING",
                [(brand, obj["Key"], obj.get("ETag"), obj.get("Size")) for obj in objects],
            )
            added = max(cur.rowcount, 0)
            present = [obj["Key"] for obj in objects]
            # A photo deleted from S3 can no longer be posted.
            await cur.execute(
                "UPDATE photos SET status = 'rejected', reason = 'deleted from S3'"
                " WHERE brand = %s AND status = 'available' AND NOT (key = ANY(%s))",
                (brand, present),
            )
        return added

    def _list_objects(self, prefix: str) -> list[dict[str, Any]]:
        found = []
        paginator = self._s3.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self._bucket, Prefix=prefix):
            for obj in page.get("Contents", []):
                if DERIVED_DIR not in obj["Key"] and not obj["Key"].endswith("/"):
                    found.append(obj)
        return found

    async def reserve(self, brand: str, prefix: str, run_id: str) -> PhotoRow:
        """The photo reserved by ``run_id``, reserving a random unused one if it has none."""
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                "SELECT key, etag, size_bytes FROM photos"
                " WHERE brand = %s AND run_id = %s AND status IN ('reserved', 'used')",
                (brand, run_id),
            )
            row = await cur.fetchone()
        if row is None:
            await self.sync(brand, prefix)
            async with self._pool.connection() as conn:
                cur = await conn.execute(_RESERVE, {"brand": brand, "run_id": run_id})
                row = await cur.fetchone()
        if row is None:
            raise NoUnusedPhoto(f"brand '{brand}' has no unused photo left under '{prefix}'")
        return PhotoRow(brand, row[0], row[1], row[2])

    async def mark_used(self, brand: str, key: str, run_id: str) -> None:
        """Mark the photo reserved by ``run_id`` as used (again is fine)."""
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                "UPDATE photos SET status = 'used', used_at = coalesce(used_at, now())"
                " WHERE brand = %s AND key = %s AND run_id = %s"
                " AND status IN ('reserved', 'used')",
                (brand, key, run_id),
            )
            if cur.rowcount != 1:
                raise LookupError(f"photo '{key}' of brand '{brand}' is not reserved by this run")

    async def release(self, brand: str, key: str, run_id: str) -> bool:
        """Give a reserved photo back (the run published nothing); False if not reserved."""
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                "UPDATE photos SET status = 'available', run_id = NULL, reserved_at = NULL"
                " WHERE brand = %s AND key = %s AND run_id = %s AND status = 'reserved'",
                (brand, key, run_id),
            )
            return cur.rowcount == 1

    async def reject(self, brand: str, key: str, reason: str) -> None:
        """Take a photo out of rotation for good, with the reason."""
        async with self._pool.connection() as conn:
            await conn.execute(
                "UPDATE photos SET status = 'rejected', reason = %s, run_id = NULL"
                " WHERE brand = %s AND key = %s",
                (reason, brand, key),
            )

    async def read(self, key: str) -> bytes:
        """The bytes of the S3 object ``key``."""
        response = await asyncio.to_thread(self._s3.get_object, Bucket=self._bucket, Key=key)
        return await asyncio.to_thread(response["Body"].read)

    async def write(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(
            self._s3.put_object, Bucket=self._bucket, Key=key, Body=data, ContentType=content_type
        )

    def presigned_url(self, key: str, ttl_seconds: int) -> str:
        """A GET URL for ``key`` that Meta can fetch until it expires."""
        return str(
            self._s3.generate_presigned_url(
                "get_object", Params={"Bucket": self._bucket, "Key": key}, ExpiresIn=ttl_seconds
            )
        )
