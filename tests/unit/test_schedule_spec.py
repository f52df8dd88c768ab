"""A brand's Temporal Schedule, built without Temporal: calendars, zone, policies, state."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from temporalio.client import (
    ScheduleActionStartWorkflow,
    ScheduleOverlapPolicy,
    ScheduleRange,
)
from temporalio.converter import DataConverter

from feedpub.brands import OVERLAP_POLICIES, Brand
from feedpub.contract.checks import BrandChecksRequest
from feedpub.contract.run import PublishRequest
from temporal_app.schedules.compare import differences, state_to_keep
from temporal_app.schedules.spec import DISABLED_NOTE, OVERLAP, brand_schedule, checks_schedule

BRAND = Brand(
    name="pomandi",
    language="nl",
    time_zone="Europe/Brussels",
    posting_times=("09:00", "18:30"),
    s3_prefix="pomandi/",
    facebook_page_id="101000000000001",
    instagram_user_id="17841400000000001",
    meta_token_env="META_ACCESS_TOKEN_POMANDI",
    voice="Warm.",
    plan_ahead="0",
)
"""Scheduled at its posting times; ``test_planned_schedule`` has the brands that plan ahead."""
CONVERTER = DataConverter.default.payload_converter


def action_of(brand: Brand) -> ScheduleActionStartWorkflow:
    action = brand_schedule(brand, "agent-tasks").action
    assert isinstance(action, ScheduleActionStartWorkflow)
    return action


def test_one_calendar_per_posting_time_with_hour_minute_and_second_set() -> None:
    spec = brand_schedule(BRAND, "agent-tasks").spec

    assert [(c.hour, c.minute, c.second) for c in spec.calendars] == [
        ([ScheduleRange(9)], [ScheduleRange(0)], [ScheduleRange(0)]),
        ([ScheduleRange(18)], [ScheduleRange(30)], [ScheduleRange(0)]),
    ]
    assert spec.time_zone_name == "Europe/Brussels"
    assert spec.jitter is None


def test_the_action_starts_the_publisher_for_the_brand_with_its_search_attribute_and_memo() -> None:
    action = action_of(BRAND)

    assert action.workflow == "FeedPublisherWorkflow"
    assert action.args == [PublishRequest(brand="pomandi")]
    assert action.id == "pomandi-daily-posts"
    assert action.task_queue == "agent-tasks"
    assert [(p.key.name, p.value) for p in action.typed_search_attributes] == [("Brand", "pomandi")]
    assert action.memo == {"brand": "pomandi", "language": "nl"}


def test_policy_defaults_to_skip_with_a_ten_minute_catch_up_window() -> None:
    policy = brand_schedule(BRAND, "agent-tasks").policy

    assert policy.overlap == ScheduleOverlapPolicy.SKIP
    assert policy.catchup_window == timedelta(minutes=10)
    assert policy.pause_on_failure is False


@pytest.mark.parametrize("overlap", OVERLAP_POLICIES)
def test_every_overlap_of_the_brands_file_maps_to_its_temporal_policy(overlap: str) -> None:
    policy = brand_schedule(replace(BRAND, overlap=overlap), "q").policy

    assert policy.overlap == OVERLAP[overlap]
    assert policy.overlap.name == overlap.upper()


def test_catch_up_window_and_jitter_come_from_the_brand() -> None:
    schedule = brand_schedule(replace(BRAND, catchup_window_minutes=45, jitter_seconds=90), "q")

    assert schedule.policy.catchup_window == timedelta(minutes=45)
    assert schedule.spec.jitter == timedelta(seconds=90)


def test_an_enabled_brand_is_active_and_a_disabled_one_paused_with_a_note() -> None:
    assert brand_schedule(BRAND, "q").state.paused is False
    state = brand_schedule(replace(BRAND, enabled=False), "q").state

    assert state.paused is True
    assert state.note == DISABLED_NOTE
    assert "disabled in brands.toml" in (state.note or "")


def test_a_schedule_compared_with_itself_has_no_difference() -> None:
    schedule = brand_schedule(BRAND, "q")

    assert differences(schedule, brand_schedule(BRAND, "q"), CONVERTER) == []


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        (replace(BRAND, posting_times=("09:00",)), "calendars"),
        (replace(BRAND, time_zone="Europe/Paris"), "time zone"),
        (replace(BRAND, jitter_seconds=30), "jitter"),
        (replace(BRAND, overlap="allow_all"), "overlap policy"),
        (replace(BRAND, catchup_window_minutes=60), "catch-up window"),
        (replace(BRAND, language="fr"), "memo"),
        (replace(BRAND, enabled=False), "paused"),
    ],
)
def test_a_changed_brand_field_is_named_as_a_difference(changed: Brand, expected: str) -> None:
    found = differences(brand_schedule(changed, "q"), brand_schedule(BRAND, "q"), CONVERTER)

    assert found == [expected]


def test_another_task_queue_is_a_difference() -> None:
    found = differences(brand_schedule(BRAND, "q2"), brand_schedule(BRAND, "q"), CONVERTER)

    assert found == ["task queue"]


def test_a_pause_by_hand_survives_apply_but_a_disabled_pause_is_lifted_when_re_enabled() -> None:
    active = brand_schedule(BRAND, "q").state
    by_hand = replace(active, paused=True, note="holiday")
    disabled = brand_schedule(replace(BRAND, enabled=False), "q").state

    assert state_to_keep(active, by_hand) == by_hand
    assert state_to_keep(active, disabled) == active
    assert state_to_keep(disabled, by_hand) == disabled


def test_the_checks_schedule_ticks_every_hour_on_the_hour_utc_and_holds_back_an_overlap() -> None:
    schedule = checks_schedule("agent-tasks")
    [calendar] = schedule.spec.calendars
    action = schedule.action

    assert (calendar.hour, calendar.minute, calendar.second) == (
        [ScheduleRange(0, 23)],
        [ScheduleRange(0)],
        [ScheduleRange(0)],
    )
    assert schedule.spec.time_zone_name == "UTC"
    assert schedule.policy.overlap == ScheduleOverlapPolicy.BUFFER_ONE
    assert isinstance(action, ScheduleActionStartWorkflow)
    assert (action.workflow, action.id) == ("BrandChecksWorkflow", "feedpub-brand-checks")
    assert action.args == [BrandChecksRequest()]
    assert schedule.state.paused is False
    assert differences(schedule, checks_schedule("agent-tasks"), CONVERTER) == []
