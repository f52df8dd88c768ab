"""The worker serves Prometheus metrics (Temporal's and ours) and a health endpoint.

A Temporal runtime is process-wide and the session worker already uses the default one: this
worker gets its own runtime, client and task queue, so its counters start at zero.
"""

from __future__ import annotations

import asyncio
import re
import socket
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from temporalio.client import Client

from devstack.stack import EmbeddedStack
from temporal_app.mcp_client import McpConnection
from temporal_app.observability.health import Health, serve_health
from temporal_app.worker import run_worker
from tests.polling import poll

from .helpers import publish, upload_photo

SAMPLE = re.compile(r"^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$")
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def free_address() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{probe.getsockname()[1]}"


def value(exposition: str, name: str, **labels: str) -> float:
    """Sum of the samples of ``name`` carrying ``labels`` (0 when there is none)."""
    total = 0.0
    for line in exposition.splitlines():
        match = SAMPLE.match(line)
        if match and match.group(1) == name:
            found = dict(LABEL.findall(match.group(2) or ""))
            if labels.items() <= found.items():
                total += float(match.group(3))
    return total


async def answer(url: str, until: Callable[[httpx.Response], bool]) -> httpx.Response:
    """GET ``url`` until the answer satisfies ``until`` (the server may still be starting)."""
    async with httpx.AsyncClient(timeout=10) as http:

        async def satisfying() -> httpx.Response | None:
            response = await http.get(url)
            return response if until(response) else None

        return await poll(satisfying, f"an answer from {url}", ignoring=(httpx.TransportError,))


async def test_the_worker_counts_posts_per_brand_and_platform_beside_temporals_metrics(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    queue = f"metered-{uuid.uuid4().hex[:8]}"
    metrics_at, health_at = free_address(), free_address()
    settings = stack.worker_settings(
        TEMPORAL_TASK_QUEUE=queue, METRICS_BIND_ADDRESS=metrics_at, HEALTH_BIND_ADDRESS=health_at
    )
    upload_photo(stack, s3, "costume")
    stop = asyncio.Event()
    worker = asyncio.create_task(run_worker(settings, stop=stop, notify_env=stack.notify_env))
    published = {"brand": "costume", "platform": "facebook", "status": "published"}
    try:
        health = await answer(f"http://{health_at}/healthz", lambda r: r.status_code == 200)
        before = (await answer(f"http://{metrics_at}/metrics", lambda r: True)).text
        report = await publish(client, stack, "costume", task_queue=queue)
        after = (
            await answer(
                f"http://{metrics_at}/metrics",
                lambda r: value(r.text, "feedpub_posts", **published) > 0,
            )
        ).text
    finally:
        stop.set()
        await worker

    assert health.json() == {
        "status": "up",
        "parts": {name: {"up": True} for name in ("temporal", "feed-publisher", "agent-outputs")},
    }
    assert report.status == "published"
    assert value(before, "feedpub_posts", **published) == 0
    assert value(after, "feedpub_posts", **published) == 1
    assert value(after, "feedpub_posts", brand="costume", platform="instagram") == 1
    assert value(after, "feedpub_runs", brand="costume", status="published") == 1
    steps = value(after, "feedpub_step_seconds_count", brand="costume", step="reserve_photo")
    assert steps == 1
    spent = value(after, "feedpub_step_seconds_sum", brand="costume")
    assert spent == pytest.approx(sum(report.timings.values()), abs=0.05)
    assert report.captions and report.captions.usage.cost_usd
    cost = value(after, "feedpub_caption_cost_usd_sum", brand="costume")
    assert cost == pytest.approx(report.captions.usage.cost_usd)
    # Temporal's own metrics, from the same runtime and endpoint.
    assert value(after, "temporal_workflow_completed", task_queue=queue) == 1
    # Twelve steps (the ten of a run, and its two posts read back), each an ordinary activity
    # (none local: see patches.SHORT_STEPS_AS_ACTIVITIES).
    # The run's own: a notifier of the run (a team told the brand is back to normal after an
    # earlier test's failure) runs its activities on the same queue.
    ran = {"task_queue": queue, "workflow_type": "FeedPublisherWorkflow"}
    assert value(after, "temporal_activity_execution_latency_count", **ran) == 12
    assert value(after, "temporal_local_activity_execution_latency_count", task_queue=queue) == 0


async def test_health_names_the_part_that_is_down_and_answers_503(
    stack: EmbeddedStack, client: Client
) -> None:
    settings = stack.worker_settings()
    token = settings.mcp_auth_token.get_secret_value()
    probes = [
        McpConnection("feed-publisher", settings.feed_publisher_mcp_url, token, timeout=5),
        McpConnection("agent-outputs", f"http://{free_address()}/mcp", token, timeout=5),
        McpConnection("wrong-token", settings.agent_outputs_mcp_url, "x" * 32, timeout=5),
    ]
    address = free_address()
    server = await serve_health(Health.of_worker(client, probes), address)
    try:
        response = await answer(f"http://{address}/healthz", lambda r: True)
        missing = await answer(f"http://{address}/metrics", lambda r: True)
    finally:
        server.close()
        for probe in probes:
            await probe.close()

    assert response.status_code == 503
    state = response.json()
    assert state["status"] == "down"
    assert state["parts"]["temporal"] == {"up": True}
    assert state["parts"]["feed-publisher"] == {"up": True}
    assert state["parts"]["agent-outputs"]["up"] is False
    assert state["parts"]["wrong-token"]["up"] is False
    assert token not in response.text
    assert missing.status_code == 404
