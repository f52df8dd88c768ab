"""Langfuse down or slow costs a run nothing; without both keys there is no tracing at all.

Durations are the workflow's own (``started_at`` to ``finished_at``): the second run on a
traced worker (the first warms it up) against the second of two runs on the untraced session
worker just before.
"""

from __future__ import annotations

import socket
import time
from datetime import datetime
from typing import Any

import pytest
from langfuse._client.resource_manager import LangfuseResourceManager
from opentelemetry import trace
from temporalio.client import Client

from devstack.stack import EmbeddedStack
from devstack.trace_receiver import OtlpReceiver
from feedpub.contract.run import PublishReport
from temporal_app.worker import tracing_for

from .helpers import publish, upload_photo
from .test_tracing import run_by_schedule, traced_worker

SLOW_SECONDS = 3.0
"""How late the slow receiver answers each export."""
CLOSE_TO_NORMAL = 1.5
"""Seconds a traced run may take beyond the untraced one: less than one slow answer."""


def duration(report: PublishReport) -> float:
    started, finished = (datetime.fromisoformat(t) for t in (report.started_at, report.finished_at))
    return (finished - started).total_seconds()


async def normal_duration(client: Client, stack: EmbeddedStack, s3: Any) -> float:
    for _ in range(2):
        upload_photo(stack, s3, "costume")
        report = await publish(client, stack, "costume")
    return duration(report)


async def traced_duration(client: Client, stack: EmbeddedStack, s3: Any, queue: str) -> float:
    for _ in range(2):
        upload_photo(stack, s3, "costume")
        _, report = await run_by_schedule(client, queue, "costume")
        assert report.status == "published"
    return duration(report)


def nothing_listening() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.mark.usefixtures("worker")
async def test_a_run_with_langfuse_unreachable_takes_as_long_as_without_tracing(
    stack: EmbeddedStack, client: Client, s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGFUSE_FLUSH_INTERVAL", "0.2")  # export while the run is going
    normal = await normal_duration(client, stack, s3)
    async with traced_worker(stack, nothing_listening()) as queue:
        traced = await traced_duration(client, stack, s3, queue)

    assert traced < normal + CLOSE_TO_NORMAL, (traced, normal)


@pytest.mark.usefixtures("worker")
async def test_a_run_with_langfuse_answering_late_takes_as_long_as_without_tracing(
    stack: EmbeddedStack, client: Client, s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGFUSE_FLUSH_INTERVAL", "0.2")
    receiver = OtlpReceiver(delay=SLOW_SECONDS)
    normal = await normal_duration(client, stack, s3)
    try:
        async with traced_worker(stack, receiver.url) as queue:
            traced = await traced_duration(client, stack, s3, queue)
            runs_ended = time.monotonic()
    finally:
        receiver.stop()

    assert receiver.arrivals and receiver.arrivals[0] < runs_ended, "exports overlapped the runs"
    assert traced < normal + CLOSE_TO_NORMAL, (traced, normal)


@pytest.mark.parametrize(
    ("public_key", "secret_key"), [(None, None), ("pk-lf-only", None), (None, "sk-lf-only")]
)
def test_tracing_is_off_without_both_keys(
    stack: EmbeddedStack, public_key: str | None, secret_key: str | None
) -> None:
    keys = {"LANGFUSE_PUBLIC_KEY": public_key, "LANGFUSE_SECRET_KEY": secret_key}
    settings = stack.worker_settings(
        LANGFUSE_BASE_URL=nothing_listening(), **{k: v for k, v in keys.items() if v}
    )
    clients_before = dict(LangfuseResourceManager._instances)

    tracing = tracing_for(settings)

    assert not tracing.enabled and tracing.langfuse is None
    assert LangfuseResourceManager._instances == clients_before, "no Langfuse client, no exporter"
    assert isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider), "nothing global"
