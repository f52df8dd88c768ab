"""The traits of a brand's unused photos in the ledger: which photos still need a short look,
and what the look said (``feedpub.photo_traits``).

Asking is one atomic statement (``FOR UPDATE SKIP LOCKED``): two looks under way at once, on
any replica, never ask about the same photo. A photo asked about is not asked again while its
answer may still come (a Message Batch takes up to 24 hours); after ``ASK_AGAIN_AFTER`` it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool

from feedpub.contract.tools import PhotosToLook, PhotoToLook, PhotoTraits
from feedpub.photo_traits import traits_from_facts, traits_from_look

from .photos import PhotoLibrary

__all__ = ["ASK_AGAIN_AFTER", "MOST_PHOTOS_A_LOOK", "PhotoTraitStore", "UnknownPhoto"]

ASK_AGAIN_AFTER = timedelta(hours=25)
"""A batch ends within 24 hours: an answer not stored by then will not come."""
MOST_PHOTOS_A_LOOK = 100

_ASK = """
UPDATE photos SET traits_asked_at = now()
WHERE brand = %(brand)s AND key IN (
    SELECT key FROM photos
    WHERE brand = %(brand)s AND status = 'available' AND traits IS NULL
      AND (traits_asked_at IS NULL OR traits_asked_at < now() - %(again)s)
    ORDER BY key LIMIT %(limit)s FOR UPDATE SKIP LOCKED)
RETURNING key, etag
"""


class UnknownPhoto(LookupError):
    """The ledger has no such photo for the brand."""


class PhotoTraitStore:
    def __init__(self, *, pool: AsyncConnectionPool, library: PhotoLibrary) -> None:
        self._pool = pool
        self._library = library

    async def to_look_at(self, brand: str, prefix: str, limit: int) -> PhotosToLook:
        """Up to ``limit`` unused photos of the brand with no traits and no look under way,
        marked as asked about; the photos new in S3 are listed first."""
        await self._library.sync(brand, prefix)
        rows = await self._ask(brand, limit)
        if not rows:
            # None left, or new ones the quick listing cannot see (names that sort before the
            # last key seen, or added since a listing moments ago): the full listing a
            # reservation makes before it says there is none.
            await self._library.sync(brand, prefix, full=True)
            rows = await self._ask(brand, limit)
        photos = sorted((PhotoToLook(key, etag) for key, etag in rows), key=lambda p: p.key)
        return PhotosToLook(brand, photos)

    async def _ask(self, brand: str, limit: int) -> list[tuple[str, str | None]]:
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                _ASK,
                {"brand": brand, "again": ASK_AGAIN_AFTER, "limit": min(limit, MOST_PHOTOS_A_LOOK)},
            )
            return [(str(key), etag) for key, etag in await cur.fetchall()]

    async def save(
        self, brand: str, key: str, etag: str | None, look: Mapping[str, object]
    ) -> PhotoTraits:
        """Store the traits of ``look`` (ValueError naming the field it cannot read) and those
        of the photo's measured facts, stamped with ``etag``. UnknownPhoto if not in the
        ledger."""
        traits = traits_from_look(look)
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                "SELECT facts FROM photos WHERE brand = %s AND key = %s", (brand, key)
            )
            row = await cur.fetchone()
            if row is None:
                raise UnknownPhoto(f"brand '{brand}' has no photo '{key}' in the ledger")
            facts = row[0]
            if facts:
                traits += traits_from_facts(
                    str(facts.get("orientation", "")),
                    list(facts.get("dominant_colours") or []),
                    float(facts.get("brightness", 0.0)),
                )
            await conn.execute(
                "UPDATE photos SET traits = %s, traits_etag = %s WHERE brand = %s AND key = %s",
                (Jsonb(traits), etag, brand, key),
            )
        return PhotoTraits(brand, key, traits)
