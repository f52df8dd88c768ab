"""With Langfuse keys set, a run started by a Schedule is one trace tree: Temporal's workflow
and activity spans, our span per activity attempt, Claude calls as generations."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from langfuse import Langfuse
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionExecutionStartWorkflow,
    ScheduleActionStartWorkflow,
    ScheduleSpec,
    ScheduleState,
)

from devstack.stack import EmbeddedStack
from devstack.trace_receiver import OtlpReceiver, attributes, draw_traces
from feedpub.contract.run import PublishReport, PublishRequest
from temporal_app.observability.trace_tree import run_trace_ids
from temporal_app.worker import run_worker
from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow
from tests.polling import poll

from .helpers import upload_photo

STEPS = (
    "get_brand_policy", "reserve_photo", "analyze_photo", "generate_caption", "prepare_media",
    "publish_facebook", "publish_instagram", "mark_photo_used", "save_report",
)  # fmt: skip


@asynccontextmanager
async def traced_worker(
    stack: EmbeddedStack, base_url: str, *, secret_key: str = "sk-lf-local-secret-key"
) -> AsyncIterator[str]:
    """A worker with tracing on, on a task queue of its own; stopping it flushes the spans."""
    queue = f"traced-{uuid.uuid4().hex[:8]}"
    settings = stack.worker_settings(
        TEMPORAL_TASK_QUEUE=queue,
        # Langfuse keeps one exporter per public key in a process: each worker its own key.
        LANGFUSE_PUBLIC_KEY=f"pk-lf-{uuid.uuid4().hex[:8]}",
        LANGFUSE_SECRET_KEY=secret_key,
        LANGFUSE_BASE_URL=base_url,
    )
    stop = asyncio.Event()
    worker = asyncio.create_task(run_worker(settings, stop=stop, notify_env=stack.notify_env))
    try:
        yield queue
    finally:
        stop.set()
        await worker


async def run_by_schedule(client: Client, queue: str, brand: str) -> tuple[str, PublishReport]:
    """Start one run through a (paused, triggered) Schedule: no client span exists."""
    schedule_id = f"{brand}-traced{uuid.uuid4().hex[:6]}-daily-posts"
    handle = await client.create_schedule(
        schedule_id,
        Schedule(
            action=ScheduleActionStartWorkflow(
                FeedPublisherWorkflow.run, PublishRequest(brand=brand),
                id=schedule_id, task_queue=queue,
            ),
            spec=ScheduleSpec(),
            state=ScheduleState(paused=True),
        ),
    )  # fmt: skip
    try:
        await handle.trigger()

        async def started() -> str | None:
            actions = (await handle.describe()).info.recent_actions
            if actions and isinstance(actions[0].action, ScheduleActionExecutionStartWorkflow):
                return actions[0].action.workflow_id
            return None

        workflow_id = await poll(started, "the schedule to start a run")
        run = client.get_workflow_handle(workflow_id, result_type=PublishReport)
        return workflow_id, await run.result()
    finally:
        await handle.delete()


async def spans_of(receiver: OtlpReceiver, trace_id: str, *names: str) -> list[Any]:
    """The trace's spans once those named have arrived (stopping the worker flushed them)."""

    def arrived() -> list[Any]:
        found = [span for span in receiver.spans if span.trace_id.hex() == trace_id]
        return found if set(names) <= {span.name for span in found} else []

    return await poll(arrived, f"the spans {', '.join(names)}")


async def test_a_scheduled_run_is_one_trace_tree_under_its_workflow_span(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    assert stack.claude is not None
    receiver = OtlpReceiver()
    upload_photo(stack, s3, "costume")
    # Claude says 429 once (retry after 1 s): generate_caption takes two attempts.
    stack.claude.set_fault("rate_limit", times=1, seconds=1)
    try:
        async with traced_worker(stack, receiver.url) as queue:
            workflow_id, report = await run_by_schedule(client, queue, "costume")
        trace_id = Langfuse.create_trace_id(seed=workflow_id)
        spans = await spans_of(receiver, trace_id, *STEPS, "RunWorkflow:FeedPublisherWorkflow")
    finally:
        stack.claude.clear_faults()
        receiver.stop()

    assert report.status == "published"
    by_id = {span.span_id: span for span in spans}
    roots = [span for span in spans if not span.parent_span_id]
    assert [root.name for root in roots] == ["RunWorkflow:FeedPublisherWorkflow"]
    assert roots[0].span_id == run_trace_ids(workflow_id)[1].to_bytes(8, "big")
    orphans = [s.name for s in spans if s.parent_span_id and s.parent_span_id not in by_id]
    assert not orphans, f"spans whose parent is not in the trace: {orphans}"
    assert "CompleteWorkflow:FeedPublisherWorkflow" in {span.name for span in spans}

    def parent(span: Any) -> Any:
        return by_id[span.parent_span_id]

    slot = workflow_id.rsplit("-daily-posts-", 1)[1]
    for step in STEPS:
        ours = sorted(
            (span for span in spans if span.name == step),
            key=lambda span: attributes(span)["langfuse.observation.metadata.attempt"],
        )
        attempts = [attributes(s)["langfuse.observation.metadata.attempt"] for s in ours]
        assert attempts == (["1", "2"] if step == "generate_caption" else ["1"]), step
        starts = {parent(parent(span)).span_id for span in ours}
        assert len(starts) == 1, f"{step}: every attempt under one StartActivity"
        for span in ours:
            assert parent(span).name == f"RunActivity:{step}"
            assert parent(parent(span)).name == f"StartActivity:{step}"
            assert parent(parent(parent(span))) is roots[0]
            found = attributes(span)
            assert found["langfuse.trace.name"] == f"costume post {slot}"
            assert found["langfuse.trace.metadata.run_id"] == f'"{report.run_id}"'
            assert found["langfuse.trace.metadata.brand"] == '"costume"'
    failed_attempt = attributes(next(s for s in spans if s.name == "generate_caption"))
    levels = {
        attributes(s)["langfuse.observation.metadata.attempt"]: attributes(s).get(
            "langfuse.observation.level"
        )
        for s in spans
        if s.name == "generate_caption"
    }
    assert levels["1"] == "ERROR" and levels["2"] != "ERROR", failed_attempt

    generations = [
        s for s in spans if attributes(s).get("langfuse.observation.type") == "generation"
    ]
    assert {parent(g).name for g in generations} == {"generate_caption"}
    costed = [
        attributes(g) for g in generations if "langfuse.observation.cost_details" in attributes(g)
    ]
    assert len(costed) == 1, "usage and cost counted once, by the call that answered"
    assert costed[0]["langfuse.observation.model.name"] == "claude-sonnet-5-5"
    assert report.captions is not None
    usage = costed[0]["langfuse.observation.usage_details"]
    assert f'"output": {report.captions.usage.output_tokens}' in usage
    assert "cache_read_input_tokens" in usage
    # No second source of usage: the anthropic SDK's own spans are off.
    assert not [s for s in spans if any(k.startswith("gen_ai.usage") for k in attributes(s))]

    saved = attributes(next(span for span in spans if span.name == "save_report"))
    assert saved["langfuse.trace.metadata.photo_key"] == f'"{report.photo_key}"'
    assert report.facebook and report.instagram
    assert str(report.facebook.post_id) in saved["langfuse.trace.metadata.facebook"]
    assert str(report.instagram.post_id) in saved["langfuse.trace.metadata.instagram"]

    payload = b"".join(receiver.raw)
    for secret in stack.secrets():
        assert secret.encode() not in payload
    assert b"\xff\xd8\xff" not in payload and b"/9j/" not in payload, "no JPEG, raw or base64"

    # The drawing `make run --traces` prints: the one tree, every step under the root.
    [drawing] = draw_traces(spans)
    lines = drawing.splitlines()
    assert lines[0].startswith(f"trace {trace_id}") and f"costume post {slot}" in lines[0]
    assert lines[1].startswith("  RunWorkflow:FeedPublisherWorkflow")
    assert "(orphan)" not in drawing
    assert sum(line.strip().startswith("RunActivity:generate_caption") for line in lines) == 2
    assert f"{len(spans)} spans" in lines[0]
