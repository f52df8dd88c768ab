"""The photo library: a brand's photos in S3 and their ledger rows in PostgreSQL.

The ledger is the single truth of which photo is available, reserved by a run, used or
rejected. Reservation is one atomic statement (``FOR UPDATE SKIP LOCKED``), so concurrent
runs of a brand never get the same photo, and a retried reservation returns the same one.
Given weights, that statement takes the photo whose traits weigh most (``weighted``).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError
from psycopg.errors import UniqueViolation
from psycopg_pool import AsyncConnectionPool

from .sync import PhotoSync
from .weighted import RESERVE_WEIGHTED, weight_arrays

__all__ = ["NoUnusedPhoto", "PhotoLibrary", "PhotoRow", "StoredObject", "is_missing"]


# The first free photo after a random point of the brand's shuffled order (wrapping round to
# the start), read from an index: no sort of the brand's photos, however many there are.
_RESERVE = """
UPDATE photos SET status = 'reserved', run_id = %(run_id)s, reserved_at = now()
WHERE brand = %(brand)s AND key = coalesce(
    (SELECT key FROM photos
     WHERE brand = %(brand)s AND status = 'available' AND shuffle >= %(point)s
       AND key <> ALL(%(avoid)s)
     ORDER BY shuffle LIMIT 1 FOR UPDATE SKIP LOCKED),
    (SELECT key FROM photos
     WHERE brand = %(brand)s AND status = 'available' AND key <> ALL(%(avoid)s)
     ORDER BY shuffle LIMIT 1 FOR UPDATE SKIP LOCKED))
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


@dataclass(frozen=True)
class StoredObject:
    data: bytes
    etag: str
    metadata: dict[str, str]


def is_missing(exc: ClientError) -> bool:
    """``exc`` says the S3 object is not there (deleted since it was listed, or never made)."""
    return exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404")


class PhotoLibrary:
    """S3 objects under each brand's prefix, and the ledger that tracks their use."""

    def __init__(self, *, pool: AsyncConnectionPool, s3: Any, bucket: str) -> None:
        self._pool = pool
        self._s3 = s3
        self._bucket = bucket
        self._sync = PhotoSync(pool=pool, s3=s3, bucket=bucket)

    async def sync(self, brand: str, prefix: str, *, full: bool = False) -> int:
        """Add photos new under ``prefix`` to the ledger; return how many were added."""
        return await self._sync.sync(brand, prefix, full=full)

    async def reserve(
        self,
        brand: str,
        prefix: str,
        run_id: str,
        avoid: Sequence[str] = (),
        weights: Mapping[str, float] | None = None,
    ) -> PhotoRow:
        """The photo reserved by ``run_id``, reserving an unused one if it has none: at random,
        or with ``weights`` the one whose traits weigh most; never one of ``avoid`` (a planned
        run taking another photo than the one it gave back).

        Raises ValueError naming the trait when a weight is not a finite number.
        """
        if weights is not None:
            weight_arrays(weights)  # refused before anything is listed or reserved
        row = await self._held(brand, run_id)
        if row is None:
            await self.sync(brand, prefix)
            row = await self.reserve_available(brand, run_id, avoid, weights)
        if row is None:
            # Out of photos, or new ones whose names sort before the last key seen.
            await self.sync(brand, prefix, full=True)
            row = await self.reserve_available(brand, run_id, avoid, weights)
        if row is None:
            raise NoUnusedPhoto(f"brand '{brand}' has no unused photo left under '{prefix}'")
        return PhotoRow(brand, row[0], row[1], row[2])

    async def _held(self, brand: str, run_id: str) -> tuple[Any, ...] | None:
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                "SELECT key, etag, size_bytes FROM photos"
                " WHERE brand = %s AND run_id = %s AND status IN ('reserved', 'used')",
                (brand, run_id),
            )
            return await cur.fetchone()

    async def reserve_available(
        self,
        brand: str,
        run_id: str,
        avoid: Sequence[str] = (),
        weights: Mapping[str, float] | None = None,
    ) -> tuple[Any, ...] | None:
        """The one atomic reservation among the photos already in the ledger (no listing of
        S3): ``(key, etag, size_bytes)``, or None when none is available."""
        arguments: dict[str, Any] = {"brand": brand, "run_id": run_id, "avoid": list(avoid)}
        if weights is None:
            statement, arguments["point"] = _RESERVE, random.random()  # a fair draw, no secret
        else:
            statement = RESERVE_WEIGHTED
            arguments["traits"], arguments["weights"] = weight_arrays(weights)
        try:
            async with self._pool.connection() as conn:
                cur = await conn.execute(statement, arguments)
                return await cur.fetchone()
        except UniqueViolation:
            # Another attempt of this run (a retry beside one cut off, on any replica) reserved
            # a photo first; the index allows a run one, and that one is the run's.
            return await self._held(brand, run_id)

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
                "UPDATE photos SET status = 'available', run_id = NULL, reserved_at = NULL,"
                " shuffle = random()"
                " WHERE brand = %s AND key = %s AND run_id = %s AND status = 'reserved'",
                (brand, key, run_id),
            )
            return cur.rowcount == 1

    async def head(self, key: str) -> tuple[int, str]:
        """The size in bytes and the ETag of the S3 object ``key``, read from S3 (the ledger's
        may be old)."""
        head = await asyncio.to_thread(self._s3.head_object, Bucket=self._bucket, Key=key)
        return int(head["ContentLength"]), str(head["ETag"])

    async def read(self, key: str) -> bytes:
        """The bytes of the S3 object ``key``."""
        return (await self.fetch(key)).data

    async def fetch(self, key: str) -> StoredObject:
        """The S3 object ``key``: its bytes, ETag and metadata, all of one version."""
        response = await asyncio.to_thread(self._s3.get_object, Bucket=self._bucket, Key=key)
        data = await asyncio.to_thread(response["Body"].read)
        return StoredObject(data, str(response["ETag"]), dict(response.get("Metadata", {})))

    async def write(
        self, key: str, data: bytes, content_type: str, metadata: dict[str, str] | None = None
    ) -> None:
        await asyncio.to_thread(
            self._s3.put_object,
            Bucket=self._bucket, Key=key, Body=data, ContentType=content_type,
            Metadata=metadata or {},
        )  # fmt: skip

    def presigned_url(self, key: str, ttl_seconds: int) -> str:
        """A GET URL for ``key`` that Meta can fetch until it expires."""
        return str(
            self._s3.generate_presigned_url(
                "get_object", Params={"Bucket": self._bucket, "Key": key}, ExpiresIn=ttl_seconds
            )
        )
