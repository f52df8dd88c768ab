"""With Langfuse keys set, a run is one trace: a span per activity, Claude calls as generations."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

from langfuse import Langfuse
from temporalio.client import Client

from devstack.stack import EmbeddedStack
from temporal_app.models import PublishRequest
from temporal_app.worker import run_worker
from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow

from .helpers import upload_photo
from .otlp_receiver import OtlpReceiver, attributes


async def test_a_run_is_one_trace_with_activity_spans_and_claude_generations(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    receiver = OtlpReceiver()
    queue = f"traced-{uuid.uuid4().hex[:8]}"
    settings = stack.worker_settings(
        TEMPORAL_TASK_QUEUE=queue,
        LANGFUSE_PUBLIC_KEY="pk-lf-local",
        LANGFUSE_SECRET_KEY="sk-lf-local-secret-key",
        LANGFUSE_BASE_URL=receiver.url,
    )
    upload_photo(stack, s3, "costume")
    stop = asyncio.Event()
    worker = asyncio.create_task(run_worker(settings, stop=stop))
    try:
        report = await client.execute_workflow(
            FeedPublisherWorkflow.run, PublishRequest(brand="costume"),
            id=f"traced-{uuid.uuid4().hex[:8]}", task_queue=queue,
        )  # fmt: skip
    finally:
        stop.set()
        await worker  # shuts the tracer down, which flushes
    try:
        deadline = time.monotonic() + 20
        while len({s.name for s in receiver.spans}) < 9 and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
    finally:
        receiver.stop()

    trace_id = Langfuse.create_trace_id(seed=report.run_id)
    names = {span.name for span in receiver.spans if span.trace_id.hex() == trace_id}
    assert {
        "reserve_photo", "analyze_photo", "generate_caption", "prepare_media",
        "publish_facebook", "publish_instagram", "mark_photo_used", "save_report",
        "describe photo", "write captions",
    } <= names  # fmt: skip
    generation = next(s for s in receiver.spans if s.name == "write captions")
    found = attributes(generation)
    assert found["langfuse.observation.type"] == "generation"
    assert found["langfuse.observation.model.name"] == "claude-sonnet-5-5"
    assert '"output"' in found["langfuse.observation.usage_details"]
    assert (
        report.captions
        and str(report.captions.usage.output_tokens) in found["langfuse.observation.usage_details"]
    )
    payload = b"".join(receiver.raw)
    for secret in stack.secrets():
        assert secret.encode() not in payload
