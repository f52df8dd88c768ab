"""Claiming a notice: once per event id, one transaction decides whether it is told now.

- An event claimed before gets the same answer again, with the destinations that took it.
- A one-off kind (an approval waiting, the digest...) is sent.
- ``back_to_normal`` ends the brand's open conditions it names; it is sent when one was open.
- A problem opens its condition and is sent. While the condition is open, a change of kind
  (expiring to invalid, low to out) is news and is sent; a standing problem (``STANDING``:
  photos low, a token expiring...) found again is not told again; the same kind within the brand's
  window of the last message is folded (the first fold of a window sets when the follow-up
  is due); after the window, and a window after a follow-up that was due, it is sent again
  as a reminder and the window starts again.

The condition's row is locked (inserted, or selected ``FOR UPDATE``) for the decision, so
notifiers claiming at once, on any replica, never both send the first message of a problem.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from psycopg import AsyncConnection
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool
from pydantic import TypeAdapter

from feedpub.contract.notices import ONE_OFF, STANDING, Notice, NoticeClaim
from feedpub.contract.tools import OpenProblem, OpenProblems
from mcp_servers._errors import feed_error

from .deliveries import lost_notices
from .windows import RepeatWindows

__all__ = ["NoticeClaims"]

_CLAIM = TypeAdapter(NoticeClaim)
_ATTEMPTS = 5
"""Tries at opening or locking a condition that recoveries keep ending in between."""


class NoticeClaims:
    def __init__(self, pool: AsyncConnectionPool, windows: RepeatWindows) -> None:
        self._pool = pool
        self._windows = windows

    async def open_problems(self, brand: str | None) -> OpenProblems:
        """The conditions open now (of ``brand``, or of every brand), oldest first."""
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                "SELECT brand, condition, kind, opened_at, last_sent_at FROM notice_conditions"
                " WHERE %(brand)s::text IS NULL OR brand = %(brand)s ORDER BY opened_at",
                {"brand": brand},
            )
            rows = await cur.fetchall()
        return OpenProblems([OpenProblem(*row) for row in rows])

    async def claim(self, notice: Notice) -> NoticeClaim:
        async with self._pool.connection() as conn, conn.transaction():
            # A claim of the same event under way waits here for the first one to commit.
            cur = await conn.execute(
                "INSERT INTO notices (event_id, brand, kind, condition, decision, notice)"
                " VALUES (%s, %s, %s, %s, 'claiming', %s)"
                " ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
                (
                    notice.event_id,
                    notice.brand,
                    notice.kind,
                    notice.condition,
                    Jsonb(dataclasses.asdict(notice)),
                ),
            )
            if await cur.fetchone() is None:
                return await _claimed_before(conn, notice.event_id)
            decision, claim = await self._decide(conn, notice)
            if decision == "skipped":
                # A recovery with nothing to end: every good run and every watchdog round
                # asks, and rows of nothing told would bury the ledger's history.
                await conn.execute("DELETE FROM notices WHERE event_id = %s", (notice.event_id,))
                return claim
            if claim.send:
                claim.lost = await lost_notices(conn, notice.brand)
            await conn.execute(
                "UPDATE notices SET decision = %s, answer = %s WHERE event_id = %s",
                (decision, Jsonb(_CLAIM.dump_python(claim, mode="json")), notice.event_id),
            )
        return claim

    async def _decide(self, conn: AsyncConnection[Any], notice: Notice) -> tuple[str, NoticeClaim]:
        if notice.kind == "back_to_normal":
            return await _recovery(conn, notice)
        if notice.kind in ONE_OFF or not notice.condition:
            return "sent", NoticeClaim(send=True)
        window = timedelta(seconds=self._windows(notice.brand))
        key = (notice.brand, notice.condition)
        for _ in range(_ATTEMPTS):
            cur = await conn.execute(
                "INSERT INTO notice_conditions (brand, condition, kind, opened_at, last_sent_at)"
                " VALUES (%s, %s, %s, now(), now()) ON CONFLICT (brand, condition) DO NOTHING"
                " RETURNING opened_at",
                (*key, notice.kind),
            )
            if await cur.fetchone() is not None:
                return "sent", NoticeClaim(send=True)
            cur = await conn.execute(
                "SELECT kind, opened_at, last_sent_at, folded, follow_up_at, now()"
                " FROM notice_conditions WHERE brand = %s AND condition = %s FOR UPDATE",
                key,
            )
            row = await cur.fetchone()
            if row is not None:
                return await _repeat(conn, notice, window, *row)
        raise feed_error(
            "NoticeConditionBusy",
            f"condition '{notice.condition}' of brand '{notice.brand}' keeps changing",
            retryable=True,
        )


async def _claimed_before(conn: AsyncConnection[Any], event_id: str) -> NoticeClaim:
    cur = await conn.execute(
        "SELECT n.answer, coalesce(array_agg(d.destination ORDER BY d.destination)"
        " FILTER (WHERE d.delivered), '{}') FROM notices n"
        " LEFT JOIN notice_deliveries d USING (event_id) WHERE n.event_id = %s GROUP BY n.event_id",
        (event_id,),
    )
    row = await cur.fetchone()
    assert row is not None  # inserted and committed by the claim that came first
    claim = _CLAIM.validate_python(row[0])
    claim.delivered = list(row[1])
    return claim


async def _recovery(conn: AsyncConnection[Any], notice: Notice) -> tuple[str, NoticeClaim]:
    cur = await conn.execute(
        "DELETE FROM notice_conditions WHERE brand = %s AND condition = ANY(%s)"
        " RETURNING condition, kind",
        (notice.brand, list(notice.clears)),
    )
    ended = dict(await cur.fetchall())
    cleared = [ended[condition] for condition in notice.clears if condition in ended]
    if not cleared:
        return "skipped", NoticeClaim(send=False)
    return "sent", NoticeClaim(send=True, cleared=cleared)


async def _repeat(
    conn: AsyncConnection[Any],
    notice: Notice,
    window: timedelta,
    kind: str,
    opened_at: datetime,
    last_sent_at: datetime,
    folded: int,
    follow_up_at: datetime | None,
    now: datetime,
) -> tuple[str, NoticeClaim]:
    """The decision on a notice of an open condition, its row locked."""
    where = " WHERE brand = %s AND condition = %s"
    key = (notice.brand, notice.condition)
    if kind == notice.kind and kind in STANDING:
        await conn.execute(f"UPDATE notice_conditions SET folded = folded + 1{where}", key)
        return "folded", NoticeClaim(send=False, folded=folded + 1)
    # A follow-up due and not yet closed takes the repeats that come meanwhile, unless its
    # notifier has been gone a whole window.
    fold_until = (follow_up_at or last_sent_at) + window
    if kind == notice.kind and now < fold_until:
        first = follow_up_at is None
        due = last_sent_at + window if first else follow_up_at
        await conn.execute(
            f"UPDATE notice_conditions SET folded = folded + 1, follow_up_at = %s{where}",
            (due, *key),
        )
        return "folded", NoticeClaim(
            send=False, folded=folded + 1, follow_up_at=due if first else None
        )
    await conn.execute(
        "UPDATE notice_conditions SET kind = %s, last_sent_at = now(), folded = 0,"
        f" follow_up_at = NULL{where}",
        (notice.kind, *key),
    )
    if kind != notice.kind:
        return "sent", NoticeClaim(send=True)  # news: the problem changed
    return "sent", NoticeClaim(send=True, repeat_of=opened_at.astimezone(UTC).isoformat())
