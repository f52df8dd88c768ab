"""What the watchdog tells, decided from what it sees: pure, given the schedules' facts, the
brands' last posts and ``now``, so a round can be checked at any moment without waiting for it.

Each problem found in a round is a notice with an event id of its own (the kind, the brand and
the round's time): the claims on the agent-outputs server fold the repeats of an open
condition, whichever watchdog raised them. A condition found fine again is named in the
round's ``back_to_normal``, which the claims tell only when it was open.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from feedpub.brands import Brand
from feedpub.contract.notices import CONDITION_OF, Notice, NoticeKind, event_id_of
from feedpub.posting_slots import clock_time, next_start_after

from .schedule_facts import ScheduleFacts

__all__ = [
    "PAUSED",
    "POSTING",
    "TEMPORAL",
    "back_to_normal",
    "brand_notices",
    "missed_notice",
    "not_posting_notice",
    "paused_no_later_than",
    "paused_notice",
    "posting_interval",
    "temporal_unreachable",
]

SILENCE_FACTOR = 1.5
"""A brand is told as not posting after this many of its posting intervals without a post."""
POSTING = CONDITION_OF["not_posting"]
PAUSED = CONDITION_OF["schedule_paused"]
TEMPORAL = CONDITION_OF["temporal_unreachable"]


def posting_interval(brand: Brand) -> timedelta:
    """The longest wait between two consecutive posting times, across midnight."""
    minutes = sorted(
        clock_time(text).hour * 60 + clock_time(text).minute for text in brand.posting_times
    )
    gaps = [later - earlier for earlier, later in pairwise(minutes)]
    return timedelta(minutes=max([*gaps, minutes[0] + 24 * 60 - minutes[-1]]))


def brand_notices(
    brand: Brand,
    facts: ScheduleFacts | None,
    now: datetime,
    *,
    last_post: datetime | None,
    posts_read: bool = True,
) -> list[Notice]:
    """The brand's problems this round, then a ``back_to_normal`` naming the watched
    conditions found fine. Nothing for a disabled brand or one without a schedule.

    ``last_post``: when it last posted (None: never); ``posts_read`` False when the reports
    could not be read, so that posting is neither told nor cleared this round.
    """
    if not brand.enabled or facts is None:
        return []
    found: list[Notice | None] = [missed_notice(brand, facts, now)]
    fine = []
    if facts.paused:
        found.append(paused_notice(brand, facts, now))
    else:
        fine.append(PAUSED)
        if posts_read:
            silent = not_posting_notice(brand, facts, now, last_post=last_post)
            found.append(silent)
            fine += [] if silent else [POSTING]
    problems = [notice for notice in found if notice is not None]
    return problems + ([back_to_normal(brand.name, fine, now)] if fine else [])


def not_posting_notice(
    brand: Brand, facts: ScheduleFacts, now: datetime, *, last_post: datetime | None
) -> Notice | None:
    """``not_posting`` when nothing was posted for 1.5 posting intervals.

    Silence counts from the last post, or from when the schedule was created or last changed
    (a new spec starts afresh). A brand that plans ahead posts ``plan_ahead`` after its runs
    start, so a new spec's first post comes that much later: its silence counts from then.
    The time a schedule spent paused counts too: the Schedule API does not say when it was
    unpaused.
    """
    set_up = max(moment for moment in (facts.created_at, facts.updated_at) if moment is not None)
    first_post_due = set_up + timedelta(seconds=brand.plan_ahead_seconds)
    counted_from = max(moment for moment in (first_post_due, last_post) if moment is not None)
    interval = posting_interval(brand)
    if now - counted_from <= interval * SILENCE_FACTOR:
        return None
    if last_post is not None and last_post >= set_up:
        since, what = last_post, "its last post"
    else:
        since, what = set_up, "its schedule was set up"
    reason = (
        f"Nothing posted since {_local(since, brand)} ({what}); "
        f"it posts at least every {_hours(interval)}."
    )
    return _notice("not_posting", brand.name, now, reason)


def missed_notice(brand: Brand, facts: ScheduleFacts, now: datetime) -> Notice | None:
    """``schedule_missed`` once per new count of missed or skipped slots: the counts are in
    the event id, so the same counts make the same event, told once."""
    if not facts.missed and not facts.skipped:
        return None
    reason = (
        f"Since the schedule was set up ({_local(facts.created_at, brand)}): {facts.missed} "
        "slot(s) missed (Temporal away past the catch-up window), "
        f"{facts.skipped} skipped (the previous run still going)."
    )
    event_id = event_id_of(
        "schedule_missed",
        brand.name,
        _stamp(facts.created_at),
        f"missed-{facts.missed}",
        f"skipped-{facts.skipped}",
    )
    return Notice(event_id, "schedule_missed", brand.name, now.isoformat(), reason=reason)


def paused_no_later_than(brand: Brand, facts: ScheduleFacts) -> datetime:
    """When the paused schedule was paused, at the latest.

    Pausing is a patch: it leaves the schedule's update time as it was (checked on Temporal
    1.32), so the API does not say when it happened. The best it gives: the schedule was
    created, updated or started its newest run at the latest of those times, and the first
    start after them did not happen. So it has been paused since that start, or longer. For a
    brand that plans ahead the schedule starts runs at its planning times, not at its slots.
    """
    known = [facts.created_at, facts.updated_at, facts.last_action_at]
    return next_start_after(brand, max(moment for moment in known if moment is not None))


def paused_notice(brand: Brand, facts: ScheduleFacts, now: datetime) -> Notice | None:
    """``schedule_paused`` once it has been paused ``paused_alert_days`` (0: at once)."""
    since = paused_no_later_than(brand, facts)
    if brand.paused_alert_days and now - since < timedelta(days=brand.paused_alert_days):
        return None
    when = f" since {_local(since, brand)} at the latest" if since <= now else ""
    note = f" (note: {facts.note})" if facts.note else ""
    return _notice("schedule_paused", brand.name, now, f"Paused{when}{note}.")


def temporal_unreachable(address: str, why: str, now: datetime) -> Notice:
    """``temporal_unreachable`` for every brand (brand ``""``)."""
    return _notice("temporal_unreachable", "", now, f"Temporal at {address}: {why}.")


def back_to_normal(brand: str, conditions: Sequence[str], now: datetime) -> Notice:
    """Ends the watched ``conditions`` of ``brand``; told only when one of them was open."""
    event_id = event_id_of("back_to_normal", brand, "+".join(conditions), _stamp(now))
    return Notice(event_id, "back_to_normal", brand, now.isoformat(), clears=list(conditions))


def _notice(kind: NoticeKind, brand: str, now: datetime, reason: str) -> Notice:
    return Notice(
        event_id_of(kind, brand, _stamp(now)), kind, brand, now.isoformat(), reason=reason
    )


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(moment: datetime, brand: Brand) -> str:
    return f"{moment.astimezone(ZoneInfo(brand.time_zone)):%a %Y-%m-%d %H:%M %Z}"


def _hours(interval: timedelta) -> str:
    hours, minutes = divmod(int(interval.total_seconds()) // 60, 60)
    return f"{hours} h" + (f" {minutes} min" if minutes else "")
