"""How many photos a brand has left to post, for the daily runway check, and which photos runs
hold, for the sweeper that gives back those of runs that no longer exist.

The ledger knows a brand's photos only once they were listed from S3: the count lists new
ones first, as a reservation does, so a brand never reserved yet (or given photos since) is
not counted as empty.
"""

from __future__ import annotations

from psycopg_pool import AsyncConnectionPool

from feedpub.contract.tools import PhotoStock, ReservedPhoto, ReservedPhotos

from .photos import PhotoLibrary

__all__ = ["PhotoStockCount"]


class PhotoStockCount:
    def __init__(self, *, pool: AsyncConnectionPool, library: PhotoLibrary) -> None:
        self._pool = pool
        self._library = library

    async def count(self, brand: str, prefix: str) -> PhotoStock:
        """The brand's photos never posted nor rejected (``unused``), and those runs hold."""
        await self._library.sync(brand, prefix)
        stock = await self._counted(brand)
        if stock.unused == 0:
            # Out of photos, or new ones whose names sort before the last key seen: the full
            # listing a reservation makes before it says there is none.
            await self._library.sync(brand, prefix, full=True)
            stock = await self._counted(brand)
        return stock

    async def _counted(self, brand: str) -> PhotoStock:
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                "SELECT count(*) FILTER (WHERE status = 'available'),"
                " count(*) FILTER (WHERE status = 'reserved') FROM photos WHERE brand = %s",
                (brand,),
            )
            row = await cur.fetchone()
        assert row is not None
        return PhotoStock(brand=brand, unused=row[0], reserved=row[1])

    async def reserved(self, brand: str | None, held_for_seconds: float) -> ReservedPhotos:
        """The photos runs hold (of ``brand``, or every brand), held at least
        ``held_for_seconds`` by the database's clock, longest held first."""
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                "SELECT brand, key, run_id, reserved_at FROM photos WHERE status = 'reserved'"
                " AND (%(brand)s::text IS NULL OR brand = %(brand)s)"
                " AND reserved_at <= now() - make_interval(secs => %(held)s)"
                " ORDER BY reserved_at",
                {"brand": brand, "held": held_for_seconds},
            )
            rows = await cur.fetchall()
        return ReservedPhotos([ReservedPhoto(*row) for row in rows])
