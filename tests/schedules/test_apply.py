"""Applying brands.toml to Temporal: create, then nothing; updates; disabled brands; prune;
the one schedule of every brand's checks."""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client, ScheduleActionStartWorkflow, ScheduleRange

from feedpub.brands import load_brands
from feedpub.contract.checks import CHECKS_SCHEDULE_ID
from temporal_app.schedules import (
    DISABLED_NOTE,
    ScheduleChange,
    apply_checks_schedule,
    apply_schedules,
    pause_schedule,
)
from tests.polling import poll

from .support import brand_table, describe, schedule_exists, unique_brand, write_brands


def outcomes(changes: list[ScheduleChange]) -> dict[str, str]:
    return {change.brand: change.outcome for change in changes}


async def test_applying_twice_makes_one_schedule_per_brand_then_changes_nothing(
    client: Client, tmp_path: Path, made: list[str], queue: str
) -> None:
    brussels, new_york = unique_brand(), unique_brand()
    path = write_brands(
        tmp_path / "brands.toml",
        {
            brussels: brand_table(posting_times=["09:00", "18:30"]),
            new_york: brand_table(time_zone="America/New_York", posting_times=["07:15"]),
        },
    )
    brands = load_brands(path)
    made += [brand.schedule_id for brand in brands.values()]

    first = await apply_schedules(brands, task_queue=queue, client=client)
    created = await describe(client, f"{brussels}-daily-posts")
    second = await apply_schedules(brands, task_queue=queue, client=client)

    assert outcomes(first) == {brussels: "created", new_york: "created"}
    assert outcomes(second) == {brussels: "unchanged", new_york: "unchanged"}
    assert len(second) == 2
    again = await describe(client, f"{brussels}-daily-posts")
    assert again.info.last_updated_at == created.info.last_updated_at
    spec = again.schedule.spec
    assert spec.time_zone_name == "Europe/Brussels"
    assert [(c.hour, c.minute, c.second) for c in spec.calendars] == [
        ((ScheduleRange(9),), (ScheduleRange(0),), (ScheduleRange(0),)),
        ((ScheduleRange(18),), (ScheduleRange(30),), (ScheduleRange(0),)),
    ]
    other = (await describe(client, f"{new_york}-daily-posts")).schedule.spec
    assert other.time_zone_name == "America/New_York"
    assert [(c.hour, c.minute) for c in other.calendars] == [
        ((ScheduleRange(7),), (ScheduleRange(15),))
    ]
    action = again.schedule.action
    assert isinstance(action, ScheduleActionStartWorkflow)
    assert (action.workflow, action.id, action.task_queue) == (
        "FeedPublisherWorkflow",
        f"{brussels}-daily-posts",
        queue,
    )
    assert [(p.key.name, p.value) for p in action.typed_search_attributes] == [("Brand", brussels)]
    assert again.schedule.policy.catchup_window is not None
    assert again.schedule.policy.catchup_window.total_seconds() == 600


async def test_a_changed_posting_time_updates_the_schedule_in_place(
    client: Client, tmp_path: Path, made: list[str], queue: str
) -> None:
    name = unique_brand()
    made.append(f"{name}-daily-posts")
    path = tmp_path / "brands.toml"
    await apply_schedules(
        load_brands(write_brands(path, {name: brand_table()})), task_queue=queue, client=client
    )

    write_brands(path, {name: brand_table(posting_times=["11:45"], overlap="buffer_one")})
    changes = await apply_schedules(load_brands(path), task_queue=queue, client=client)

    assert [(c.outcome, c.detail) for c in changes] == [("updated", "calendars, overlap policy")]
    schedule = (await describe(client, f"{name}-daily-posts")).schedule
    assert [(c.hour, c.minute) for c in schedule.spec.calendars] == [
        ((ScheduleRange(11),), (ScheduleRange(45),))
    ]
    assert schedule.policy.overlap.name == "BUFFER_ONE"


async def test_a_disabled_brand_is_paused_with_a_note_and_resumes_when_enabled_again(
    client: Client, tmp_path: Path, made: list[str], queue: str
) -> None:
    name = unique_brand()
    made.append(f"{name}-daily-posts")
    path = tmp_path / "brands.toml"

    write_brands(path, {name: brand_table(enabled=False)})
    created = await apply_schedules(load_brands(path), task_queue=queue, client=client)
    state = (await describe(client, f"{name}-daily-posts")).schedule.state
    write_brands(path, {name: brand_table()})
    enabled = await apply_schedules(load_brands(path), task_queue=queue, client=client)

    assert [c.outcome for c in created] == ["paused (disabled)"]
    assert state.paused is True
    assert state.note == DISABLED_NOTE
    assert [(c.outcome, c.detail) for c in enabled] == [("updated", "unpaused")]
    assert (await describe(client, f"{name}-daily-posts")).schedule.state.paused is False


async def test_a_pause_by_hand_survives_the_next_apply(
    client: Client, tmp_path: Path, made: list[str], queue: str
) -> None:
    name = unique_brand()
    made.append(f"{name}-daily-posts")
    brands = load_brands(write_brands(tmp_path / "brands.toml", {name: brand_table()}))
    await apply_schedules(brands, task_queue=queue, client=client)
    await pause_schedule(f"{name}-daily-posts", "shop closed for inventory", client=client)

    changes = await apply_schedules(brands, task_queue=queue, client=client)

    assert [(c.outcome, c.detail) for c in changes] == [
        ("unchanged", "paused by hand: shop closed for inventory")
    ]
    state = (await describe(client, f"{name}-daily-posts")).schedule.state
    assert (state.paused, state.note) == (True, "shop closed for inventory")


async def test_a_removed_brand_keeps_its_schedule_unless_pruned(
    client: Client, tmp_path: Path, made: list[str], queue: str
) -> None:
    kept, removed = unique_brand(), unique_brand()
    made += [f"{kept}-daily-posts", f"{removed}-daily-posts"]
    path = tmp_path / "brands.toml"
    both = load_brands(write_brands(path, {kept: brand_table(), removed: brand_table()}))
    await apply_schedules(both, task_queue=queue, client=client)

    async def listed() -> bool:
        # list_schedules reads the visibility store, a moment behind describe.
        return any([s.id == f"{removed}-daily-posts" async for s in await client.list_schedules()])

    await poll(listed, f"{removed}-daily-posts in list_schedules")
    one = load_brands(write_brands(path, {kept: brand_table()}))
    without_prune = await apply_schedules(one, task_queue=queue, client=client)
    still_there = await schedule_exists(client, f"{removed}-daily-posts")
    pruned = await apply_schedules(one, task_queue=queue, prune=True, client=client)

    assert outcomes(without_prune) == {kept: "unchanged", removed: "kept"}
    assert still_there
    assert outcomes(pruned) == {kept: "unchanged", removed: "deleted"}
    assert not await schedule_exists(client, f"{removed}-daily-posts")
    assert await schedule_exists(client, f"{kept}-daily-posts")


async def test_the_checks_schedule_is_applied_once_keeps_a_pause_by_hand_and_is_never_pruned(
    client: Client, tmp_path: Path, made: list[str], queue: str
) -> None:
    name = unique_brand()
    made += [f"{name}-daily-posts", CHECKS_SCHEDULE_ID]
    brands = load_brands(write_brands(tmp_path / "brands.toml", {name: brand_table()}))

    created = await apply_checks_schedule(task_queue=queue, client=client)
    again = await apply_checks_schedule(task_queue=queue, client=client)
    await pause_schedule(CHECKS_SCHEDULE_ID, "checks stopped for a migration", client=client)
    paused = await apply_checks_schedule(task_queue=queue, client=client)
    await apply_schedules(brands, task_queue=queue, prune=True, client=client)

    assert [created.outcome, again.outcome, paused.outcome] == ["created", "unchanged", "unchanged"]
    assert paused.detail == "paused by hand: checks stopped for a migration"
    assert created.line().split()[:3] == ["(all)", CHECKS_SCHEDULE_ID, "created"]
    assert (await describe(client, CHECKS_SCHEDULE_ID)).schedule.state.paused
