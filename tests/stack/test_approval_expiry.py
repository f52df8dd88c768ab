"""An approval nobody answers expires at its deadline (virtual time on a time-skipping server),
and the team is told that the slot posted nothing."""

from __future__ import annotations

import asyncio
import sys
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from temporalio.testing import WorkflowEnvironment

from devstack.stack import EmbeddedStack
from feedpub.contract.notices import event_id_of
from feedpub.posting_slots import next_slot_after
from temporal_app.worker import run_worker
from tests.polling import poll

from .helpers import publish, query, upload_photo

TEMPORAL = Path(sys.executable).parent / "temporal"
SKIPPING = ["--dynamic-config-value", "frontend.WorkflowTimeSkippingEnabled=true"]


async def test_an_unanswered_approval_expires_publishes_nothing_and_gives_the_photo_back(
    stack: EmbeddedStack, s3: Any
) -> None:
    env = await WorkflowEnvironment.start_time_skipping_v2(
        dev_server_existing_path=str(TEMPORAL), dev_server_extra_args=SKIPPING
    )
    async with env:
        queue = f"expiry-{uuid.uuid4().hex[:8]}"
        settings = stack.worker_settings(
            TEMPORAL_ADDRESS=env.client.service_client.config.target_host,
            TEMPORAL_TASK_QUEUE=queue,
        )
        stop = asyncio.Event()
        worker = asyncio.create_task(run_worker(settings, stop=stop, notify_env=stack.notify_env))
        upload_photo(stack, s3, "atelier")
        try:
            report = await publish(env.client, stack, "atelier", task_queue=queue)
            expired = event_id_of("approval_expired", "atelier", report.workflow_id)
            told = await poll(
                lambda: stack.inbox.received(event_id=expired), "the expiry to be told"
            )
        finally:
            stop.set()
            await worker

    assert report.status == "expired" and report.approval is not None
    assert report.approval.startswith("expired: nobody decided before ")
    assert "so that slot posted nothing" in told[0].body
    assert report.facebook is None and report.instagram is None
    started = datetime.fromisoformat(report.started_at)
    waited = (datetime.fromisoformat(report.finished_at) - started).total_seconds()
    # The deadline is the brand's hour, cut at its next posting slot: virtual time, not real.
    brand = stack.brands["atelier"]
    expected = min(3600.0, (next_slot_after(brand, started) - started).total_seconds())
    assert expected - 5 <= waited <= expected + 60
    assert query(stack, "SELECT status FROM photos WHERE key = %s", report.photo_key) == [
        ("available",)
    ]
