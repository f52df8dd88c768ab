"""Posting slots in a brand's own time zone: when the next one comes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from feedpub.brands import Brand

__all__ = ["next_slot_after"]


def next_slot_after(brand: Brand, moment: datetime) -> datetime:
    """The first posting time strictly after ``moment``, as an aware UTC datetime."""
    zone = ZoneInfo(brand.time_zone)
    local = moment.astimezone(zone)
    candidates = []
    for day in (local.date(), local.date() + timedelta(days=1)):
        for text in brand.posting_times:
            hour, minute = (int(part) for part in text.split(":"))
            # Wall-clock time in the brand's zone, so 09:00 stays 09:00 across DST.
            slot = datetime.combine(day, time(hour, minute), tzinfo=zone)
            if slot > local:
                candidates.append(slot)
    return min(candidates).astimezone(UTC)
