"""Planning times and planned slots: wall-clock arithmetic in the brand's zone, across both
daylight-saving changes of Europe/Brussels (2027-03-28 and 2027-10-31, at 01:00 UTC)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time
from pathlib import Path

import pytest

from feedpub.brands import load_brands
from feedpub.posting_slots import PlanningTime, planned_slot, planning_times

POMANDI = load_brands(Path(__file__).parents[2] / "brands.toml")["pomandi"]  # 09:00 and 18:00


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def test_eighteen_hours_ahead_plans_nine_at_three_the_day_before_and_six_at_midnight() -> None:
    brand = replace(POMANDI, plan_ahead="18h")

    assert planning_times(brand) == [
        PlanningTime(time(15, 0), "09:00", days_ahead=1),
        PlanningTime(time(0, 0), "18:00", days_ahead=0),
    ]


def test_three_days_ahead_plans_at_the_same_time_three_days_before() -> None:
    brand = replace(POMANDI, plan_ahead="72h", posting_times=("09:00",))

    assert planning_times(brand) == [PlanningTime(time(9, 0), "09:00", days_ahead=3)]


def test_a_brand_that_does_not_plan_ahead_has_no_planning_times_and_no_planned_slot() -> None:
    brand = replace(POMANDI, plan_ahead="0")

    assert planning_times(brand) == []
    assert planned_slot(brand, at(2026, 11, 20, 14, 0)) is None


def test_a_run_started_at_three_plans_tomorrows_nine_oclock() -> None:
    start = at(2026, 11, 20, 14, 0)  # 15:00 in Brussels (UTC+1)

    assert planned_slot(POMANDI, start) == at(2026, 11, 21, 8, 0)


@pytest.mark.parametrize(
    ("start", "slot", "real_hours"),
    [
        (at(2027, 3, 27, 14, 0), at(2027, 3, 28, 7, 0), 17),  # the night the clocks go forward
        (at(2027, 10, 30, 13, 0), at(2027, 10, 31, 8, 0), 19),  # the night they go back
    ],
    ids=["spring-forward", "fall-back"],
)
def test_a_run_planned_over_a_daylight_saving_night_still_posts_at_nine_local(
    start: datetime, slot: datetime, real_hours: int
) -> None:
    found = planned_slot(POMANDI, start)

    assert found == slot
    assert found is not None and (found - start).total_seconds() == real_hours * 3600


def test_a_moment_that_is_no_planning_time_plans_nothing() -> None:
    assert planned_slot(POMANDI, at(2026, 11, 20, 14, 0, 7)) is None  # a trigger at 15:00:07
    assert planned_slot(POMANDI, at(2026, 11, 20, 13, 30)) is None


def test_a_planning_time_the_clocks_skip_once_a_year_is_an_hour_earlier_every_day() -> None:
    # 09:00 less 6h30m is 02:30, which Brussels skips on 2027-03-28 and Temporal then never
    # starts: the run is planned at 01:30, every day.
    brand = replace(POMANDI, plan_ahead="6h30m", posting_times=("09:00",))

    assert planning_times(brand) == [PlanningTime(time(1, 30), "09:00", days_ahead=0)]
    assert planned_slot(brand, at(2027, 3, 28, 0, 30)) == at(2027, 3, 28, 7, 0)
    assert planned_slot(brand, at(2027, 3, 28, 1, 30)) is None  # 03:30 CEST: no planning time


def test_two_slots_moved_onto_one_planning_time_are_planned_a_minute_apart() -> None:
    # 01:30 is 08:00's own planning time, and where 09:00's (02:30) moves.
    brand = replace(POMANDI, plan_ahead="6h30m", posting_times=("08:00", "09:00"))

    assert [planning.at for planning in planning_times(brand)] == [time(1, 30), time(1, 29)]
    assert planned_slot(brand, at(2026, 11, 20, 0, 29)) == at(2026, 11, 20, 8, 0)


def test_a_planning_time_in_a_zone_without_daylight_saving_stays_where_it_is() -> None:
    brand = replace(POMANDI, time_zone="Asia/Tokyo", plan_ahead="6h30m", posting_times=("09:00",))

    assert planning_times(brand) == [PlanningTime(time(2, 30), "09:00", days_ahead=0)]


@pytest.mark.parametrize(
    "start", [at(2027, 4, 4, 2, 30), at(2027, 4, 4, 3, 30)], ids=["23:30 -03", "23:30 -04"]
)
def test_a_planning_time_that_happens_twice_plans_the_same_slot_both_times(
    start: datetime,
) -> None:
    # Santiago sets its clocks back from midnight to 23:00 on 2027-04-04 (and forward from
    # midnight in September, so 23:30 is never skipped).
    brand = replace(
        POMANDI, time_zone="America/Santiago", plan_ahead="9h30m", posting_times=("09:00",)
    )

    assert planned_slot(brand, start) == at(2027, 4, 4, 13, 0)
    assert planned_slot(brand, at(2027, 4, 4, 3, 0)) is None  # 23:00 -04: between the two
