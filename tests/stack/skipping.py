"""A time-skipping Temporal for the planned-run tests, with workers of the worker's own making
on it, and what those tests read of a run.

Each run on it has a clock of its own, which jumps from timer to timer; its workers run the
real activities against the session's stack. The ``skipping`` fixture (one for the session)
is found by pytest through ``conftest.py``.
"""

from __future__ import annotations

import shutil
import sys
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, Interceptor, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from devstack.stack import EmbeddedStack
from feedpub.contract.run import PublishReport, PublishRequest
from temporal_app.observability.tracing import Tracing
from temporal_app.schedules.spec import BRAND_SEARCH_ATTRIBUTE
from temporal_app.worker import activities_for, build_worker, destinations_for
from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow
from tests.polling import poll

from .helpers import query

SKIPPING_ARGS = [
    "--dynamic-config-value", "frontend.WorkflowTimeSkippingEnabled=true",
    # The dev server fires no timer sooner than this after it is due (1 s by default): every
    # jump to a timer would cost a second of real time.
    "--dynamic-config-value", 'history.timerProcessorMaxTimeShift="10ms"',
]  # fmt: skip
PAST_THE_FIRST_LOOK = timedelta(seconds=90)
"""A run looks at its caption batch a minute after sending it."""
WITHIN_THE_CUTOFF = 1.5
"""Hours ahead of a slot whose batch cut-off (2 h before it) has passed: the run writes its
captions at once and looks again only at the slot. Tests of what people do before the slot
plan this close: it takes fewer steps."""


@dataclass
class Skipping:
    """The time-skipping Temporal, its worker's task queue and its copy of the brands file."""

    env: WorkflowEnvironment
    task_queue: str
    brands_file: Path
    stack: EmbeddedStack

    async def start(
        self,
        brand: str,
        slot: datetime,
        *,
        until_planned: bool = False,
        dry_run: bool = False,
        task_queue: str | None = None,
    ) -> WorkflowHandle[Any, PublishReport]:
        """Start a planned run. Its clock jumps from timer to timer to the run's end; or
        (``until_planned``) only until its plan is made (past the first look at its caption
        batch), then it moves as the wall clock does, until ``skip_to_the_end``."""
        request = PublishRequest(brand=brand, slot=slot.isoformat(), dry_run=dry_run)
        start = self.env.client.start_workflow(
            FeedPublisherWorkflow.run, request, id=f"planned-{brand}-{uuid.uuid4().hex[:8]}",
            task_queue=task_queue or self.task_queue,
        )  # fmt: skip
        if not until_planned:
            return await start
        with self.env.with_time_skipping_disabled():
            handle = await start
        await self.env.fast_forward(handle, PAST_THE_FIRST_LOOK)
        await planned(handle)
        return handle

    async def skip_to_the_end(self, handle: WorkflowHandle[Any, PublishReport]) -> None:
        await self.env.fast_forward(handle, None)

    @asynccontextmanager
    async def worker(
        self,
        task_queue: str,
        brands_file: Path | None = None,
        *,
        interceptors: Sequence[Interceptor] = (),
    ) -> AsyncIterator[None]:
        """A worker as the worker process makes it, on ``task_queue``, reading ``brands_file``
        (the copy by default), with ``interceptors`` of workflows besides its own; stopped, its
        connections closed, on leaving."""
        settings = self.stack.worker_settings(
            TEMPORAL_TASK_QUEUE=task_queue, BRANDS_FILE=str(brands_file or self.brands_file)
        )
        destinations = destinations_for(settings, self.stack.notify_env)
        client = self.env.client
        if interceptors:  # a worker takes the interceptors of its client
            client = Client(**{**client.config(), "interceptors": interceptors})
        async with AsyncExitStack() as closing:
            activities = activities_for(
                settings, closing, destinations=destinations, temporal=client
            )
            async with build_worker(client, settings, activities, Tracing()):
                yield


@asynccontextmanager
async def skipping_temporal(stack: EmbeddedStack, folder: Path) -> AsyncIterator[Skipping]:
    """The time-skipping Temporal and a worker on it, reading a copy of the stack's brands file
    in ``folder`` (tests change it)."""
    brands_file = folder / "brands.toml"
    shutil.copy(stack.options.brands_file, brands_file)
    env = await WorkflowEnvironment.start_time_skipping_v2(
        dev_server_existing_path=str(Path(sys.executable).parent / "temporal"),
        dev_server_extra_args=SKIPPING_ARGS,
        search_attributes=[BRAND_SEARCH_ATTRIBUTE],
    )
    try:
        skipping = Skipping(env, f"planned-{uuid.uuid4().hex[:8]}", brands_file, stack)
        async with skipping.worker(skipping.task_queue):
            yield skipping
    finally:
        await env.shutdown()


@pytest.fixture(scope="session")
async def skipping(stack: EmbeddedStack, tmp_path_factory: Any) -> AsyncIterator[Skipping]:
    async with skipping_temporal(stack, tmp_path_factory.mktemp("planned")) as started:
        yield started


def hours_ahead(hours: float) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) + timedelta(hours=hours)


async def planned(handle: WorkflowHandle[Any, PublishReport]) -> None:
    """Return once the run's plan is in place and it waits for its slot, or once it ended
    (before its slot, the test finds why)."""

    async def waiting() -> bool:
        step: str = (await handle.query(FeedPublisherWorkflow.progress)).step
        return step in ("awaiting_approval", "planned", "done")

    await poll(waiting, "the run to make its plan", timeout=60)


def photo_status(stack: EmbeddedStack, key: str) -> str:
    return str(query(stack, "SELECT status FROM photos WHERE key = %s", key)[0][0])


async def completed_at(handle: WorkflowHandle[Any, Any], step: str) -> datetime:
    """When the run's (last) activity ``step`` completed, from its history (on a time-skipping
    Temporal, the run's own clock)."""
    scheduled: dict[int, str] = {}
    completed = None
    async for event in handle.fetch_history_events():
        attributes = event.activity_task_scheduled_event_attributes
        if event.HasField("activity_task_scheduled_event_attributes"):
            scheduled[event.event_id] = attributes.activity_type.name
        done = event.activity_task_completed_event_attributes
        if (
            event.HasField("activity_task_completed_event_attributes")
            and scheduled.get(done.scheduled_event_id) == step
        ):
            completed = event.event_time.ToDatetime(tzinfo=UTC)
    assert completed is not None, f"no {step} completed"
    return completed
