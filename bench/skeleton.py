"""The floor of the speed benches: a bare Temporal workflow shaped like FeedPublisherWorkflow.

The same ten activities in the same order (the two publishing ones side by side), bodies that
only sleep for the latency the emulators add to the real calls, and a worker with the
product's tuning. ``python -m bench.skeleton`` runs that worker against ``TEMPORAL_ADDRESS``
on ``TEMPORAL_TASK_QUEUE`` until SIGTERM.
"""

from __future__ import annotations

import asyncio
import os
import signal
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.worker import Worker

with workflow.unsafe.imports_passed_through():
    from temporal_app.worker import worker_tuning

TOKEN_META_CALLS = 1
"""``debug_token`` before taking a photo."""
CAPTION_CLAUDE_CALLS = 1
"""Claude looks at the photo and writes the captions in one request."""
FACEBOOK_META_CALLS = 2
"""Upload the photo unpublished, then post it."""
INSTAGRAM_META_CALLS = 5
"""Create the container, read its status, read the quota, publish, read the permalink."""


@dataclass
class Latency:
    """Seconds each emulated call takes."""

    claude: float = 0.0
    meta: float = 0.0


def _step(name: str) -> Any:
    @activity.defn(name=name)
    async def step(seconds: float) -> None:
        if seconds:
            await asyncio.sleep(seconds)

    return step


STEPS = [
    _step(name)
    for name in (
        "get_brand_policy", "check_meta_token", "reserve_photo", "analyze_photo",
        "generate_caption", "prepare_media", "publish_facebook", "publish_instagram",
        "mark_photo_used", "save_report",
    )
]  # fmt: skip


@workflow.defn(name="SkeletonWorkflow")
class SkeletonWorkflow:
    @workflow.run
    async def run(self, latency: Latency) -> None:
        async def step(name: str, seconds: float = 0.0) -> None:
            await workflow.execute_activity(
                name,
                seconds,
                start_to_close_timeout=timedelta(seconds=60),
                heartbeat_timeout=timedelta(seconds=15),
            )

        await step("get_brand_policy")
        await step("check_meta_token", TOKEN_META_CALLS * latency.meta)
        await step("reserve_photo")
        await step("analyze_photo")
        await step("generate_caption", CAPTION_CLAUDE_CALLS * latency.claude)
        await step("prepare_media")
        await asyncio.gather(
            step("publish_facebook", FACEBOOK_META_CALLS * latency.meta),
            step("publish_instagram", INSTAGRAM_META_CALLS * latency.meta),
        )
        await step("mark_photo_used")
        await step("save_report")


async def serve() -> None:
    client = await Client.connect(os.environ["TEMPORAL_ADDRESS"])
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    worker = Worker(
        client,
        task_queue=os.environ["TEMPORAL_TASK_QUEUE"],
        workflows=[SkeletonWorkflow],
        activities=STEPS,
        **worker_tuning(),
    )
    async with worker:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(serve())
