"""``feedpub plan``'s lines: a brand's coming slots in its local time, each with the run planned
for it (photo, captions, revision, approval) or when it will be planned. Pure: the command
reads Temporal and hands the runs in."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from feedpub.brands import Brand
from feedpub.posting_slots import clock_time, planning_times
from temporal_app.schedules import PlannedRun

__all__ = ["BrandPlan", "coming_slots", "plan_lines", "planning_moment"]

CAPTION_WIDTH = 90
"""Captions are shortened to this many characters: a plan is read at a glance."""


@dataclass
class BrandPlan:
    """What the command found about one brand."""

    brand: Brand
    runs: Sequence[PlannedRun]
    schedule: str = "active"
    """``active``, ``paused: <note>`` or ``missing``."""
    unread: Sequence[str] = ()
    """Workflow ids of the brand's runs that did not answer."""


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


def plan_lines(plan: BrandPlan, now: datetime, days: int) -> list[str]:
    brand = plan.brand
    zone = ZoneInfo(brand.time_zone)
    approval = "approval required" if brand.approval == "required" else "no approval"
    ahead = f"plans {brand.plan_ahead} ahead" if brand.planned else "publishes at the slot"
    lines = [f"{brand.name}  ({brand.time_zone}; {ahead}; {approval}; schedule {plan.schedule})"]
    runs = {run.slot: run for run in plan.runs}
    for slot in coming_slots(brand, now, days):
        run = runs.pop(slot, None)
        if run is not None:
            lines += _run_lines(run, brand, zone)
        else:
            lines.append(f"  {_local(slot, zone)}  {_not_planned(plan, slot, now, zone)}")
    for run in runs.values():  # planned by hand, for a slot the brand no longer has, or later
        lines += _run_lines(run, brand, zone)
    lines += [f"  run {run_id} did not answer (is a worker running?)" for run_id in plan.unread]
    return lines


def _run_lines(run: PlannedRun, brand: Brand, zone: ZoneInfo) -> list[str]:
    progress = run.progress
    lines = [
        f"  {_local(run.slot, zone)}  planned  revision {progress.revision}  [{run.workflow_id}]",
        f"      photo      {progress.photo_key or '(being chosen)'}",
    ]
    if progress.captions is None:
        return [*lines, f"      captions   being written ({progress.step})"]
    for platform in ("facebook", "instagram"):
        text = textwrap.shorten(getattr(progress.captions, platform), CAPTION_WIDTH)
        lines.append(f"      {platform:<10} {text}")
    return [*lines, f"      approval   {_approval(run, brand, zone)}"]


def _approval(run: PlannedRun, brand: Brand, zone: ZoneInfo) -> str:
    if run.progress.decision:
        return run.progress.decision
    if brand.approval != "required":
        return "not needed"
    until = run.progress.awaiting_approval_until
    deadline = datetime.fromisoformat(until) if until else run.slot
    return f"waiting, decide before {_local(deadline, zone)}"


def _not_planned(plan: BrandPlan, slot: datetime, now: datetime, zone: ZoneInfo) -> str:
    if plan.schedule == "missing":
        return "not planned: no schedule (run `feedpub schedules apply`)"
    if plan.schedule != "active":
        return "not planned: the schedule is paused"
    at = planning_moment(plan.brand, slot)
    if at is None:
        return "prepared and published at the slot (plan_ahead = 0)"
    if at > now:
        return f"not planned yet: planned at {_local(at, zone)}"
    return "not planned (its planning time has passed; see `feedpub schedules list`)"


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%a %Y-%m-%d %H:%M %Z}"
