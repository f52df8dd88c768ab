"""Two replicas of each MCP server behind a round-robin proxy, as behind a load balancer without
sticky sessions: a worker's calls land on either replica, runs publish, and a replica killed
between runs costs nothing but its share of the requests."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx2
import pytest
from mcp import Client as McpClient
from mcp.client.streamable_http import streamable_http_client
from temporalio.client import Client

from devstack.processes import ChildProcess
from devstack.proxy import RoundRobinProxy
from devstack.stack import EmbeddedStack
from feedpub.contract.run import PublishReport
from feedpub.contract.tools import (
    ALL_TOOLS,
    CHECK_META_TOKEN,
    LIST_BRAND_ALERTS,
    LIST_REPORTS,
    TokenHealth,
)
from temporal_app.mcp_client import McpConnection
from temporal_app.worker import run_worker
from tests.polling import poll

from .helpers import media_sha256, posts_of_image, publish, upload_photo
from .inspector import Inspector

SERVERS = {"feed-publisher": "FEED_PUBLISHER_MCP_URL", "agent-outputs": "AGENT_OUTPUTS_MCP_URL"}
READ_TOOLS = {"feed-publisher": LIST_BRAND_ALERTS.name, "agent-outputs": LIST_REPORTS.name}
RUN_DEADLINE = 90.0
"""A run through the proxies takes seconds; one whose calls fail keeps retrying past this."""


@dataclass
class Replicated:
    task_queue: str
    proxies: dict[str, RoundRobinProxy]
    second: dict[str, ChildProcess]
    """The second replica of each server, started for this module."""


@pytest.fixture(scope="module")
async def replicated(stack: EmbeddedStack) -> AsyncIterator[Replicated]:
    """The stack's server and a second replica of each behind a proxy, and a worker of its own
    task queue whose MCP URLs are the proxies'."""
    second: dict[str, ChildProcess] = {}
    proxies: dict[str, RoundRobinProxy] = {}
    stop = asyncio.Event()
    try:
        started = await asyncio.gather(
            *(asyncio.to_thread(stack.start_replica, name, env={}) for name in SERVERS)
        )
        for name, (child, url) in zip(SERVERS, started, strict=True):
            second[name] = child
            proxies[name] = RoundRobinProxy([stack.replica_urls(name)[0], url.removesuffix("/mcp")])
            proxies[name].start()
        queue = f"replicas-{uuid.uuid4().hex[:8]}"
        urls = {variable: f"{proxies[name].url}/mcp" for name, variable in SERVERS.items()}
        settings = stack.worker_settings(TEMPORAL_TASK_QUEUE=queue, **urls)
        worker = asyncio.create_task(run_worker(settings, stop=stop, notify_env=stack.notify_env))
        try:
            yield Replicated(queue, proxies, second)
        finally:
            stop.set()
            await worker
    finally:
        for proxy in proxies.values():
            proxy.stop()
        for child in second.values():
            child.stop()


async def _published(
    client: Client, stack: EmbeddedStack, s3: Any, replicated: Replicated
) -> PublishReport:
    upload_photo(stack, s3, "costume")
    run = publish(client, stack, "costume", task_queue=replicated.task_queue)
    report = await asyncio.wait_for(run, RUN_DEADLINE)
    assert report.status == "published", report
    return report


async def test_a_run_publishes_through_the_proxies_and_every_replica_answers_calls(
    client: Client, stack: EmbeddedStack, s3: Any, replicated: Replicated
) -> None:
    await _published(client, stack, s3, replicated)

    for name, proxy in replicated.proxies.items():
        answered = {backend: proxy.requests[backend] for backend in proxy.requests}
        assert len(answered) == 2 and all(answered.values()), (name, answered)


@pytest.mark.parametrize("name", SERVERS)
async def test_a_client_of_the_initialize_handshake_is_answered_by_either_replica(
    stack: EmbeddedStack, replicated: Replicated, name: str
) -> None:
    """As the MCP Inspector, Claude Desktop and older SDKs connect: ``initialize``, then calls
    that a load balancer sends to whichever replica, never to the one that answered it."""
    headers = {"Authorization": f"Bearer {stack.mcp_read_token}"}
    async with httpx2.AsyncClient(headers=headers) as http:
        transport = streamable_http_client(f"{replicated.proxies[name].url}/mcp", http_client=http)
        async with McpClient(transport, mode="legacy") as client:
            for _ in range(3):
                listed = await client.list_tools(cache_mode="bypass")
                answer = await client.call_tool(READ_TOOLS[name], {})
                assert READ_TOOLS[name] in {tool.name for tool in listed.tools}
                assert not answer.is_error, answer


@pytest.mark.parametrize("name", SERVERS)
async def test_the_mcp_inspector_lists_and_calls_the_tools_through_the_proxy_and_over_stdio(
    stack: EmbeddedStack, replicated: Replicated, inspector: Inspector, name: str
) -> None:
    """The third-party client: over streamable HTTP through the proxy (its handshake and its
    calls land on both replicas), and over stdio with a server of its own."""
    url = f"{replicated.proxies[name].url}/mcp"
    token = ["--header", f"Authorization: Bearer {stack.mcp_read_token}"]
    command, environment = stack.server_command(name)

    over_http = await inspector(url, "--transport", "http", *token, "--method", "tools/list")
    called = await inspector(
        url, "--transport", "http", *token, "--method", "tools/call", "--tool-name",
        READ_TOOLS[name],
    )  # fmt: skip
    over_stdio = await inspector(*command, "--method", "tools/list", env=environment)

    written = {tool.name for tool in ALL_TOOLS if tool.server == name}
    assert {tool["name"] for tool in over_http["tools"]} == written
    assert {tool["name"] for tool in over_stdio["tools"]} == written
    assert called["isError"] is False and called["structuredContent"] is not None


async def test_a_replica_dying_in_the_middle_of_its_answers_fails_only_the_calls_it_had(
    stack: EmbeddedStack,
) -> None:
    """Four slow calls on one connection, two on each replica; one replica dies while it
    holds its two: the two on the other answer."""
    assert stack.meta is not None
    child, url = await asyncio.to_thread(stack.start_replica, "feed-publisher", env={})
    proxy = RoundRobinProxy([stack.replica_urls("feed-publisher")[0], url.removesuffix("/mcp")])
    connection = McpConnection("feed-publisher", f"{proxy.start()}/mcp", stack.mcp_token)
    try:
        await connection.ping()
        asked = stack.meta.request_counts()["debug_token"]
        stack.meta.set_fault(
            {"endpoint": "debug_token", "kind": "latency", "seconds": 3.0, "times": 4}
        )
        calls = [
            asyncio.create_task(connection.ask(CHECK_META_TOKEN, brand="pomandi")) for _ in range(4)
        ]
        await poll(
            lambda: (
                stack.meta is not None and stack.meta.request_counts()["debug_token"] >= asked + 4
            ),
            "the four token checks waiting at Meta",
        )
        child.kill()
        results = await asyncio.gather(*calls, return_exceptions=True)
    finally:
        stack.meta.clear_faults()
        await connection.close()
        proxy.stop()
        child.stop()

    answered = [result for result in results if isinstance(result, TokenHealth)]
    assert len(answered) == 2, results
    assert all(result.valid for result in answered)
    failed = [result for result in results if not isinstance(result, TokenHealth)]
    assert not [f for f in failed if isinstance(f, BaseExceptionGroup)], "errors read as such"


async def test_a_run_after_a_replica_is_killed_publishes_exactly_once(
    client: Client, stack: EmbeddedStack, s3: Any, replicated: Replicated
) -> None:
    for child in replicated.second.values():
        child.kill()  # SIGKILL, as a crashed machine; it is not started again

    report = await _published(client, stack, s3, replicated)

    assert report.media_key is not None
    image = media_sha256(stack, s3, report.media_key)
    assert posts_of_image(stack, "costume", image) == (1, 1)
