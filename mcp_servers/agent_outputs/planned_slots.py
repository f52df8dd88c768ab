"""The (brand, slot) claims: one run plans each slot of a brand, decided by PostgreSQL's
primary key.

A claim inserts the row or, when another transaction got there first, reads who holds it: an
insert that meets a row being inserted waits for that transaction to end, so ten runs claiming
at once get one ``claimed`` and nine answers naming the same holder. The same run claiming
again (a retried activity) is answered ``claimed``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from psycopg_pool import AsyncConnectionPool

from feedpub.contract.tools import PlannedSlot, PlannedSlots, SlotClaim

__all__ = ["SlotClaims"]

_ATTEMPTS = 5
"""Tries when the holder releases the slot between our insert and our read of it."""


class SlotClaims:
    def __init__(self, pool: AsyncConnectionPool) -> None:
        self._pool = pool

    async def claim(self, brand: str, slot: datetime, workflow_id: str, run_id: str) -> SlotClaim:
        async with self._pool.connection() as conn:
            for _ in range(_ATTEMPTS):
                cur = await conn.execute(
                    "INSERT INTO planned_slots (brand, slot, workflow_id, run_id)"
                    " VALUES (%s, %s, %s, %s) ON CONFLICT (brand, slot) DO NOTHING"
                    " RETURNING run_id",
                    (brand, slot, workflow_id, run_id),
                )
                if await cur.fetchone() is not None:
                    await conn.commit()
                    return SlotClaim(True, workflow_id, run_id)
                # A statement of its own: it sees the row the conflicting insert committed.
                cur = await conn.execute(
                    "SELECT workflow_id, run_id FROM planned_slots WHERE brand = %s AND slot = %s",
                    (brand, slot),
                )
                holder = await cur.fetchone()
                await conn.commit()
                if holder is not None:
                    return SlotClaim(holder[1] == run_id, holder[0], holder[1])
        raise RuntimeError(f"the claim of {brand} at {slot.isoformat()} kept changing hands")

    async def release(self, brand: str, slot: datetime, run_id: str) -> bool:
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                "DELETE FROM planned_slots WHERE brand = %s AND slot = %s AND run_id = %s"
                " RETURNING run_id",
                (brand, slot, run_id),
            )
            return await cur.fetchone() is not None

    async def listed(self, brand: str | None, since: datetime | None) -> PlannedSlots:
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                "SELECT brand, slot, workflow_id, run_id, claimed_at FROM planned_slots"
                " WHERE (%(brand)s::text IS NULL OR brand = %(brand)s)"
                " AND (%(since)s::timestamptz IS NULL OR slot >= %(since)s)"
                " ORDER BY slot, brand LIMIT 1000",
                {"brand": brand, "since": since},
            )
            rows = await cur.fetchall()
        return PlannedSlots([
            PlannedSlot(brand, _utc(slot), workflow_id, run_id, _utc(claimed_at))
            for brand, slot, workflow_id, run_id, claimed_at in rows
        ])  # fmt: skip


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()
