"""A 09:00 Europe/Brussels slot is 09:00 local in winter and in summer, at-slot or planned."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from temporalio.api.workflowservice.v1 import ListScheduleMatchingTimesRequest
from temporalio.client import Client

from feedpub.brands import load_brands, parse_brands
from feedpub.posting_slots import planned_slot
from temporal_app.schedules import apply_schedules, brand_schedule

from .support import brand_table, describe, unique_brand, write_brands

BRUSSELS = ZoneInfo("Europe/Brussels")


async def test_next_runs_of_a_brussels_brand_are_at_nine_local(
    client: Client, tmp_path: Path, made: list[str], queue: str
) -> None:
    name = unique_brand()
    made.append(f"{name}-daily-posts")
    path = write_brands(tmp_path / "brands.toml", {name: brand_table(posting_times=["09:00"])})
    await apply_schedules(load_brands(path), task_queue=queue, client=client)

    times = (await describe(client, f"{name}-daily-posts")).info.next_action_times

    assert len(times) >= 3
    assert {(t.astimezone(BRUSSELS).hour, t.astimezone(BRUSSELS).minute) for t in times} == {(9, 0)}


@pytest.mark.parametrize(
    ("start_at", "change", "utc_before", "utc_after"),
    [
        # Brussels moves to summer time at 01:00 UTC on Sunday 28 March 2027 ...
        (datetime(2027, 3, 25, tzinfo=UTC), datetime(2027, 3, 28, 1, tzinfo=UTC), 8, 7),
        # ... and back to winter time at 01:00 UTC on Sunday 31 October 2027.
        (datetime(2027, 10, 28, tzinfo=UTC), datetime(2027, 10, 31, 1, tzinfo=UTC), 7, 8),
    ],
    ids=["spring-forward", "fall-back"],
)
async def test_a_nine_oclock_slot_moves_in_utc_across_a_daylight_saving_change(
    client: Client,
    made: list[str],
    queue: str,
    start_at: datetime,
    change: datetime,
    utc_before: int,
    utc_after: int,
) -> None:
    name = unique_brand()
    table = brand_table(posting_times=["09:00"], s3_prefix=f"{name}/")
    brand = parse_brands({"brands": {name: table}})[name]
    schedule = brand_schedule(brand, queue)
    schedule.spec.start_at = start_at  # so the next action times straddle the change
    made.append(brand.schedule_id)
    await client.create_schedule(brand.schedule_id, schedule)

    times = (await describe(client, brand.schedule_id)).info.next_action_times

    assert {t.astimezone(BRUSSELS).strftime("%H:%M") for t in times} == {"09:00"}
    assert [t.hour for t in times if t < change] == [utc_before] * 3
    after = [t.hour for t in times if t > change]
    assert len(after) >= 3
    assert set(after) == {utc_after}


async def test_a_planned_brand_gets_a_run_for_its_slot_on_the_night_the_clocks_skip_its_hour(
    client: Client, made: list[str], queue: str
) -> None:
    # 09:00 less 6h30m is 02:30, which Brussels skips on 2027-03-28: Temporal starts no run
    # at a skipped time, so the brand plans at 01:30 and each day's start finds its slot.
    name = unique_brand()
    table = brand_table(posting_times=["09:00"], plan_ahead="6h30m", s3_prefix=f"{name}/")
    brand = parse_brands({"brands": {name: table}})[name]
    made.append(brand.schedule_id)
    await client.create_schedule(brand.schedule_id, brand_schedule(brand, queue))

    starts = await matching_times(
        client,
        brand.schedule_id,
        datetime(2027, 3, 26, 12, tzinfo=UTC),
        datetime(2027, 3, 29, 12, tzinfo=UTC),
    )

    slots = [planned_slot(brand, start) for start in starts]
    assert [slot.astimezone(BRUSSELS).strftime("%d %H:%M") if slot else None for slot in slots] == [
        "27 09:00",
        "28 09:00",
        "29 09:00",
    ]


async def matching_times(
    client: Client, schedule_id: str, start: datetime, end: datetime
) -> list[datetime]:
    """When the schedule starts runs between ``start`` and ``end``, as Temporal computes it."""
    request = ListScheduleMatchingTimesRequest(namespace=client.namespace, schedule_id=schedule_id)
    request.start_time.FromDatetime(start)
    request.end_time.FromDatetime(end)
    found = await client.workflow_service.list_schedule_matching_times(request)
    return [moment.ToDatetime(tzinfo=UTC) for moment in found.start_time]
