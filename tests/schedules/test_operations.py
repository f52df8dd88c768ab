"""Operations on one schedule, by its id: pause, unpause, trigger, delete, backfill."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from temporalio.client import Client, ScheduleActionExecutionStartWorkflow
from temporalio.service import RPCError, RPCStatusCode

from feedpub.brands import load_brands
from temporal_app.schedules import (
    apply_schedules,
    backfill_schedule,
    delete_schedule,
    pause_schedule,
    trigger_schedule_now,
    unpause_schedule,
)
from tests.polling import poll

from .support import brand_table, describe, schedule_exists, unique_brand, write_brands


async def started_workflows(client: Client, schedule_id: str) -> list[str]:
    recent = (await describe(client, schedule_id)).info.recent_actions
    return [
        r.action.workflow_id
        for r in recent
        if isinstance(r.action, ScheduleActionExecutionStartWorkflow)
    ]


async def terminate(client: Client, workflow_ids: list[str]) -> None:
    """Runs started on a task queue no worker polls would wait forever."""
    for workflow_id in workflow_ids:
        with contextlib.suppress(RPCError):
            await client.get_workflow_handle(workflow_id).terminate("test over")


async def test_pause_unpause_trigger_and_delete_by_schedule_id_show_in_describe(
    client: Client, tmp_path: Path, made: list[str], queue: str
) -> None:
    name = unique_brand()
    schedule_id = f"{name}-daily-posts"
    made.append(schedule_id)
    brands = load_brands(write_brands(tmp_path / "brands.toml", {name: brand_table()}))
    await apply_schedules(brands, task_queue=queue, client=client)

    await pause_schedule(schedule_id, "new collection shoot", client=client)
    paused = (await describe(client, schedule_id)).schedule.state
    await unpause_schedule(schedule_id, client=client)
    unpaused = (await describe(client, schedule_id)).schedule.state
    await trigger_schedule_now(schedule_id, client=client)
    started = await poll(lambda: started_workflows(client, schedule_id), "the triggered run")
    try:
        assert (paused.paused, paused.note) == (True, "new collection shoot")
        assert (unpaused.paused, unpaused.note) == (False, "unpaused by an operator")
        assert len(started) == 1
        assert started[0].startswith(f"{schedule_id}-")
        run = await client.get_workflow_handle(started[0]).describe()
        assert run.workflow_type == "FeedPublisherWorkflow"
        assert run.task_queue == queue
        attributes = {p.key.name: p.value for p in run.typed_search_attributes}
        assert attributes["Brand"] == name
        assert await run.memo() == {"brand": name, "language": "nl"}
    finally:
        await terminate(client, started)

    await delete_schedule(schedule_id, client=client)
    assert not await schedule_exists(client, schedule_id)


async def test_backfill_takes_the_slots_of_a_past_period_now(
    client: Client, tmp_path: Path, made: list[str], queue: str
) -> None:
    name = unique_brand()
    schedule_id = f"{name}-daily-posts"
    made.append(schedule_id)
    path = write_brands(
        tmp_path / "brands.toml", {name: brand_table(overlap="allow_all", posting_times=["09:00"])}
    )
    await apply_schedules(load_brands(path), task_queue=queue, client=client)
    end = datetime.now(UTC) - timedelta(days=3)

    await backfill_schedule(schedule_id, end - timedelta(days=2), end, client=client)

    async def two_runs() -> list[str] | None:
        workflow_ids = await started_workflows(client, schedule_id)
        return workflow_ids if len(workflow_ids) >= 2 else None

    try:
        started = await poll(two_runs, "two backfilled runs")
        assert len(started) == 2
    finally:
        await terminate(client, await started_workflows(client, schedule_id))


async def test_operations_on_a_missing_schedule_raise_not_found(client: Client) -> None:
    with pytest.raises(RPCError) as caught:
        await pause_schedule(f"{unique_brand()}-daily-posts", client=client)

    assert caught.value.status == RPCStatusCode.NOT_FOUND
