"""``feedpub plan``'s lines: a brand's coming slots in its local time, each with the run planned
for it (photo, captions, revision, approval) or when it will be planned. Pure: the entries come
from ``feedpub_apps.brand_plan``, which the console's pages are made from too."""

from __future__ import annotations

import textwrap
from datetime import datetime

from temporal_app.schedules import PlannedRun

from ..brand_plan import BrandPlan, SlotEntry, approval_of, local_moment, slot_entries

__all__ = ["plan_lines"]

CAPTION_WIDTH = 90
"""Captions are shortened to this many characters: a plan is read at a glance."""


def plan_lines(plan: BrandPlan, now: datetime, days: int) -> list[str]:
    brand = plan.brand
    approval = "approval required" if brand.approval == "required" else "no approval"
    ahead = f"plans {brand.plan_ahead} ahead" if brand.planned else "publishes at the slot"
    lines = [f"{brand.name}  ({brand.time_zone}; {ahead}; {approval}; schedule {plan.schedule})"]
    zone = brand.time_zone
    for entry in slot_entries(plan, now, days):
        if entry.run is not None:
            lines += _run_lines(entry.run, plan)
        else:
            lines.append(f"  {local_moment(entry.slot, zone)}  {_not_planned(entry, zone)}")
    lines += [f"  run {run_id} did not answer (is a worker running?)" for run_id in plan.unread]
    return lines


def _run_lines(run: PlannedRun, plan: BrandPlan) -> list[str]:
    progress = run.progress
    when = local_moment(run.slot, plan.brand.time_zone)
    lines = [
        f"  {when}  planned  revision {progress.revision}  [{run.workflow_id}]",
        f"      photo      {progress.photo_key or '(being chosen)'}",
    ]
    if progress.captions is None:
        return [*lines, f"      captions   being written ({progress.step})"]
    for platform in ("facebook", "instagram"):
        text = textwrap.shorten(getattr(progress.captions, platform), CAPTION_WIDTH)
        lines.append(f"      {platform:<10} {text}")
    return [*lines, f"      approval   {_approval(run, plan)}"]


def _approval(run: PlannedRun, plan: BrandPlan) -> str:
    approval = approval_of(run, plan.brand)
    if approval.decision:
        return approval.decision
    if not approval.needed or approval.deadline is None:
        return "not needed"
    return f"waiting, decide before {local_moment(approval.deadline, plan.brand.time_zone)}"


def _not_planned(entry: SlotEntry, time_zone: str) -> str:
    at = local_moment(entry.planning_at, time_zone) if entry.planning_at else ""
    return {
        "no schedule": "not planned: no schedule (run `feedpub schedules apply`)",
        "paused": "not planned: the schedule is paused",
        "at the slot": "prepared and published at the slot (plan_ahead = 0)",
        "later": f"not planned yet: planned at {at}",
        "missed": "not planned (its planning time has passed; see `feedpub schedules list`)",
    }.get(entry.not_planned or "", "not planned")
