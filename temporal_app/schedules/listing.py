"""``feedpub schedules list``'s lines: each brand's schedule, then the checks' schedule."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from feedpub.contract.checks import CHECKS_SCHEDULE_ID
from feedpub.posting_slots import planned_slot

from .apply import CHECKS_LABEL
from .status import BrandSchedule, ScheduleView

__all__ = ["format_brand_schedule", "format_checks_schedule"]


def format_brand_schedule(view: BrandSchedule) -> list[str]:
    """Lines for a terminal: state, next slots in the brand's zone and in UTC, last run."""
    brand = view.brand
    times = ", ".join(brand.posting_times)
    head = f"{brand.name}  {brand.schedule_id}  daily at {times} {brand.time_zone}"
    if brand.planned:
        head += f", each planned {brand.plan_ahead} ahead"
    if not view.exists:
        return [head, "  no schedule: run `feedpub schedules apply`"]
    lines = [head, _state_line(view)]
    zone = ZoneInfo(brand.time_zone)
    for index, moment in enumerate(view.next_runs):
        local = moment.astimezone(zone)
        label = ("next slot" if view.paused else "next runs") if index == 0 else ""
        utc = moment.astimezone(UTC)
        line = f"  {label:<9} {local:%a %Y-%m-%d %H:%M %Z}  =  {utc:%Y-%m-%d %H:%M} UTC"
        # A planned brand's runs start ahead of their slots: say which slot each one plans.
        slot = planned_slot(brand, moment) if brand.planned else None
        lines.append(line + (f"  plans {slot.astimezone(zone):%a %H:%M}" if slot else ""))
    if view.paused and view.next_runs:
        lines.append("            (skipped while paused)")
    return lines + _last_run_lines(view)


def format_checks_schedule(view: ScheduleView) -> list[str]:
    """Lines for a terminal: what the checks' schedule does, its state, next ticks, last run."""
    head = (
        f"{CHECKS_LABEL}  {CHECKS_SCHEDULE_ID}  hourly: each brand's token and photos at its "
        "daily_check_time, its digest at its digest time"
    )
    if not view.exists:
        return [head, "  no schedule: run `feedpub schedules apply`"]
    lines = [head, _state_line(view)]
    for index, moment in enumerate(view.next_runs):
        label = "next runs" if index == 0 else ""
        lines.append(f"  {label:<9} {moment.astimezone(UTC):%a %Y-%m-%d %H:%M} UTC")
    return lines + _last_run_lines(view)


def _state_line(view: ScheduleView) -> str:
    state = "paused" if view.paused else "active"
    return f"  state     {state}" + (f" — {view.note}" if view.note else "")


def _last_run_lines(view: ScheduleView) -> list[str]:
    lines = [] if view.next_runs else ["  next runs none"]
    run = view.last_run
    if run is None:
        return [*lines, "  last run  none yet"]
    result = run.status + (f", {run.report_status}" if run.report_status else "")
    result += f": {run.reason}" if run.reason else ""
    return [
        *lines,
        f"  last run  {run.workflow_id}",
        f"            started {run.started_at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC — {result}",
    ]
