"""The hourly checks give back the photos held by runs that no longer exist: a terminated run
ran no cleanup, and its photo would stay reserved, never offered again."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle

from devstack.stack import EmbeddedStack
from feedpub.contract import tools
from feedpub.contract.checks import BrandChecksReport, BrandChecksRequest
from feedpub.contract.run import PublishRequest
from temporal_app.mcp_client import McpConnection
from temporal_app.workflows.brand_checks import BrandChecksWorkflow
from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow
from tests.polling import poll

from .helpers import query, upload_photo

pytestmark = pytest.mark.usefixtures("worker")
BRAND = "costume"


@pytest.fixture
async def feed(stack: EmbeddedStack) -> AsyncIterator[McpConnection]:
    connection = McpConnection("feed-publisher", stack.mcp_urls["feed-publisher"], stack.mcp_token)
    yield connection
    await connection.close()


async def idle_run(client: Client) -> WorkflowHandle[Any, Any]:
    """A run on a task queue no worker polls: Temporal lists it as running, and it does
    nothing."""
    return await client.start_workflow(
        FeedPublisherWorkflow.run,
        PublishRequest(brand=BRAND),
        id=f"held-{uuid.uuid4().hex[:8]}",
        task_queue=f"nobody-polls-{uuid.uuid4().hex[:8]}",
    )


async def listed_as(client: Client, run_id: str, status: WorkflowExecutionStatus) -> bool:
    listed = [run.status async for run in client.list_workflows(f"RunId = '{run_id}'")]
    return listed == [status]


async def hold_a_photo(stack: EmbeddedStack, s3: Any, feed: McpConnection, run_id: str) -> str:
    """A photo of the brand reserved for ``run_id`` (another unused one may be taken)."""
    upload_photo(stack, s3, BRAND)
    photo = await feed.ask(tools.GET_RANDOM_UNUSED_PHOTO, brand=BRAND, run_id=run_id)
    return photo.key


def status_of(stack: EmbeddedStack, key: str) -> str:
    [(status,)] = query(stack, "SELECT status FROM photos WHERE key = %s", key)
    return str(status)


async def test_the_checks_give_back_photos_of_runs_gone_for_ten_minutes_and_leave_running_ones(
    stack: EmbeddedStack, client: Client, s3: Any, feed: McpConnection
) -> None:
    running, terminated = await idle_run(client), await idle_run(client)
    await terminated.terminate("stopped from the Temporal UI")
    running_id, terminated_id = running.result_run_id or "", terminated.result_run_id or ""
    unknown_id = f"forged-{uuid.uuid4().hex[:8]}"
    held = {
        run_id: await hold_a_photo(stack, s3, feed, run_id)
        for run_id in (running_id, terminated_id, unknown_id)
    }
    # Ten minutes later; a photo held since just now by a run Temporal does not know stays.
    query(
        stack,
        "UPDATE photos SET reserved_at = now() - interval '11 minutes'"
        " WHERE key = ANY(%s) RETURNING key",
        list(held.values()),
    )
    just_held = await hold_a_photo(stack, s3, feed, f"starting-{uuid.uuid4().hex[:8]}")
    terminated_listed = WorkflowExecutionStatus.TERMINATED
    await poll(lambda: listed_as(client, terminated_id, terminated_listed), "the run closed")
    await poll(lambda: listed_as(client, running_id, WorkflowExecutionStatus.RUNNING), "listed")

    try:
        report: BrandChecksReport = await client.execute_workflow(
            BrandChecksWorkflow.run,
            BrandChecksRequest(brands=[]),
            id=f"checks-sweep-{uuid.uuid4().hex[:8]}",
            task_queue=stack.options.task_queue,
        )
        kept = status_of(stack, held[running_id]), status_of(stack, just_held)
    finally:
        await running.terminate("the test is over")
        given_back = {"brand": BRAND, "key": held[running_id], "run_id": running_id}
        await feed.call(tools.RELEASE_PHOTO, given_back)

    assert report.sweep_failed is None
    assert {(p.key, p.run_id, p.run_state) for p in report.freed_photos} >= {
        (held[terminated_id], terminated_id, "terminated"),
        (held[unknown_id], unknown_id, "unknown"),
    }
    assert [status_of(stack, held[run_id]) for run_id in (terminated_id, unknown_id)] == [
        "available",
        "available",
    ]
    assert kept == ("reserved", "reserved")
