"""Problems an operator must act on, per brand: raised when Meta refuses a token or a
permission, cleared by the next post that goes through."""

from __future__ import annotations

from psycopg_pool import AsyncConnectionPool

from feedpub.contract.tools import BrandAlert

__all__ = ["BrandAlerts"]


class BrandAlerts:
    def __init__(self, pool: AsyncConnectionPool) -> None:
        self._pool = pool

    async def raise_alert(self, brand: str, kind: str, message: str) -> None:
        async with self._pool.connection() as conn:
            await conn.execute(
                "INSERT INTO brand_alerts (brand, kind, message) VALUES (%s, %s, %s)"
                " ON CONFLICT (brand, kind) DO UPDATE SET message = EXCLUDED.message,"
                " last_seen = now()",
                (brand, kind, message),
            )

    async def clear(self, brand: str, kind: str) -> None:
        async with self._pool.connection() as conn:
            await conn.execute(
                "DELETE FROM brand_alerts WHERE brand = %s AND kind = %s", (brand, kind)
            )

    async def all(self) -> list[BrandAlert]:
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                "SELECT brand, kind, message, since, last_seen FROM brand_alerts ORDER BY brand"
            )
            rows = await cur.fetchall()
        return [
            BrandAlert(brand=r[0], kind=r[1], message=r[2], since=r[3], last_seen=r[4])
            for r in rows
        ]
