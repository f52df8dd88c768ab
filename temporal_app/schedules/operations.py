"""Operate one schedule by its id (``"pomandi-daily-posts"``): pause, unpause, trigger, backfill,
delete, as ``feedpub schedules``, the operators' scripts and other Python code call them.

Each function connects with ``get_temporal_client()`` (``TEMPORAL_ADDRESS``) unless a client
is given. A missing schedule raises ``temporalio.service.RPCError`` with status NOT_FOUND.
"""

from __future__ import annotations

from datetime import datetime

from temporalio.client import Client, ScheduleBackfill, ScheduleHandle, ScheduleOverlapPolicy

from ..client import get_temporal_client

__all__ = [
    "PAUSED_NOTE",
    "UNPAUSED_NOTE",
    "backfill_schedule",
    "delete_schedule",
    "pause_schedule",
    "trigger_schedule_now",
    "unpause_schedule",
]

PAUSED_NOTE = "paused by an operator"
UNPAUSED_NOTE = "unpaused by an operator"


async def _handle(schedule_id: str, client: Client | None) -> ScheduleHandle:
    return (client or await get_temporal_client()).get_schedule_handle(schedule_id)


async def pause_schedule(
    schedule_id: str, note: str | None = None, *, client: Client | None = None
) -> None:
    """Stop the schedule's slots from starting runs; ``note`` says why (shown by ``list``).

    ``feedpub schedules apply`` leaves a schedule paused this way paused.
    """
    await (await _handle(schedule_id, client)).pause(note=note or PAUSED_NOTE)


async def unpause_schedule(
    schedule_id: str, note: str | None = None, *, client: Client | None = None
) -> None:
    """Let the schedule's slots start runs again."""
    await (await _handle(schedule_id, client)).unpause(note=note or UNPAUSED_NOTE)


async def trigger_schedule_now(schedule_id: str, *, client: Client | None = None) -> None:
    """Start one run now, as if a slot had come.

    The schedule's overlap policy applies: with ``skip`` nothing starts while a run is going.
    """
    await (await _handle(schedule_id, client)).trigger()


async def delete_schedule(schedule_id: str, *, client: Client | None = None) -> None:
    """Delete the schedule; runs it already started go on."""
    await (await _handle(schedule_id, client)).delete()


async def backfill_schedule(
    schedule_id: str,
    start: datetime,
    end: datetime,
    *,
    overlap: ScheduleOverlapPolicy | None = None,
    client: Client | None = None,
) -> None:
    """Take the slots between ``start`` (exclusive) and ``end`` now, as if they came now.

    Both must be time-zone aware. The catch-up window does not apply to a backfill; the
    overlap policy does unless ``overlap`` overrides it (``ALLOW_ALL`` posts every slot).
    """
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("backfill start and end must carry a time zone")
    if start >= end:
        raise ValueError("backfill start must be before its end")
    backfill = ScheduleBackfill(start_at=start, end_at=end, overlap=overlap)
    await (await _handle(schedule_id, client)).backfill(backfill)
