"""Posting slots in a brand's own time zone: the wall-clock times of ``posting_times``, and when
the next one comes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from feedpub.brands import Brand

__all__ = ["clock_time", "next_slot_after"]


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
