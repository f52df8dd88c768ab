"""Taking unusable photos out of rotation, behind a breaker, and putting them back.

A rejection is permanent, so a run keeps taking photos until one works. That is only safe
while the reasons are the photos' own: when photo after photo is refused for the same cause,
the fault may be ours (a decoder that refuses every HEIC, say), and rejecting on would empty
the brand's library in one run. So the photos refused one after another are counted per
brand and cause, in PostgreSQL (shared by every replica), and the photo that would reach the
limit is left as it is: the caller stops and raises an alert instead.
"""

from __future__ import annotations

from typing import Literal

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from feedpub.contract.tools import ReadmittedPhoto

__all__ = ["Outcome", "PhotoRejections"]

Outcome = Literal["rejected", "halted", "not-held"]


class PhotoRejections:
    def __init__(self, pool: AsyncConnectionPool) -> None:
        self._pool = pool

    async def reject(
        self, brand: str, key: str, reason: str, cause: str, *, limit: int, run_id: str | None
    ) -> Outcome:
        """Reject the photo for good with ``reason`` (``rejected``); or leave it as it is when it
        would be the ``limit``-th photo in a row of the brand refused for ``cause`` (``halted``).

        With ``run_id``, only the photo that run holds is rejected (``not-held`` otherwise).
        Asking again for a photo already rejected for this reason changes and counts nothing.
        """
        async with self._pool.connection() as conn, conn.transaction():
            # One brand's rejections one at a time, so that two runs cannot both take the
            # last place before the limit.
            await conn.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended('photo-rejections:' || %s, 0))",
                (brand,),
            )
            cur = await conn.execute(
                "SELECT status, reason, run_id FROM photos WHERE brand = %s AND key = %s"
                " FOR UPDATE",
                (brand, key),
            )
            row = await cur.fetchone()
            if row is not None and (row[0], row[1]) == ("rejected", reason):
                return "rejected"
            if row is None or (run_id is not None and (row[0], row[2]) != ("reserved", run_id)):
                return "not-held"
            if await _streak_after(conn, brand, cause) >= limit:
                return "halted"
            await conn.execute(
                "INSERT INTO photo_rejection_streaks AS s (brand, cause, count)"
                " VALUES (%(brand)s, %(cause)s, 1) ON CONFLICT (brand) DO UPDATE SET"
                " count = CASE WHEN s.cause = %(cause)s THEN s.count + 1 ELSE 1 END,"
                " cause = %(cause)s, updated_at = now()",
                {"brand": brand, "cause": cause},
            )
            await conn.execute(
                "UPDATE photos SET status = 'rejected', reason = %s, run_id = NULL"
                " WHERE brand = %s AND key = %s",
                (reason, brand, key),
            )
        return "rejected"

    async def end_streak(self, brand: str) -> bool:
        """A photo of the brand proved usable: the streak ends. True if there was one."""
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                "DELETE FROM photo_rejection_streaks WHERE brand = %s", (brand,)
            )
            return cur.rowcount > 0

    async def readmit(
        self, brand: str, *, keys: list[str] | None = None, reason_contains: str | None = None
    ) -> list[ReadmittedPhoto]:
        """Put the brand's rejected photos named by ``keys``, or whose reason contains
        ``reason_contains`` (any case), back among the unused ones; the streak ends."""
        if keys is None and reason_contains is None:
            raise ValueError("name the photos or a part of their reason")
        async with self._pool.connection() as conn, conn.transaction():
            cur = await conn.execute(
                "UPDATE photos p SET status = 'available', reason = NULL, run_id = NULL,"
                " unfinished_decodes = 0, shuffle = random() FROM (SELECT key, reason FROM photos"
                "   WHERE brand = %(brand)s AND status = 'rejected'"
                "   AND (key = ANY(%(keys)s) OR reason ILIKE %(pattern)s) FOR UPDATE) before"
                " WHERE p.brand = %(brand)s AND p.key = before.key"
                " RETURNING before.key, before.reason",
                {
                    "brand": brand,
                    "keys": keys or [],
                    "pattern": None if reason_contains is None else f"%{_like(reason_contains)}%",
                },
            )
            readmitted = [ReadmittedPhoto(key, reason) for key, reason in await cur.fetchall()]
            await conn.execute("DELETE FROM photo_rejection_streaks WHERE brand = %s", (brand,))
        return sorted(readmitted, key=lambda photo: photo.key)


async def _streak_after(conn: AsyncConnection, brand: str, cause: str) -> int:
    """How long the brand's streak of ``cause`` would be with one more such photo."""
    cur = await conn.execute(
        "SELECT cause, count FROM photo_rejection_streaks WHERE brand = %s", (brand,)
    )
    row = await cur.fetchone()
    return row[1] + 1 if row is not None and row[0] == cause else 1


def _like(text: str) -> str:
    """``text`` as a literal inside a LIKE pattern."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
