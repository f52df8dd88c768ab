"""Posting slots in a brand's own time zone: the wall-clock times of ``posting_times``, when the
next one comes, and for a brand that plans ahead, when each slot's run starts and which slot a
run started at a given moment plans.

Planning is wall-clock arithmetic: 09:00 with ``plan_ahead = "18h"`` is planned at 15:00 local
the day before, and a run started then posts at 09:00 local the next day, even when a
daylight-saving change in between makes that 17 or 19 real hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from feedpub.brands import Brand

__all__ = ["PlanningTime", "clock_time", "next_slot_after", "planned_slot", "planning_times"]

_DAY_MINUTES = 24 * 60
# A scheduled start carries the calendar's exact second; a trigger's carries its own moment.
_SAME_MOMENT = timedelta(seconds=1)


@dataclass(frozen=True)
class PlanningTime:
    """When, in local wall-clock time, the run of one posting time starts."""

    at: time
    """The planning time of day (``15:00`` for a 09:00 slot planned 18 h ahead)."""
    posting_time: str
    """The slot it plans (``"09:00"``)."""
    days_ahead: int
    """How many days after the planning day that slot is (1 for 15:00 → 09:00)."""


def clock_time(posting_time: str) -> time:
    """``"09:30"`` as a time of day (brands.toml's ``posting_times`` are checked as ``HH:MM``)."""
    hour, minute = (int(part) for part in posting_time.split(":"))
    return time(hour, minute)


def next_slot_after(brand: Brand, moment: datetime) -> datetime:
    """The first posting time strictly after ``moment``, as an aware UTC datetime."""
    zone = ZoneInfo(brand.time_zone)
    local = moment.astimezone(zone)
    candidates = []
    for day in (local.date(), local.date() + timedelta(days=1)):
        for text in brand.posting_times:
            # Wall-clock time in the brand's zone, so 09:00 stays 09:00 across DST.
            slot = datetime.combine(day, clock_time(text), tzinfo=zone)
            if slot > local:
                candidates.append(slot)
    return min(candidates).astimezone(UTC)


def planning_times(brand: Brand) -> list[PlanningTime]:
    """The wall-clock time each posting time's run starts, ``plan_ahead`` before it; empty for
    a brand that does not plan ahead."""
    ahead = brand.plan_ahead_seconds // 60
    if not ahead:
        return []
    found = []
    for text in brand.posting_times:
        slot = clock_time(text)
        minutes = slot.hour * 60 + slot.minute - ahead
        days_back, of_day = divmod(minutes, _DAY_MINUTES)
        found.append(PlanningTime(time(of_day // 60, of_day % 60), text, -days_back))
    return found


def planned_slot(brand: Brand, scheduled_start: datetime) -> datetime | None:
    """The slot (aware, UTC) that a run the brand's schedule started at ``scheduled_start``
    plans, or None when that moment is none of the brand's planning times.

    A planning time that does not exist on a spring-forward night (02:30 in Brussels) is
    started by Temporal somewhere in the hour the clocks skip; any start within that hour
    still finds its slot. On a fall-back night a planning time happens twice, and both starts
    find the same slot.
    """
    zone = ZoneInfo(brand.time_zone)
    local_day = scheduled_start.astimezone(zone).date()
    for planning in planning_times(brand):
        for offset in (-1, 0, 1):
            planned_at = datetime.combine(local_day + timedelta(days=offset), planning.at)
            if _starts_at(planned_at, zone, scheduled_start):
                slot_day = planned_at.date() + timedelta(days=planning.days_ahead)
                slot = datetime.combine(slot_day, clock_time(planning.posting_time), tzinfo=zone)
                return slot.astimezone(UTC)
    return None


def _starts_at(wall_clock: datetime, zone: ZoneInfo, moment: datetime) -> bool:
    """Whether a calendar at the naive local ``wall_clock`` may fire at ``moment``."""
    earlier, later = sorted(wall_clock.replace(tzinfo=zone, fold=f).astimezone(UTC) for f in (0, 1))
    if _exists(wall_clock, zone):
        return any(abs(moment - instant) < _SAME_MOMENT for instant in (earlier, later))
    # In the skipped hour both readings of the time are one hour apart, the gap between them.
    return earlier - _SAME_MOMENT < moment < later + _SAME_MOMENT


def _exists(wall_clock: datetime, zone: ZoneInfo) -> bool:
    local = wall_clock.replace(tzinfo=zone)
    return local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall_clock
