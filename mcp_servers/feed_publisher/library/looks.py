"""What a look at a photo leaves behind: Claude's copy in S3 and the facts in the ledger.

A run looks at its photo twice (the workflow's checks, then the captions). The first look
stores Claude's copy beside the prepared image and the facts in the photo's ledger row, both
stamped with the S3 ETag of the photo they were made from. A later look, by any replica of
the server, serves them while the photo's ETag is still that one, and decodes the photo again
once the file was replaced. The stamp on the copy itself (its S3 metadata) tells a copy made
from another version of the photo, written by a look that raced a replacement.
"""

from __future__ import annotations

from dataclasses import dataclass

from botocore.exceptions import ClientError
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool

from feedpub.brands import Brand

from ..imaging.facts import NEAR_DUPLICATE_DISTANCE, PhotoFacts, hash_distance
from .keys import claude_copy_key
from .photos import PhotoLibrary, is_missing

__all__ = ["StoredLooks", "Twin", "TwinHeld"]

_MADE_FROM = "photo-etag"
"""The S3 metadata entry on Claude's copy: the ETag of the photo it was made from."""


@dataclass(frozen=True)
class Twin:
    """A photo that looks the same as the one looked at."""

    key: str
    held: bool
    """Another run holds it, not posted yet: it may still be given back."""


class TwinHeld(Exception):
    """The photo looks the same as one another run holds. It is not rejected: that run may give
    its photo back (cancelled, another photo asked for), and this one is then fine to post."""

    def __init__(self, twin: str) -> None:
        super().__init__(f"near-duplicate of {twin}, which another run holds")
        self.twin = twin


class StoredLooks:
    def __init__(self, *, pool: AsyncConnectionPool, library: PhotoLibrary) -> None:
        self._pool = pool
        self._library = library

    async def find(self, brand: Brand, key: str, etag: str) -> tuple[bytes, PhotoFacts] | None:
        """Claude's copy of the brand's photo ``key`` and its facts, if both were made from the
        version of the photo whose ETag is ``etag``."""
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                "SELECT facts FROM photos WHERE brand = %s AND key = %s"
                " AND looked_etag = %s AND facts IS NOT NULL",
                (brand.name, key, etag),
            )
            row = await cur.fetchone()
        if row is None:
            return None
        try:
            copy = await self._library.fetch(claude_copy_key(brand.s3_prefix, key))
        except ClientError as exc:
            if not is_missing(exc):
                raise
            return None
        if copy.metadata.get(_MADE_FROM) != etag:
            return None
        return copy.data, PhotoFacts(**row[0])

    async def keep(self, brand: Brand, key: str, etag: str, copy: bytes, facts: PhotoFacts) -> None:
        """Store Claude's copy and the facts (with the perceptual hash) of the brand's photo
        ``key``, made from its version ``etag``."""
        copy_key = claude_copy_key(brand.s3_prefix, key)
        await self._library.write(copy_key, copy, "image/jpeg", {_MADE_FROM: etag})
        async with self._pool.connection() as conn:
            await conn.execute(
                "UPDATE photos SET phash = %s, facts = %s, looked_etag = %s"
                " WHERE brand = %s AND key = %s",
                (facts.phash, Jsonb(facts.as_json()), etag, brand.name, key),
            )

    async def near_duplicate(self, brand: str, key: str, phash: str | None) -> Twin | None:
        """A photo of ``brand`` that looks the same and was posted, else one that another run
        holds (a planned run holds its photo for hours before posting it), if any."""
        if phash is None:
            return None
        async with self._pool.connection() as conn:
            cur = await conn.execute(_POSTED_OR_HELD, {"brand": brand, "key": key})
            others = await cur.fetchall()
        for other, other_hash, held in others:
            if hash_distance(phash, other_hash) <= NEAR_DUPLICATE_DISTANCE:
                return Twin(str(other), held=bool(held))
        return None


# Two queries, each on its partial index: the posted photos (newest first), then those other
# runs hold (any run but the one that holds ``key``, when one does).
_POSTED_OR_HELD = """
SELECT key, phash, held FROM (
    SELECT key, phash, 0 AS held, used_at AS at FROM photos
    WHERE brand = %(brand)s AND status = 'used' AND phash IS NOT NULL AND key <> %(key)s
    UNION ALL
    SELECT key, phash, 1, reserved_at FROM photos
    WHERE brand = %(brand)s AND status = 'reserved' AND phash IS NOT NULL AND key <> %(key)s
    AND run_id IS DISTINCT FROM (
        SELECT run_id FROM photos WHERE brand = %(brand)s AND key = %(key)s AND status = 'reserved'
    )
) AS others
ORDER BY held, at DESC
"""
