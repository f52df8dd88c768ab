"""Posting slots in a brand's own time zone: the wall-clock times of ``posting_times``, when the
next one comes, and for a brand that plans ahead, when each slot's run starts and which slot a
run started at a given moment plans.

Planning is wall-clock arithmetic: 09:00 with ``plan_ahead = "18h"`` is planned at 15:00 local
the day before, and a run started then posts at 09:00 local the next day, even when a
daylight-saving change in between makes that 17 or 19 real hours.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from feedpub.brands import Brand

__all__ = [
    "PlanningTime",
    "clock_time",
    "next_slot_after",
    "next_start_after",
    "planned_slot",
    "planning_times",
]

_DAY_MINUTES = 24 * 60
# A scheduled start is the calendar's time, to the second. A trigger's is its own moment, also to
# the second: only one asked in the very second of a planning time is taken for that time's run
# (and the slot's claim keeps the slot from being planned twice).
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
    times = [clock_time(text) for text in brand.posting_times]
    return _next_wall_clock(times, ZoneInfo(brand.time_zone), moment)


def next_start_after(brand: Brand, moment: datetime) -> datetime:
    """When the brand's schedule next starts a run, strictly after ``moment`` (aware, UTC): its
    next posting time, or for a brand that plans ahead, its next planning time."""
    if not brand.planned:
        return next_slot_after(brand, moment)
    zone = ZoneInfo(brand.time_zone)
    around = moment.astimezone(zone).date()
    return _next_wall_clock(
        [planning.at for planning in planning_times(brand, around)], zone, moment
    )


def planning_times(brand: Brand, around: date | None = None) -> list[PlanningTime]:
    """The wall-clock time each posting time's run starts, ``plan_ahead`` before it; empty for
    a brand that does not plan ahead.

    Temporal never starts a calendar whose time the clocks skip (02:30 in Brussels on the
    spring-forward night; checked on the dev server): such a slot would get no run that day. A
    planning time skipped on any day of the year around ``around`` (default: today) is
    therefore moved earlier by the skipped length, on every day: it plans a little further
    ahead, and every slot gets its run.
    """
    ahead = brand.plan_ahead_seconds // 60
    if not ahead:
        return []
    zone = ZoneInfo(brand.time_zone)
    changes = _clock_change_days(brand.time_zone, (around or date.today()) - timedelta(days=183))
    found: list[PlanningTime] = []
    for text in brand.posting_times:
        slot = clock_time(text)
        minutes = slot.hour * 60 + slot.minute - ahead
        taken = {planning.at for planning in found}
        for _ in range(24 + len(taken)):  # a move or two at most, even in theory
            skipped = _skipped_minutes(_of_day(minutes), zone, changes)
            # Two slots moved onto one planning time would share one run: the second plans a
            # minute earlier still.
            if not skipped and _of_day(minutes) not in taken:
                break
            minutes -= skipped or 1
        found.append(PlanningTime(_of_day(minutes), text, -(minutes // _DAY_MINUTES)))
    return found


def planned_slot(brand: Brand, scheduled_start: datetime) -> datetime | None:
    """The slot (aware, UTC) that a run the brand's schedule started at ``scheduled_start``
    plans, or None when that moment is none of the brand's planning times (a trigger, a run
    started by hand).

    On a fall-back night a planning time happens twice; either start finds the same slot.
    """
    zone = ZoneInfo(brand.time_zone)
    local_day = scheduled_start.astimezone(zone).date()
    for planning in planning_times(brand, around=local_day):
        for offset in (-1, 0, 1):
            planned_at = datetime.combine(local_day + timedelta(days=offset), planning.at)
            if _starts_at(planned_at, zone, scheduled_start):
                slot_day = planned_at.date() + timedelta(days=planning.days_ahead)
                slot = datetime.combine(slot_day, clock_time(planning.posting_time), tzinfo=zone)
                return slot.astimezone(UTC)
    return None


def _next_wall_clock(times: list[time], zone: ZoneInfo, moment: datetime) -> datetime:
    """The first of the daily wall-clock ``times`` in ``zone`` strictly after ``moment``."""
    local = moment.astimezone(zone)
    candidates = [
        # Wall-clock time in the brand's zone, so 09:00 stays 09:00 across DST.
        datetime.combine(day, at, tzinfo=zone)
        for day in (local.date(), local.date() + timedelta(days=1))
        for at in times
    ]
    return min(when for when in candidates if when > local).astimezone(UTC)


def _of_day(minutes: int) -> time:
    of_day = minutes % _DAY_MINUTES
    return time(of_day // 60, of_day % 60)


@functools.lru_cache(maxsize=64)
def _clock_change_days(time_zone: str, first: date) -> tuple[date, ...]:
    """The days, in the year from ``first``, on which the zone's clocks change (with the day
    before, for a change late in the evening)."""
    zone = ZoneInfo(time_zone)
    noons = [
        datetime.combine(first + timedelta(days=offset), time(12), tzinfo=zone).utcoffset()
        for offset in range(367)
    ]
    return tuple(
        first + timedelta(days=offset + day)
        for offset in range(366)
        if noons[offset] != noons[offset + 1]
        for day in (0, 1)
    )


def _skipped_minutes(at: time, zone: ZoneInfo, days: tuple[date, ...]) -> int:
    """How long the clocks jump over ``at`` on one of ``days``, in minutes; 0 if they never do."""
    for day in days:
        wall_clock = datetime.combine(day, at)
        if not _exists(wall_clock, zone):
            # Read with the offset before the jump, then after it: the readings differ by it.
            jump = _instant(wall_clock, zone, fold=0) - _instant(wall_clock, zone, fold=1)
            return max(1, int(jump.total_seconds()) // 60)
    return 0


def _starts_at(wall_clock: datetime, zone: ZoneInfo, moment: datetime) -> bool:
    """Whether a calendar at the naive local ``wall_clock`` fires at ``moment`` (either time
    a repeated wall-clock time happens)."""
    return any(abs(moment - _instant(wall_clock, zone, fold)) < _SAME_MOMENT for fold in (0, 1))


def _instant(wall_clock: datetime, zone: ZoneInfo, fold: int) -> datetime:
    return wall_clock.replace(tzinfo=zone, fold=fold).astimezone(UTC)


def _exists(wall_clock: datetime, zone: ZoneInfo) -> bool:
    local = wall_clock.replace(tzinfo=zone)
    return local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall_clock
