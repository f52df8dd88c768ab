"""Planned runs at their edges: the worker restarted while a run sleeps for its slot, a jitter
drawn at the slot, and a dry run planned for a slot that another run posts at.

On the session's time-skipping Temporal (``skipping``); the restart and the jitter use workers
of their own, on task queues of their own.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from temporalio import client, workflow
from temporalio import worker as workers
from temporalio.client import WorkflowHandle

from devstack.stack import EmbeddedStack
from temporal_app.activities.held_photos import run_state
from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow
from tests.polling import poll

from .helpers import media_sha256, posts_of_image, query, upload_photo
from .skipping import WITHIN_THE_CUTOFF, Skipping, completed_at, hours_ahead, photo_status

JITTER = 900
SEED = 7


class SeededRandom(client.Interceptor, workers.Interceptor):
    """Seeds each run's ``workflow.random()``: the test knows the jitter the run draws (its one
    draw), however the draw is used."""

    def workflow_interceptor_class(
        self, input: workers.WorkflowInterceptorClassInput
    ) -> type[workers.WorkflowInboundInterceptor]:
        return _Seeded


class _Seeded(workers.WorkflowInboundInterceptor):
    async def execute_workflow(self, input: workers.ExecuteWorkflowInput) -> Any:
        workflow.random().seed(SEED)
        return await super().execute_workflow(input)


@pytest.fixture
def queue() -> str:
    return f"planned-own-{uuid.uuid4().hex[:8]}"


def photo_row(stack: EmbeddedStack, key: str) -> tuple[Any, ...]:
    [row] = query(stack, "SELECT status, run_id FROM photos WHERE key = %s", key)
    return row


async def test_a_worker_restart_while_a_run_sleeps_for_its_slot_keeps_its_photo_and_posts_it_once(
    stack: EmbeddedStack, s3: Any, skipping: Skipping, queue: str
) -> None:
    upload_photo(stack, s3, "planfree")
    slot = hours_ahead(WITHIN_THE_CUTOFF)
    async with skipping.worker(queue):
        handle = await skipping.start("planfree", slot, until_planned=True, task_queue=queue)
        key = (await handle.query(FeedPublisherWorkflow.progress)).photo_key or ""

    # No worker runs: the photo is the run's in PostgreSQL, and the sweeper of photos held by
    # runs that no longer exist finds this one running.
    assert photo_row(stack, key) == ("reserved", handle.result_run_id)

    async def running() -> bool:  # Temporal's listing may lag a moment behind a new run
        return await run_state(skipping.env.client, handle.result_run_id or "") == "running"

    await poll(running, "the sweeper to find the run running")

    async with skipping.worker(queue):  # a new worker: it has the run only from its history
        await skipping.skip_to_the_end(handle)
        report = await handle.result()
    assert (report.status, report.photo_key) == ("published", key)
    assert datetime.fromisoformat(report.published_at or "") >= slot
    assert posts_of_image(stack, "planfree", media_sha256(stack, s3, report.media_key or "")) == (
        1, 1,
    )  # fmt: skip
    assert photo_row(stack, key) == ("used", handle.result_run_id)


async def test_a_run_with_a_jitter_makes_its_plan_before_the_slot_and_publishes_after_it(
    stack: EmbeddedStack, s3: Any, skipping: Skipping, queue: str, tmp_path: Path
) -> None:
    text = skipping.brands_file.read_text(encoding="utf-8")
    jittered = tmp_path / "brands.toml"
    jittered.write_text(
        text.replace("[brands.planfree]\n", f"[brands.planfree]\njitter_seconds = {JITTER}\n"),
        encoding="utf-8",
    )
    upload_photo(stack, s3, "planfree")
    slot = hours_ahead(WITHIN_THE_CUTOFF)
    async with skipping.worker(queue, jittered, interceptors=[SeededRandom()]):
        handle = await skipping.start("planfree", slot, task_queue=queue)
        report = await handle.result()

    drawn = timedelta(seconds=random.Random(SEED).uniform(0, JITTER))
    woke = await last_timer_fired(handle)
    assert abs(woke - (slot + drawn)) < timedelta(seconds=1), f"woke {woke - slot} after the slot"
    assert report.status == "published"
    assert datetime.fromisoformat(report.published_at or "") >= woke
    assert await completed_at(handle, "generate_caption") < slot
    assert await completed_at(handle, "prepare_media") < slot


async def last_timer_fired(handle: WorkflowHandle[Any, Any]) -> datetime:
    """When the run's last timer fired, on its own clock."""
    fired = [
        event.event_time.ToDatetime(tzinfo=UTC)
        async for event in handle.fetch_history_events()
        if event.HasField("timer_fired_event_attributes")
    ]
    assert fired, "the run set no timer"
    return fired[-1]


async def test_a_planned_dry_run_leaves_the_slot_to_the_run_that_posts_and_gives_its_photo_back(
    stack: EmbeddedStack, s3: Any, skipping: Skipping
) -> None:
    for _ in range(2):
        upload_photo(stack, s3, "planfree")
    slot = hours_ahead(WITHIN_THE_CUTOFF)
    rehearsal = await skipping.start("planfree", slot, until_planned=True, dry_run=True)
    rehearsed = (await rehearsal.query(FeedPublisherWorkflow.progress)).photo_key or ""

    # Planned while the dry run holds its photo: no photo of the two is given back yet.
    posting = await skipping.start("planfree", slot, until_planned=True)
    progress = await posting.query(FeedPublisherWorkflow.progress)
    assert progress.photo_key not in (None, rehearsed), f"the run that posts is {progress.step}"
    await asyncio.gather(*(skipping.skip_to_the_end(run) for run in (rehearsal, posting)))
    posted, dry = await asyncio.gather(posting.result(), rehearsal.result())

    assert (posted.status, posted.slot) == ("published", slot.isoformat()), posted.reason
    assert (dry.status, dry.photo_key, dry.slot) == ("dry_run", rehearsed, slot.isoformat())
    assert dry.facebook is not None and dry.facebook.status == "skipped"
    assert posts_of_image(stack, "planfree", media_sha256(stack, s3, dry.media_key or "")) == (
        0, 0,
    )  # fmt: skip
    assert photo_status(stack, rehearsed) == "available"
    assert query(stack, "SELECT run_id FROM planned_slots WHERE run_id = %s", dry.run_id) == []
