"""A brand's plan as ``feedpub plan`` and the console show it: its coming slots in its local
time, the run planned for each (photo, captions, revision, approval) or why there is none yet.

``read_plan`` asks Temporal (the runs in flight by the ``Brand`` search attribute, the brand's
schedule); everything else is pure, so the command's lines and the console's pages are made
from the same entries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from feedpub.brands import Brand
from feedpub.posting_slots import clock_time, planning_times
from temporal_app.schedules import PlannedRun, planned_runs

__all__ = [
    "Approval",
    "BrandPlan",
    "NotPlanned",
    "SlotEntry",
    "approval_of",
    "by_day",
    "coming_slots",
    "local_moment",
    "planning_moment",
    "read_plan",
    "schedule_state",
    "slot_entries",
]

NotPlanned = Literal["no schedule", "paused", "at the slot", "later", "missed"]
"""Why a coming slot has no run: the brand has no schedule, it is paused, it prepares its posts
at the slot, its planning time is still to come (``later``) or has passed (``missed``)."""


@dataclass
class BrandPlan:
    """What Temporal says of one brand's plan."""

    brand: Brand
    runs: Sequence[PlannedRun]
    schedule: str = "active"
    """``active``, ``paused: <note>`` or ``missing``."""
    unread: Sequence[str] = ()
    """Workflow ids of the brand's runs that did not answer."""

    @property
    def paused(self) -> bool:
        return self.schedule.startswith("paused")


@dataclass(frozen=True)
class SlotEntry:
    """One coming slot of the brand, and the run planned for it or why none is."""

    slot: datetime
    """Aware, in the brand's zone."""
    run: PlannedRun | None = None
    not_planned: NotPlanned | None = None
    planning_at: datetime | None = None
    """``later`` and ``missed``: when the schedule plans (or was to plan) the slot's run."""


@dataclass(frozen=True)
class Approval:
    """Where a planned run's approval stands."""

    decision: str | None = None
    """``approved`` or ``edited`` once a person decided."""
    needed: bool = True
    deadline: datetime | None = None
    """Undecided and needed: when the run stops waiting (its slot at the latest)."""


async def read_plan(client: Client, brand: Brand) -> BrandPlan:
    """The brand's planned runs in flight and its schedule's state, from Temporal."""
    runs, unread = await planned_runs(client, brand.name)
    return BrandPlan(brand, runs, await schedule_state(client, brand), unread)


async def schedule_state(client: Client, brand: Brand) -> str:
    """``active``, ``paused: <note>``, or ``missing`` when Temporal has no schedule for it."""
    try:
        state = (await client.get_schedule_handle(brand.schedule_id).describe()).schedule.state
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return "missing"
        raise
    return f"paused: {state.note}" if state.paused else "active"


def coming_slots(brand: Brand, now: datetime, days: int) -> list[datetime]:
    """The brand's slots after ``now`` and within ``days`` days, aware in its zone."""
    zone = ZoneInfo(brand.time_zone)
    local = now.astimezone(zone)
    slots = [
        # Wall-clock time in the brand's zone: 09:00 stays 09:00 across DST.
        datetime.combine(local.date() + timedelta(days=day), clock_time(text), tzinfo=zone)
        for day in range(days + 1)
        for text in brand.posting_times
    ]
    end = now + timedelta(days=days)
    return sorted(slot for slot in slots if now < slot <= end)


def planning_moment(brand: Brand, slot: datetime) -> datetime | None:
    """When the brand's schedule starts the run of ``slot``, in wall-clock time (09:00 planned
    18 h ahead: 15:00 the day before, whatever a DST change does between); None for a brand
    that prepares its posts at the slot, or a slot that is none of its posting times."""
    zone = ZoneInfo(brand.time_zone)
    local = slot.astimezone(zone)
    for planning in planning_times(brand):
        if planning.posting_time == f"{local:%H:%M}":
            day = local.date() - timedelta(days=planning.days_ahead)
            return datetime.combine(day, planning.at, tzinfo=zone)
    return None


def slot_entries(plan: BrandPlan, now: datetime, days: int) -> list[SlotEntry]:
    """The brand's slots within ``days`` days, each with its planned run or why it has none;
    then the runs planned for no coming slot of the brand (by hand, for a posting time it no
    longer has, or further ahead)."""
    runs = {run.slot: run for run in plan.runs}
    entries = []
    for slot in coming_slots(plan.brand, now, days):
        run = runs.pop(slot, None)
        entries.append(SlotEntry(slot, run) if run else _not_planned(plan, slot, now))
    zone = ZoneInfo(plan.brand.time_zone)
    return entries + [SlotEntry(run.slot.astimezone(zone), run) for run in runs.values()]


def by_day(entries: Sequence[SlotEntry]) -> list[tuple[date, list[SlotEntry]]]:
    """``entries`` in time order, grouped by their local date."""
    days: dict[date, list[SlotEntry]] = {}
    for entry in sorted(entries, key=lambda entry: entry.slot):
        days.setdefault(entry.slot.date(), []).append(entry)
    return list(days.items())


def approval_of(run: PlannedRun, brand: Brand) -> Approval:
    if run.progress.decision:
        return Approval(decision=run.progress.decision)
    if brand.approval != "required":
        return Approval(needed=False)
    until = run.progress.awaiting_approval_until
    return Approval(deadline=datetime.fromisoformat(until) if until else run.slot)


def _not_planned(plan: BrandPlan, slot: datetime, now: datetime) -> SlotEntry:
    if plan.schedule == "missing":
        return SlotEntry(slot, not_planned="no schedule")
    if plan.schedule != "active":
        return SlotEntry(slot, not_planned="paused")
    at = planning_moment(plan.brand, slot)
    if at is None:
        return SlotEntry(slot, not_planned="at the slot")
    return SlotEntry(slot, not_planned="later" if at > now else "missed", planning_at=at)


def local_moment(moment: datetime, time_zone: str) -> str:
    """``Tue 2026-12-08 09:00 CET``: ``moment`` in the brand's zone."""
    return f"{moment.astimezone(ZoneInfo(time_zone)):%a %Y-%m-%d %H:%M %Z}"
