"""What ``feedpub plan`` and a cancellation say, built without Temporal: slots in the brand's
local time, a planned run's photo, captions and approval, and when a slot will be planned."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from feedpub.brands import load_brands
from feedpub.contract.run import Captions, Progress
from feedpub_apps.brand_plan import BrandPlan, coming_slots, planning_moment
from feedpub_apps.cli.plan_view import plan_lines
from temporal_app.schedules.planned_runs import Cancellation, PlannedRun

# The shipped pomandi, 09:00 and 18:00 in Brussels, planned 18 h ahead, waiting for approval.
BRAND = replace(
    load_brands(Path(__file__).parents[2] / "brands.toml")["pomandi"],
    posting_times=("09:00", "18:00"),
    plan_ahead="18h",
    approval="required",
)
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)  # 13:00 in Brussels
TOMORROW_NINE = datetime(2026, 12, 8, 8, 0, tzinfo=UTC)  # 09:00 in Brussels


def planned(slot: datetime, **progress: object) -> PlannedRun:
    captions = Captions(
        facebook="Een pak voor elke gelegenheid. " * 10,
        instagram="Klaar voor het feest? #pomandi",
        alt_text="A grey suit on a hanger",
    )
    found = Progress(
        step="waiting_for_slot", brand="pomandi", photo_key="pomandi/grey-suit.jpg",
        captions=captions, slot=slot.isoformat(), revision=2, **progress,  # type: ignore[arg-type]
    )  # fmt: skip
    return PlannedRun("pomandi-daily-posts-2026-12-07T14:00:00Z", "run-1", slot, found)


def test_coming_slots_stay_at_their_local_time_across_the_spring_change() -> None:
    # Brussels moves to UTC+2 on 2027-03-28: 09:00 local is 08:00 UTC before, 07:00 UTC after.
    slots = coming_slots(BRAND, datetime(2027, 3, 27, 0, 0, tzinfo=UTC), days=2)
    assert [f"{slot:%d %H:%M}" for slot in slots] == [
        "27 09:00", "27 18:00", "28 09:00", "28 18:00",
    ]  # fmt: skip
    assert [slot.astimezone(UTC).hour for slot in slots[::2]] == [8, 7]


def test_a_slot_is_planned_at_its_wall_clock_time_the_day_before_across_the_spring_change() -> None:
    # 18 h before 09:00 local is 15:00 local the day before, though that night is an hour short.
    slot = datetime(2027, 3, 28, 7, 0, tzinfo=UTC)  # 09:00 in Brussels, summer time
    at = planning_moment(BRAND, slot)
    assert at is not None and f"{at:%d %H:%M %Z}" == "27 15:00 CET"
    assert planning_moment(replace(BRAND, plan_ahead="0"), slot) is None


def test_a_planned_slot_shows_its_photo_captions_revision_and_waiting_approval() -> None:
    plan = BrandPlan(BRAND, [planned(TOMORROW_NINE)])
    text = "\n".join(plan_lines(plan, NOW, days=1))
    assert "Tue 2026-12-08 09:00 CET  planned  revision 2" in text
    assert "photo      pomandi/grey-suit.jpg" in text
    assert "instagram  Klaar voor het feest? #pomandi" in text
    assert "Een pak voor elke gelegenheid. Een pak" in text and "[...]" in text
    assert "approval   waiting, decide before Tue 2026-12-08 09:00 CET" in text


def test_a_decision_shows_instead_of_the_wait() -> None:
    plan = BrandPlan(BRAND, [planned(TOMORROW_NINE, decision="edited")])
    assert "      approval   edited" in plan_lines(plan, NOW, days=1)


def test_a_slot_not_planned_yet_says_when_it_will_be() -> None:
    plan = BrandPlan(BRAND, [])
    lines = plan_lines(plan, NOW, days=1)
    # Today's 18:00 was to be planned at 00:00, and nothing was; tomorrow's 09:00 is at 15:00.
    assert "Mon 2026-12-07 18:00 CET  not planned (its planning time has passed" in lines[1]
    assert (
        lines[2]
        == "  Tue 2026-12-08 09:00 CET  not planned yet: planned at Mon 2026-12-07 15:00 CET"
    )


def test_a_paused_schedule_plans_nothing() -> None:
    plan = BrandPlan(BRAND, [], schedule="paused: holiday")
    assert plan_lines(plan, NOW, days=1)[1].endswith("not planned: the schedule is paused")


def test_a_cancellation_names_the_slot_in_local_time_and_the_photo_given_back() -> None:
    told = Cancellation("pomandi", "Europe/Brussels", cancelled=[planned(TOMORROW_NINE)])
    assert told.lines() == [
        "pomandi: cancelled the post planned for Tue 2026-12-08 09:00 Europe/Brussels, "
        "photo pomandi/grey-suit.jpg (given back)  [pomandi-daily-posts-2026-12-07T14:00:00Z]"
    ]
    nothing = replace(told, cancelled=[])
    assert nothing.lines() == ["pomandi: no planned post to cancel"]
