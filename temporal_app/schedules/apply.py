"""Make the Temporal Schedules match ``brands.toml``: create, update, keep or prune the brands'
schedules, and create or update the one schedule of every brand's checks.

Idempotent: a schedule is updated only when ``compare.differences`` finds something to change,
so a second apply reports every brand ``unchanged``. A disabled brand, a pruned one, and one
whose posting times changed have their planned runs cancelled (``planned_runs``) where they no
longer have a slot to post at.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleUpdate,
    ScheduleUpdateInput,
)
from temporalio.service import RPCError

from feedpub.brands import Brand
from feedpub.contract.checks import CHECKS_SCHEDULE_ID
from feedpub.contract.run import WORKFLOW_NAME
from feedpub.contract.schedules import brand_of_schedule

from ..client import get_temporal_client
from ._rpc import is_not_found
from .compare import differences, state_to_keep
from .planned_runs import Cancellation, cancel_planned_runs, cancel_runs_off_posting_times
from .search_attribute import ensure_brand_search_attribute
from .spec import brand_schedule, checks_schedule

__all__ = ["CHECKS_LABEL", "ScheduleChange", "apply_checks_schedule", "apply_schedules"]

CHECKS_LABEL = "(all)"
"""What the checks' schedule shows where a brand's shows its name."""


@dataclass(frozen=True)
class ScheduleChange:
    """What apply did to one schedule."""

    brand: str
    """The brand, or ``CHECKS_LABEL`` for the schedule of every brand's checks."""
    schedule_id: str
    outcome: str
    """``created``, ``updated``, ``unchanged``, ``paused (disabled)``, ``deleted`` or ``kept``."""
    detail: str = ""
    parts: tuple[str, ...] = ()
    """The parts an update changed (``calendars``, ``time zone``, ...)."""
    cancelled: Cancellation | None = None
    """The brand's planned runs this apply cancelled: it is disabled or removed, or a posting
    time of theirs is."""

    def line(self) -> str:
        detail = f" ({self.detail})" if self.detail else ""
        return f"{self.brand:<16} {self.schedule_id:<32} {self.outcome}{detail}"

    def lines(self) -> list[str]:
        """``line``, then what was cancelled, if anything was."""
        told = self.cancelled.lines() if self.cancelled and self.cancelled.found else []
        return [self.line(), *(f"  {line}" for line in told)]


async def apply_schedules(
    brands: Mapping[str, Brand],
    *,
    task_queue: str,
    prune: bool = False,
    client: Client | None = None,
) -> list[ScheduleChange]:
    """Create or update each brand's schedule; report the schedules of removed brands.

    A ``-daily-posts`` schedule whose brand is no longer in ``brands`` is kept and reported,
    or deleted with ``prune``. Only schedules starting ``FeedPublisherWorkflow`` on
    ``task_queue`` count, so another deployment sharing the namespace is left alone. Removed
    brands are found through ``list_schedules``, which reads the visibility store and lags by
    a second or so: a schedule created a moment ago may be missed, and is pruned next time.

    The ``Brand`` search attribute the runs carry is registered first when it is missing
    (``SearchAttributeUnavailable`` when the server does not allow that).
    """
    client = client or await get_temporal_client()
    await ensure_brand_search_attribute(client)
    changes = [await _apply_brand(client, brand, task_queue) for brand in brands.values()]
    return changes + await _removed_brands(client, set(brands), task_queue, prune)


async def apply_checks_schedule(*, task_queue: str, client: Client | None = None) -> ScheduleChange:
    """Create or update the one schedule of every brand's daily checks and weekly digest.

    Its id is no brand's, so ``--prune`` never deletes it; a pause made by hand survives, as a
    brand's does.
    """
    client = client or await get_temporal_client()
    return await _upsert(client, CHECKS_LABEL, CHECKS_SCHEDULE_ID, checks_schedule(task_queue))


async def _apply_brand(client: Client, brand: Brand, task_queue: str) -> ScheduleChange:
    desired = brand_schedule(brand, task_queue)
    change = await _upsert(client, brand.name, brand.schedule_id, desired, enabled=brand.enabled)
    if not brand.enabled:
        # Every apply, not only the one that disables: a run planned meanwhile is cancelled too.
        return replace(change, cancelled=await cancel_planned_runs(client, brand))
    if {"calendars", "time zone"} & set(change.parts):
        return replace(change, cancelled=await cancel_runs_off_posting_times(client, brand))
    return change


async def _upsert(
    client: Client, label: str, schedule_id: str, desired: Schedule, *, enabled: bool = True
) -> ScheduleChange:
    try:
        await client.create_schedule(schedule_id, desired)
    except ScheduleAlreadyRunningError:
        pass
    else:
        if not enabled:
            return ScheduleChange(label, schedule_id, "paused (disabled)", "created")
        return ScheduleChange(label, schedule_id, "created")

    found: list[str] = []
    kept_pause: list[str] = []

    def updater(update: ScheduleUpdateInput) -> ScheduleUpdate | None:
        # Called again if the schedule changed meanwhile: recompute from scratch each time.
        current = update.description.schedule
        state = state_to_keep(desired.state, current.state)
        wanted = replace(desired, state=state)
        found[:] = differences(wanted, current, client.data_converter.payload_converter)
        kept_pause[:] = [state.note or ""] if state.paused and enabled else []
        return ScheduleUpdate(wanted) if found else None

    await client.get_schedule_handle(schedule_id).update(updater)
    if not found:
        detail = f"paused by hand: {kept_pause[0]}" if kept_pause else ""
        return ScheduleChange(label, schedule_id, "unchanged", detail)
    if "paused" in found:
        others = ", ".join(change for change in found if change != "paused")
        return ScheduleChange(label, schedule_id, "paused (disabled)", others, tuple(found))
    return ScheduleChange(label, schedule_id, "updated", ", ".join(found), tuple(found))


async def _removed_brands(
    client: Client, known: set[str], task_queue: str, prune: bool
) -> list[ScheduleChange]:
    changes = []
    async for listed in await client.list_schedules():
        name = brand_of_schedule(listed.id)
        if name is None or name in known:
            continue
        handle = client.get_schedule_handle(listed.id)
        try:
            action = (await handle.describe()).schedule.action
        except RPCError as exc:
            if is_not_found(exc):  # deleted since the listing was read
                continue
            raise
        if not (
            isinstance(action, ScheduleActionStartWorkflow)
            and action.workflow == WORKFLOW_NAME
            and action.task_queue == task_queue
        ):
            continue
        if not prune:
            changes.append(
                ScheduleChange(name, listed.id, "kept", "not in brands file; --prune deletes it")
            )
            continue
        try:
            await handle.delete()
        except RPCError as exc:
            if not is_not_found(exc):
                raise
        cancelled = await cancel_planned_runs(client, name)
        changes.append(
            ScheduleChange(name, listed.id, "deleted", "not in brands file", cancelled=cancelled)
        )
    return sorted(changes, key=lambda change: change.schedule_id)
