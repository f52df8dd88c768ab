"""The Temporal Schedule of one brand, built from its ``brands.toml`` table.

Pure: no client, no network, so unit tests can check every field.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio.client import (
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleCalendarSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleRange,
    ScheduleSpec,
    ScheduleState,
)
from temporalio.common import SearchAttributeKey, SearchAttributePair, TypedSearchAttributes

from feedpub.brands import Brand
from feedpub.contract import schedules as contract_schedules
from feedpub.contract.checks import CHECKS_SCHEDULE_ID, CHECKS_WORKFLOW_NAME, BrandChecksRequest
from feedpub.contract.run import WORKFLOW_NAME, PublishRequest
from feedpub.posting_slots import PlanningTime, clock_time, planning_times

__all__ = [
    "BRAND_SEARCH_ATTRIBUTE",
    "CHECKS_NOTE",
    "DISABLED_NOTE",
    "ENABLED_NOTE",
    "MIN_PLANNED_CATCHUP",
    "OVERLAP",
    "brand_schedule",
    "brand_search_attributes",
    "checks_schedule",
    "planning_calendar",
    "posting_calendar",
]

BRAND_SEARCH_ATTRIBUTE = SearchAttributeKey.for_keyword(contract_schedules.BRAND_SEARCH_ATTRIBUTE)
"""Every run carries it so the UI filters by brand; ``apply`` registers it when it is missing."""
DISABLED_NOTE = "disabled in brands.toml (enabled = false)"
ENABLED_NOTE = "managed by feedpub from brands.toml"
CHECKS_NOTE = "managed by feedpub: every brand's daily checks and weekly digest"
OVERLAP = {
    "skip": ScheduleOverlapPolicy.SKIP,
    "buffer_one": ScheduleOverlapPolicy.BUFFER_ONE,
    "buffer_all": ScheduleOverlapPolicy.BUFFER_ALL,
    "cancel_other": ScheduleOverlapPolicy.CANCEL_OTHER,
    "terminate_other": ScheduleOverlapPolicy.TERMINATE_OTHER,
    "allow_all": ScheduleOverlapPolicy.ALLOW_ALL,
}
"""``overlap`` in brands.toml → what the schedule does when a slot comes during a run."""
MIN_PLANNED_CATCHUP = timedelta(minutes=10)
"""A planned brand's catch-up window when ``plan_ahead`` leaves hardly any before the cut-off."""


def brand_search_attributes(brand: Brand) -> TypedSearchAttributes:
    return TypedSearchAttributes([SearchAttributePair(BRAND_SEARCH_ATTRIBUTE, brand.name)])


def posting_calendar(posting_time: str) -> ScheduleCalendarSpec:
    """One daily slot at ``HH:MM``, seconds set explicitly (every unset field means 0)."""
    at = clock_time(posting_time)
    return ScheduleCalendarSpec(
        hour=[ScheduleRange(at.hour)],
        minute=[ScheduleRange(at.minute)],
        second=[ScheduleRange(0)],
        comment=f"daily at {posting_time}",
    )


def planning_calendar(planning: PlanningTime) -> ScheduleCalendarSpec:
    """One daily start of the run that plans a slot, at its wall-clock planning time."""
    days = {0: "the same day", 1: "the next day"}.get(
        planning.days_ahead, f"{planning.days_ahead} days later"
    )
    return ScheduleCalendarSpec(
        hour=[ScheduleRange(planning.at.hour)],
        minute=[ScheduleRange(planning.at.minute)],
        second=[ScheduleRange(0)],
        comment=f"daily at {planning.at:%H:%M}: plans the {planning.posting_time} slot {days}",
    )


def brand_schedule(brand: Brand, task_queue: str) -> Schedule:
    """The schedule that starts ``FeedPublisherWorkflow`` for each of the brand's posting times.

    The calendars are read in the brand's zone, so 09:00 Europe/Brussels stays 09:00 local on
    both sides of a daylight-saving change. Runs get ids ``<schedule id>-<timestamp>``.

    A brand that plans ahead starts each slot's run ``plan_ahead`` before it (wall-clock); the
    run finds its slot from its scheduled time. Its runs overlap by design (``ALLOW_ALL``), a
    run starting late may still make its slot until the batch cut-off (the catch-up window),
    and jitter is the run's own, at its slot timer: a jittered start would miss its slot.
    """
    if brand.planned:
        calendars = [planning_calendar(planning) for planning in planning_times(brand)]
        overlap = ScheduleOverlapPolicy.ALLOW_ALL
        catchup = timedelta(seconds=brand.plan_ahead_seconds - brand.batch_cutoff_seconds)
        catchup = max(catchup, MIN_PLANNED_CATCHUP)
        jitter = None
    else:
        calendars = [posting_calendar(value) for value in brand.posting_times]
        overlap = OVERLAP[brand.overlap]
        catchup = timedelta(minutes=brand.catchup_window_minutes)
        jitter = timedelta(seconds=brand.jitter_seconds) if brand.jitter_seconds else None
    return Schedule(
        action=ScheduleActionStartWorkflow(
            WORKFLOW_NAME,
            PublishRequest(brand=brand.name),
            id=brand.schedule_id,
            task_queue=task_queue,
            typed_search_attributes=brand_search_attributes(brand),
            memo={"brand": brand.name, "language": brand.language},
        ),
        spec=ScheduleSpec(calendars=calendars, time_zone_name=brand.time_zone, jitter=jitter),
        policy=SchedulePolicy(overlap=overlap, catchup_window=catchup, pause_on_failure=False),
        state=ScheduleState(
            paused=not brand.enabled, note=ENABLED_NOTE if brand.enabled else DISABLED_NOTE
        ),
    )


def checks_schedule(task_queue: str) -> Schedule:
    """The one schedule that starts ``BrandChecksWorkflow`` every hour on the hour, UTC.

    The workflow decides, for each brand, whether the hour is its ``daily_check_time`` or its
    ``digest`` time in the brand's own zone: one schedule serves every brand and zone, and a
    brand's paused posting schedule does not pause its checks. A run that outlasts the hour
    holds the next one back instead of losing it (``BUFFER_ONE``): the next still decides for
    its own hour.
    """
    return Schedule(
        action=ScheduleActionStartWorkflow(
            CHECKS_WORKFLOW_NAME,
            BrandChecksRequest(),
            id=CHECKS_SCHEDULE_ID,
            task_queue=task_queue,
        ),
        spec=ScheduleSpec(
            calendars=[
                ScheduleCalendarSpec(
                    hour=[ScheduleRange(0, 23)],
                    minute=[ScheduleRange(0)],
                    second=[ScheduleRange(0)],
                    comment="hourly, on the hour",
                )
            ],
            time_zone_name="UTC",
        ),
        policy=SchedulePolicy(
            overlap=ScheduleOverlapPolicy.BUFFER_ONE,
            catchup_window=timedelta(hours=1),
            pause_on_failure=False,
        ),
        state=ScheduleState(paused=False, note=CHECKS_NOTE),
    )
