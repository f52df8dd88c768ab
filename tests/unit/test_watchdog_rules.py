"""The watchdog's rules, given a schedule's facts, the last post and ``now``: no Temporal, no
server, no clock."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

from feedpub.brands import load_brands
from feedpub.contract.notices import Notice
from feedpub_apps.watchdog.rules import (
    brand_notices,
    missed_notice,
    paused_no_later_than,
    posting_interval,
)
from feedpub_apps.watchdog.schedule_facts import ScheduleFacts

CREATED = datetime(2026, 11, 2, 7, 30, tzinfo=UTC)  # 08:30 in Brussels
# The test stack's pomandi: posting at 09:00 and 18:00 in Europe/Brussels, planned 18 h ahead
# (its schedule starts runs at 15:00 and 00:00), and the same brand posting at its slots.
PLANNED = load_brands(Path(__file__).parents[1] / "fixtures" / "brands.toml")["pomandi"]
BRAND = dataclasses.replace(PLANNED, plan_ahead="0")
RUNNING = ScheduleFacts(
    paused=False, note=None, created_at=CREATED, updated_at=None, last_action_at=None
)


def kinds(notices: list[Notice]) -> list[str]:
    return [notice.kind for notice in notices]


def test_the_posting_interval_is_the_longest_gap_between_posting_times_across_midnight() -> None:
    assert posting_interval(BRAND) == timedelta(hours=15)  # 18:00 to 09:00 the next day
    once = dataclasses.replace(BRAND, posting_times=("12:00",))
    assert posting_interval(once) == timedelta(hours=24)
    late = dataclasses.replace(BRAND, posting_times=("00:30", "08:00", "23:30"))
    assert posting_interval(late) == timedelta(hours=15, minutes=30)


def test_a_brand_silent_for_more_than_one_and_a_half_intervals_is_not_posting() -> None:
    last_post = CREATED + timedelta(days=1)
    on_time = brand_notices(BRAND, RUNNING, last_post + timedelta(hours=22), last_post=last_post)
    late = brand_notices(BRAND, RUNNING, last_post + timedelta(hours=23), last_post=last_post)

    assert kinds(on_time) == ["back_to_normal"]
    assert on_time[0].clears == ["schedule-paused", "posting"]
    assert kinds(late) == ["not_posting", "back_to_normal"]
    assert late[1].clears == ["schedule-paused"]
    assert "its last post" in (late[0].reason or "")


def test_a_brand_that_never_posted_is_silent_since_its_schedule_was_set_up() -> None:
    assert kinds(brand_notices(BRAND, RUNNING, CREATED + timedelta(hours=22), last_post=None)) == [
        "back_to_normal"
    ]
    late = brand_notices(BRAND, RUNNING, CREATED + timedelta(hours=23), last_post=None)
    assert kinds(late)[0] == "not_posting"
    assert "schedule was set up" in (late[0].reason or "")


def test_a_planned_brand_is_not_silent_before_its_first_planned_post() -> None:
    # Set up at 08:30: the first run starts at 15:00 and posts at 09:00 the next day.
    first_post = datetime(2026, 11, 3, 8, 0, tzinfo=UTC)
    waiting = brand_notices(PLANNED, RUNNING, CREATED + timedelta(hours=24), last_post=None)
    late = brand_notices(PLANNED, RUNNING, CREATED + timedelta(hours=41), last_post=None)
    posted = brand_notices(PLANNED, RUNNING, first_post + timedelta(hours=22), last_post=first_post)

    assert kinds(waiting) == ["back_to_normal"]
    assert kinds(late)[0] == "not_posting"
    assert "since Mon 2026-11-02 08:30 CET (its schedule was set up)" in (late[0].reason or "")
    assert kinds(posted) == ["back_to_normal"]


def test_a_changed_spec_gives_a_planned_brand_its_plan_ahead_again() -> None:
    last_post = CREATED + timedelta(days=1)
    changed = dataclasses.replace(RUNNING, updated_at=last_post + timedelta(hours=1))
    now = last_post + timedelta(hours=30)  # 29 h after the change: its first post is not due

    assert kinds(brand_notices(PLANNED, changed, now, last_post=last_post)) == ["back_to_normal"]
    assert kinds(brand_notices(BRAND, changed, now, last_post=last_post))[0] == "not_posting"


def test_posting_is_neither_told_nor_cleared_when_the_reports_cannot_be_read() -> None:
    found = brand_notices(
        BRAND, RUNNING, CREATED + timedelta(days=9), last_post=None, posts_read=False
    )
    assert kinds(found) == ["back_to_normal"]
    assert found[0].clears == ["schedule-paused"]


def test_missed_and_skipped_slots_are_one_event_per_new_count() -> None:
    now = CREATED + timedelta(days=3)
    assert missed_notice(BRAND, RUNNING, now) is None
    once = dataclasses.replace(RUNNING, missed=1)
    first = missed_notice(BRAND, once, now)
    again = missed_notice(BRAND, once, now + timedelta(minutes=5))
    more = missed_notice(BRAND, dataclasses.replace(RUNNING, missed=1, skipped=2), now)

    assert first is not None and again is not None and more is not None
    assert first.kind == "schedule_missed"
    assert first.event_id == again.event_id  # the same count: the claim tells it once
    assert more.event_id != first.event_id
    assert "1 slot(s) missed" in (first.reason or "") and "2 skipped" in (more.reason or "")


def test_a_paused_schedule_is_told_after_its_paused_alert_days() -> None:
    paused = dataclasses.replace(RUNNING, paused=True, note="holiday")
    # Created 08:30 local: the first slot it did not run is 09:00 local, 08:00 UTC.
    since = paused_no_later_than(BRAND, paused)
    assert since == datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    three_days = dataclasses.replace(BRAND, paused_alert_days=3)

    early = brand_notices(three_days, paused, since + timedelta(days=2), last_post=None)
    late = brand_notices(three_days, paused, since + timedelta(days=3), last_post=None)
    at_once = brand_notices(
        dataclasses.replace(BRAND, paused_alert_days=0), paused, CREATED, last_post=None
    )

    assert early == []  # neither told nor cleared: posting is not checked while paused
    assert kinds(late) == ["schedule_paused"] and "holiday" in (late[0].reason or "")
    assert kinds(at_once) == ["schedule_paused"]


def test_a_paused_schedule_counts_from_its_newest_run_not_from_its_creation() -> None:
    ran = CREATED + timedelta(days=30, minutes=30)  # 09:00 local, a slot that ran
    paused = dataclasses.replace(RUNNING, paused=True, last_action_at=ran)
    # The next slot, 18:00 local, is the first that did not run.
    assert paused_no_later_than(BRAND, paused) == datetime(2026, 12, 2, 17, 0, tzinfo=UTC)


def test_a_planned_brands_paused_schedule_counts_from_its_next_planning_time() -> None:
    paused = dataclasses.replace(RUNNING, paused=True)
    # Created 08:30 local: the first run it did not start is at 15:00 local, not the 09:00 slot.
    assert paused_no_later_than(PLANNED, paused) == datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
    planned = CREATED + timedelta(days=30, hours=6, minutes=30)  # 15:00 local, for 09:00
    ran = dataclasses.replace(paused, last_action_at=planned)
    # Next, 00:00 local would have planned the 18:00 slot; today's 18:00 slot is not a start.
    assert paused_no_later_than(PLANNED, ran) == datetime(2026, 12, 2, 23, 0, tzinfo=UTC)


def test_disabled_brands_and_brands_without_a_schedule_are_not_watched() -> None:
    now = CREATED + timedelta(days=9)
    disabled = dataclasses.replace(BRAND, enabled=False)
    assert brand_notices(disabled, RUNNING, now, last_post=None) == []
    assert brand_notices(BRAND, None, now, last_post=None) == []


def test_each_round_raises_problems_under_event_ids_of_their_own() -> None:
    first = brand_notices(BRAND, RUNNING, CREATED + timedelta(days=2), last_post=None)[0]
    later = brand_notices(BRAND, RUNNING, CREATED + timedelta(days=2, minutes=5), last_post=None)[0]
    # Each round is a repeat the claims fold, whichever watchdog raised it.
    assert first.condition == later.condition == "posting"
    assert first.event_id != later.event_id
