"""Which destination took which message, and the messages lost on the way.

A destination is named by its variable (``NOTIFY_POMANDI_WEBHOOK``), never by its URL, which
holds a secret: a name of any other shape is refused before it is stored.
"""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from feedpub.brand_notify import is_notify_env
from feedpub.contract.notices import LostNotice
from feedpub.contract.tools import NoticeList, NoticeRecord
from mcp_servers._errors import feed_error

__all__ = ["MOST_LOST_TOLD", "MOST_NOTICES_LISTED", "NoticeDeliveries", "lost_notices"]

MOST_LOST_TOLD = 20
"""A message tells of at most this many lost ones (the oldest); the rest come with the next."""
MOST_NOTICES_LISTED = 200
_MOST_REASON_CHARACTERS = 500

_LOST = """
SELECT d.event_id, coalesce(n.kind, ''), d.destination, coalesce(d.reason, ''),
       coalesce(n.created_at, d.at)
FROM notice_deliveries d LEFT JOIN notices n USING (event_id)
WHERE d.brand = %s AND NOT d.delivered AND NOT d.told
ORDER BY d.at LIMIT %s
"""

_LISTED = """
SELECT n.event_id, n.brand, n.kind, n.decision, n.created_at,
       coalesce(array_agg(d.destination ORDER BY d.destination) FILTER (WHERE d.delivered), '{}'),
       coalesce(jsonb_object_agg(d.destination, coalesce(d.reason, ''))
                FILTER (WHERE NOT d.delivered), '{}')
FROM (SELECT * FROM notices
      WHERE %(brand)s::text IS NULL OR brand = %(brand)s
      ORDER BY created_at DESC LIMIT %(limit)s) n
LEFT JOIN notice_deliveries d USING (event_id)
GROUP BY n.event_id, n.brand, n.kind, n.decision, n.created_at
ORDER BY n.created_at DESC, n.event_id
"""


async def lost_notices(conn: AsyncConnection[Any], brand: str) -> list[LostNotice]:
    """The brand's deliveries that failed and were not told of yet, oldest first. Brand ``""``
    (stack-wide notices) has its own."""
    cur = await conn.execute(_LOST, (brand, MOST_LOST_TOLD))
    return [LostNotice(*row) for row in await cur.fetchall()]


class NoticeDeliveries:
    def __init__(self, pool: AsyncConnectionPool) -> None:
        self._pool = pool

    async def record(
        self,
        event_id: str,
        brand: str,
        destination: str,
        *,
        delivered: bool,
        reason: str | None,
        told_lost: list[str],
    ) -> int:
        """Record whether ``destination`` took the message ``event_id``; when it did, the lost
        messages it told of (``told_lost``) are told. Return how many were."""
        if not is_notify_env(destination):
            raise feed_error(
                "NotADestinationName",
                "a destination is named by its NOTIFY_* variable, never by its URL",
                retryable=False,
            )
        reason = None if delivered else (reason or "not delivered")[:_MOST_REASON_CHARACTERS]
        async with self._pool.connection() as conn, conn.transaction():
            # Once delivered, it stays delivered: a late report of a failed attempt changes
            # nothing.
            await conn.execute(
                "INSERT INTO notice_deliveries (event_id, destination, brand, delivered, reason)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (event_id, destination) DO UPDATE SET"
                " delivered = notice_deliveries.delivered OR EXCLUDED.delivered,"
                " reason = CASE WHEN notice_deliveries.delivered OR EXCLUDED.delivered"
                " THEN NULL ELSE EXCLUDED.reason END, at = now()",
                (event_id, destination, brand, delivered, reason),
            )
            if not delivered or not told_lost:
                return 0
            cur = await conn.execute(
                "UPDATE notice_deliveries SET told = true WHERE brand = %s"
                " AND event_id = ANY(%s) AND NOT delivered AND NOT told",
                (brand, told_lost),
            )
            return cur.rowcount

    async def listed(self, brand: str | None, limit: int) -> NoticeList:
        limit = max(1, min(limit, MOST_NOTICES_LISTED))
        async with self._pool.connection() as conn:
            cur = await conn.execute(_LISTED, {"brand": brand, "limit": limit})
            rows = await cur.fetchall()
        return NoticeList(
            notices=[
                NoticeRecord(event_id, brand_of, kind, decision, at, list(took), dict(failed))
                for event_id, brand_of, kind, decision, at, took, failed in rows
            ]
        )
