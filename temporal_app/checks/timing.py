"""When a brand's checks are due: decided from the hour the Schedule started the checks for,
seen in the brand's zone, never from a host's clock.

The Schedule ticks every hour on the hour, UTC. The checks of a local date run at the first
tick whose local wall-clock time is at or after the brand's ``daily_check_time`` (or ``digest``
time) while the tick before was not: once a day, whatever the day's length. On the day clocks
go forward a check set in the skipped hour runs at the first tick after it; on the day they go
back a check in the repeated hour runs in its first pass only. Zones half an hour off UTC run
their checks half an hour after the time set.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from feedpub.brand_notify import weekly_time
from feedpub.contract.checks import CHECKS
from feedpub.posting_slots import clock_time

from .models import BrandCheckSettings

__all__ = ["DueChecks", "due_checks"]

TICK = timedelta(hours=1)
DAILY = ("token", "runway")


@dataclass(frozen=True)
class DueChecks:
    checks: tuple[str, ...]
    """Names from ``CHECKS``, in that order."""
    local: datetime
    """The tick in the brand's zone."""
    day: date
    """The local date the checks are for: their event ids carry it."""
    digest_since: datetime | None = None
    """With ``digest``: the week it tells runs from here (seven local days back)..."""
    digest_until: datetime | None = None
    """... to the tick."""
    digest_day: date | None = None
    """The local date the digest is for: its event id carries its ISO week."""
    digest_asked: bool = False
    """The digest was asked for by hand, not due: it must not take the week's own event id,
    or the week's digest would be told as sent before and the days between in none."""


def due_checks(settings: BrandCheckSettings, at: datetime, force: Sequence[str] = ()) -> DueChecks:
    """The checks due for ``settings``' brand at the tick ``at`` (aware), and those in ``force``."""
    zone = ZoneInfo(settings.time_zone)
    local = at.astimezone(zone)
    daily = _due_on(local, settings.daily_check_time)
    # Checks asked for by hand are those and no others, whatever the hour: ``--only runway``
    # at 08:00 must not check the token too. The hourly tick asks for none.
    due = set(force) if force else (set(DAILY) if daily else set())
    digest_day, scheduled = local.date(), False
    weekly = weekly_time(settings.digest)
    if weekly is not None:
        weekday, clock = weekly
        set_for = _due_on(local, clock)
        if set_for is not None and set_for.weekday() == weekday:
            if not force:
                due.add("digest")
            digest_day, scheduled = set_for, True
    checks = tuple(name for name in CHECKS if name in due)
    day = daily or local.date()
    if "digest" not in due:
        return DueChecks(checks, local, day)
    # Seven days of wall-clock time back from the tick: each week starts where the one before
    # ended, at the same hour of the day, across a daylight-saving change.
    since = (local.replace(tzinfo=None) - timedelta(days=7)).replace(tzinfo=zone)
    return DueChecks(checks, local, day, since, local, digest_day, digest_asked=not scheduled)


def _due_on(local: datetime, clock: str) -> date | None:
    """The local date whose ``clock`` time the tick ``local`` is the first at or after; None
    when the tick before it was already past that time (or the tick is not the first)."""
    # Wall clocks, naive: the tick before is an hour earlier in absolute time, which on the
    # day clocks change is two hours, or none, earlier on the wall.
    before = (local.astimezone(UTC) - TICK).astimezone(local.tzinfo).replace(tzinfo=None)
    now = local.replace(tzinfo=None)
    for day in (now.date(), now.date() - timedelta(days=1)):
        if before < datetime.combine(day, clock_time(clock)) <= now:
            return day
    return None
