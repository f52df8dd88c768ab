"""The ``progress`` query is answered at every step of a run, and runs finish, on a worker that
keeps its workflows cached and on one that keeps none (every workflow task, and every query,
then replays the run's history from its start, as after a cache eviction or a restart)."""

from __future__ import annotations

import asyncio
import uuid
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from temporalio import activity
from temporalio.client import Client, WorkflowHandle
from temporalio.service import RPCError, RPCStatusCode
from temporalio.worker import (
    ActivityInboundInterceptor,
    ExecuteActivityInput,
    Interceptor,
    Worker,
)

from devstack.stack import EmbeddedStack
from feedpub.contract.run import Progress, PublishReport
from temporal_app.worker import activities_for, destinations_for
from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow

from .helpers import awaiting_approval, start_run, upload_photo

PUBLISH_STEPS = {"publish_facebook", "publish_instagram"}
"""Started in one workflow task: the query sees whichever was started last."""
READ_BACK_STEPS = {"verify_facebook", "verify_instagram", "mark_photo_used"}
"""The posts read back while the photo is marked used: the same, later."""


@dataclass
class Answer:
    workflow_id: str
    step_running: str
    progress: Progress | None
    error: str | None


class QueryAtEachStep(Interceptor):
    """Before each activity runs, ask its run for its progress, as a person watching would."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.answers: list[Answer] = []

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _Querying(next, self)


class _Querying(ActivityInboundInterceptor):
    def __init__(self, next: ActivityInboundInterceptor, outer: QueryAtEachStep) -> None:
        super().__init__(next)
        self._outer = outer

    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        info = activity.info()
        step = info.activity_type
        if step == "verify_post":  # one activity, a step per platform
            step = f"verify_{input.args[0].platform}"
        self._outer.answers.append(await self._ask(info.workflow_id, step))
        return await super().execute_activity(input)

    async def _ask(self, workflow_id: str, step: str) -> Answer:
        handle = self._outer.client.get_workflow_handle(workflow_id)
        for _ in range(3):
            try:
                progress = await handle.query(
                    FeedPublisherWorkflow.progress, rpc_timeout=timedelta(seconds=5)
                )
                return Answer(workflow_id, step, progress, None)
            except RPCError as exc:
                # A worker that keeps no run in memory drops a query that arrives while it
                # replays the run for a workflow task ("leftover buffered tasks when evicting
                # run"): the query times out (the client says CANCELLED), unanswered rather
                # than wrongly answered. Ask again.
                if exc.status not in (RPCStatusCode.CANCELLED, RPCStatusCode.DEADLINE_EXCEEDED):
                    return Answer(workflow_id, step, None, f"RPCError: {exc}")
            except Exception as exc:  # every other failure is what this test looks for
                return Answer(workflow_id, step, None, f"{type(exc).__name__}: {exc}")
        return Answer(workflow_id, step, None, "no answer in three tries")


async def start(
    stack: EmbeddedStack, client: Client, s3: Any, brand: str, task_queue: str
) -> WorkflowHandle[Any, PublishReport]:
    upload_photo(stack, s3, brand)
    return await start_run(client, stack, brand, task_queue=task_queue)


async def approve_when_waiting(handle: WorkflowHandle[Any, PublishReport]) -> None:
    await awaiting_approval(handle)
    await handle.execute_update(FeedPublisherWorkflow.approve)


@pytest.mark.parametrize("cached_workflows", [1000, 0], ids=["cached", "no-cache"])
async def test_every_step_of_several_runs_answers_the_progress_query(
    stack: EmbeddedStack, client: Client, s3: Any, cached_workflows: int
) -> None:
    task_queue = f"queried-{uuid.uuid4().hex[:8]}"
    settings = stack.worker_settings()
    queries = QueryAtEachStep(client)
    async with AsyncExitStack() as closing:
        worker = Worker(
            client,
            task_queue=task_queue,
            workflows=[FeedPublisherWorkflow],
            activities=activities_for(
                settings, closing, destinations=destinations_for(settings, stack.notify_env)
            ),
            interceptors=[queries],
            max_cached_workflows=cached_workflows,
        )
        async with worker:
            handles = [
                await start(stack, client, s3, brand, task_queue)
                for brand in ("pomandi", "costume", "atelier")
            ]
            await approve_when_waiting(handles[2])
            async with asyncio.timeout(120):
                reports = await asyncio.gather(*(handle.result() for handle in handles))

    assert [report.status for report in reports] == ["published"] * 3
    assert [a.error for a in queries.answers if a.error] == []
    for handle, report in zip(handles, reports, strict=True):
        answers = [a for a in queries.answers if a.workflow_id == handle.id]
        ran = [a.step_running for a in answers]
        assert set(ran) == set(report.timings), "a step ran without being queried"
        for answer in answers:
            assert answer.progress is not None and answer.progress.brand == report.brand
            shown = answer.progress.step
            if answer.step_running in PUBLISH_STEPS:
                assert shown in PUBLISH_STEPS
            elif answer.step_running in READ_BACK_STEPS:
                assert shown in READ_BACK_STEPS
            else:
                assert shown == answer.step_running
