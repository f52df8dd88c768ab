"""The Schedule of a brand that plans ahead: its runs start at the planning times, overlap, catch
up until the batch cut-off, and are never jittered by the schedule."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from temporalio.client import ScheduleOverlapPolicy, ScheduleRange

from feedpub.brands import Brand
from temporal_app.schedules.compare import differences
from temporal_app.schedules.spec import brand_schedule

from .test_schedule_spec import BRAND, CONVERTER

PLANNED = replace(BRAND, plan_ahead="18h", jitter_seconds=90)  # 09:00 and 18:30 Brussels


def test_each_slot_is_planned_eighteen_wall_clock_hours_before_it() -> None:
    spec = brand_schedule(PLANNED, "q").spec

    assert [(c.hour, c.minute, c.second, c.comment) for c in spec.calendars] == [
        (
            [ScheduleRange(15)],
            [ScheduleRange(0)],
            [ScheduleRange(0)],
            "daily at 15:00: plans the 09:00 slot the next day",
        ),
        (
            [ScheduleRange(0)],
            [ScheduleRange(30)],
            [ScheduleRange(0)],
            "daily at 00:30: plans the 18:30 slot the same day",
        ),
    ]
    assert spec.time_zone_name == "Europe/Brussels"


def test_planned_runs_overlap_catch_up_until_the_cut_off_and_draw_their_own_jitter() -> None:
    schedule = brand_schedule(PLANNED, "q")

    assert schedule.policy.overlap == ScheduleOverlapPolicy.ALLOW_ALL
    assert schedule.policy.catchup_window == timedelta(hours=16)  # 18 h ahead, 2 h cut-off
    assert schedule.spec.jitter is None


@pytest.mark.parametrize(("plan_ahead", "batch_cutoff"), [("5m", "2h"), ("2h5m", "2h")])
def test_a_short_plan_ahead_still_catches_up_ten_minutes(
    plan_ahead: str, batch_cutoff: str
) -> None:
    brand = replace(PLANNED, plan_ahead=plan_ahead, batch_cutoff=batch_cutoff)

    assert brand_schedule(brand, "q").policy.catchup_window == timedelta(minutes=10)


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        (replace(PLANNED, plan_ahead="12h"), ["calendars", "catch-up window"]),
        (replace(PLANNED, batch_cutoff="1h"), ["catch-up window"]),
        (replace(PLANNED, jitter_seconds=0), []),
        (BRAND, ["calendars", "overlap policy", "catch-up window"]),
    ],
    ids=["plan-ahead", "batch-cutoff", "jitter", "at-slot"],
)
def test_a_change_of_planning_is_named_as_a_difference(changed: Brand, expected: list[str]) -> None:
    found = differences(brand_schedule(changed, "q"), brand_schedule(PLANNED, "q"), CONVERTER)

    assert found == expected
