"""A condition's window: how long repeats of a problem fold, and its close into one follow-up.

The window's clock is the database's (``now()``), whichever process asks: notifiers on other
machines may disagree on the time, never on the order of events.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from psycopg import AsyncConnection
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool
from pydantic import TypeAdapter

from feedpub.brands import Brand
from feedpub.contract.notices import FollowUp, event_id_of
from mcp_servers._errors import feed_error

from .deliveries import lost_notices

__all__ = ["DEFAULT_WINDOW_SECONDS", "NoticeWindows", "RepeatWindows", "follow_up_event_id"]

DEFAULT_WINDOW_SECONDS = 6 * 3600
"""The window of stack-wide notices (brand ``""``) and of a brand the file no longer names."""
_FOLLOW_UP = TypeAdapter(FollowUp)


@dataclass(frozen=True)
class RepeatWindows:
    """Each brand's window, in seconds (``notify_repeat_window`` in brands.toml)."""

    seconds: Mapping[str, int]

    @classmethod
    def of(cls, brands: Mapping[str, Brand]) -> RepeatWindows:
        return cls({name: brand.repeat_window_seconds for name, brand in brands.items()})

    def __call__(self, brand: str) -> int:
        return self.seconds.get(brand, DEFAULT_WINDOW_SECONDS)


def follow_up_event_id(brand: str, condition: str, follow_up_at: datetime) -> str:
    """The follow-up's event id: the same window always gives the same one."""
    return event_id_of("follow-up", brand, condition, follow_up_at.astimezone(UTC).isoformat())


class NoticeWindows:
    def __init__(self, pool: AsyncConnectionPool) -> None:
        self._pool = pool

    async def close(self, brand: str, condition: str, follow_up_at: datetime | None) -> FollowUp:
        """The follow-up of the condition's window when it is due and repeats were folded in
        it (the window starts again); the same answer for the same ``follow_up_at`` asked
        again; ``send=False`` when there is nothing to tell."""
        if follow_up_at is not None and follow_up_at.tzinfo is None:
            follow_up_at = follow_up_at.replace(tzinfo=UTC)
        async with self._pool.connection() as conn, conn.transaction():
            # The row locked first: a second close of the same window waits, then finds the
            # first one's answer.
            cur = await conn.execute(
                "SELECT kind, opened_at, folded, follow_up_at, now() FROM notice_conditions"
                " WHERE brand = %s AND condition = %s FOR UPDATE",
                (brand, condition),
            )
            row = await cur.fetchone()
            if follow_up_at is not None:
                told = await _told(conn, follow_up_event_id(brand, condition, follow_up_at))
                if told is not None:
                    return told
            if row is None or row[3] is None or row[2] == 0:
                return FollowUp(send=False)
            kind, opened_at, folded, due, now = row
            if follow_up_at is not None and due != follow_up_at:
                return FollowUp(send=False)  # another window's, told or cleared since
            if due > now:
                raise _not_yet(brand, condition, due, now)
            event_id = follow_up_event_id(brand, condition, due)
            answer = FollowUp(
                send=True,
                kind=kind,
                count=folded,
                since=opened_at,
                event_id=event_id,
                lost=await lost_notices(conn, brand),
            )
            await conn.execute(
                "UPDATE notice_conditions SET folded = 0, last_sent_at = now(),"
                " follow_up_at = NULL WHERE brand = %s AND condition = %s",
                (brand, condition),
            )
            await conn.execute(
                "INSERT INTO notices (event_id, brand, kind, condition, decision, answer)"
                " VALUES (%s, %s, %s, %s, 'follow-up', %s)",
                (
                    event_id,
                    brand,
                    kind,
                    condition,
                    Jsonb(_FOLLOW_UP.dump_python(answer, mode="json")),
                ),
            )
        return answer


async def _told(conn: AsyncConnection[Any], event_id: str) -> FollowUp | None:
    cur = await conn.execute("SELECT answer FROM notices WHERE event_id = %s", (event_id,))
    row = await cur.fetchone()
    return None if row is None else _FOLLOW_UP.validate_python(row[0])


def _not_yet(brand: str, condition: str, due: datetime, now: datetime) -> Exception:
    """A close asked before the window's end (the caller's clock ahead of the database's):
    retried when it ends, so the follow-up is not lost."""
    seconds = max(1, int((due - now).total_seconds() + 1))
    return feed_error(
        "NoticeWindowOpen",
        f"the window of '{condition}' for brand '{brand or '-'}' closes at {due.isoformat()}",
        retryable=True,
        retry_after_seconds=seconds,
    )
