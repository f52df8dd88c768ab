"""Operate one schedule by its id (``"pomandi-daily-posts"``): pause, unpause, trigger, backfill,
delete, as ``feedpub schedules``, the operators' scripts and other Python code call them; and
pause or unpause a brand as ``feedpub schedules`` and the console do (``pause_brand`` also
cancels the runs the schedule planned already).

Each function connects with ``get_temporal_client()`` (``TEMPORAL_ADDRESS``) unless a client
is given. A missing schedule raises ``temporalio.service.RPCError`` with status NOT_FOUND.
"""

from __future__ import annotations

from datetime import datetime

from temporalio.client import Client, ScheduleBackfill, ScheduleHandle, ScheduleOverlapPolicy

from feedpub.brands import Brand

from ..client import get_temporal_client
from .planned_runs import Cancellation, cancel_planned_runs

__all__ = [
    "PAUSED_NOTE",
    "UNPAUSED_NOTE",
    "BrandDisabled",
    "backfill_schedule",
    "delete_schedule",
    "pause_brand",
    "pause_schedule",
    "trigger_schedule_now",
    "unpause_brand",
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


class BrandDisabled(ValueError):
    """A brand set ``enabled = false`` stays paused until the file says otherwise."""

    def __init__(self, brand: str) -> None:
        super().__init__(
            f"brand '{brand}' is disabled in brands.toml (enabled = false): set it to true "
            "and run `feedpub schedules apply`"
        )


async def pause_brand(
    brand: Brand, note: str | None = None, *, client: Client | None = None
) -> Cancellation:
    """Pause the brand's schedule, then cancel the runs it planned already: a paused schedule
    starts nothing, but a run planned before would still post at its slot."""
    client = client or await get_temporal_client()
    await pause_schedule(brand.schedule_id, note, client=client)
    return await cancel_planned_runs(client, brand)


async def unpause_brand(
    brand: Brand, note: str | None = None, *, client: Client | None = None
) -> None:
    """Let the brand's schedule start runs again (the slots a pause emptied stay empty);
    BrandDisabled for a brand its file disables."""
    if not brand.enabled:
        raise BrandDisabled(brand.name)
    await unpause_schedule(brand.schedule_id, note, client=client)


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
