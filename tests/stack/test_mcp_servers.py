"""The MCP servers: in memory (a client on the server object) and over streamable HTTP."""

from __future__ import annotations

import os
import sys
from typing import Any

import httpx
import pytest
from mcp import Client, StdioServerParameters
from temporalio.exceptions import ApplicationError

from devstack.stack import EmbeddedStack
from mcp_servers.agent_outputs.server import server as agent_outputs
from mcp_servers.feed_publisher.server import server as feed_publisher
from temporal_app.mcp_client import McpConnection

from .helpers import feed_publisher_environment, query, upload_photo


@pytest.fixture
def feed_publisher_env(stack: EmbeddedStack, monkeypatch: pytest.MonkeyPatch) -> None:
    """The environment the feed-publisher server reads, pointed at the stack."""
    for name, value in feed_publisher_environment(stack).items():
        monkeypatch.setenv(name, value)


@pytest.mark.usefixtures("feed_publisher_env")
async def test_a_retried_reservation_returns_the_same_photo_and_release_gives_it_back(
    stack: EmbeddedStack, s3: Any
) -> None:
    upload_photo(stack, s3, "costume")
    async with Client(feed_publisher) as client:
        first = await client.call_tool(
            "get_random_unused_photo", {"brand": "costume", "run_id": "run-a"}
        )
        again = await client.call_tool(
            "get_random_unused_photo", {"brand": "costume", "run_id": "run-a"}
        )
        assert first.structured_content and again.structured_content
        key = first.structured_content["key"]
        assert again.structured_content["key"] == key
        assert query(stack, "SELECT status, run_id FROM photos WHERE key = %s", key) == [
            ("reserved", "run-a")
        ]
        released = await client.call_tool(
            "release_photo", {"brand": "costume", "key": key, "run_id": "run-a"}
        )
        assert not released.is_error
    assert query(stack, "SELECT status, run_id FROM photos WHERE key = %s", key) == [
        ("available", None)
    ]


@pytest.mark.usefixtures("feed_publisher_env")
async def test_an_unknown_brand_is_a_permanent_error_naming_the_known_brands() -> None:
    async with Client(feed_publisher) as client:
        result = await client.call_tool("get_random_unused_photo", {"brand": "nope", "run_id": "r"})
    assert result.is_error
    text = " ".join(getattr(block, "text", "") for block in result.content)
    assert "unknown brand 'nope'" in text and "pomandi" in text and '"retryable": false' in text


async def test_agent_outputs_saves_one_report_per_run_and_lists_it(
    stack: EmbeddedStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", stack.database_url)
    report = {"brand": "pomandi", "status": "published", "note": "first"}
    args = {
        "run_id": "run-mcp-1",
        "workflow_id": "wf-1",
        "brand": "pomandi",
        "status": "published",
        "photo_key": "pomandi/x.jpg",
    }
    async with Client(agent_outputs) as client:
        await client.call_tool("save_publication_report", {**args, "report": report})
        await client.call_tool(
            "save_publication_report", {**args, "report": {**report, "note": "second"}}
        )
        got = await client.call_tool("get_report", {"run_id": "run-mcp-1"})
        listed = await client.call_tool("list_reports", {"brand": "pomandi", "limit": 200})
    assert got.structured_content and got.structured_content["report"]["note"] == "second"
    assert listed.structured_content
    assert [r["run_id"] for r in listed.structured_content["reports"]].count("run-mcp-1") == 1


async def test_http_transport_refuses_requests_without_the_bearer_token(
    stack: EmbeddedStack,
) -> None:
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    headers = {"accept": "application/json, text/event-stream"}
    async with httpx.AsyncClient() as http:
        for url in stack.mcp_urls.values():
            missing = await http.post(url, json=body, headers=headers)
            wrong = await http.post(
                url, json=body, headers={**headers, "authorization": "Bearer not-the-token"}
            )
            assert (missing.status_code, wrong.status_code) == (401, 401)


async def test_http_transport_serves_tools_with_the_bearer_token(stack: EmbeddedStack) -> None:
    outputs = McpConnection("agent-outputs", stack.mcp_urls["agent-outputs"], stack.mcp_token)
    try:
        with pytest.raises(ApplicationError) as missing:
            await outputs.call("get_report", {"run_id": "no-such-run"})
    finally:
        await outputs.close()
    assert missing.value.type == "ReportNotFound" and missing.value.non_retryable


async def test_agent_outputs_speaks_stdio_as_a_desktop_client_would_start_it(
    stack: EmbeddedStack,
) -> None:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "mcp_servers.agent_outputs"],
        env={"DATABASE_URL": stack.database_url, "PATH": os.environ.get("PATH", "")},
    )
    async with Client(params) as client:
        tools = {tool.name for tool in (await client.list_tools()).tools}
        listed = await client.call_tool("list_reports", {"limit": 1})
    assert tools == {
        "save_publication_report",
        "list_reports",
        "get_report",
        "claim_notice",
        "close_notice_window",
        "record_notice_delivery",
        "list_notices",
        "list_open_problems",
        "claim_slot",
        "release_slot",
        "list_planned_slots",
        "save_post_insights",
        "get_brand_tastes",
        "get_caption_examples",
    }
    assert not listed.is_error


@pytest.mark.usefixtures("feed_publisher_env")
async def test_a_photo_deleted_from_s3_after_its_reservation_is_rejected_not_retried(
    stack: EmbeddedStack, s3: Any
) -> None:
    key = upload_photo(stack, s3, "emptyshop")
    async with Client(feed_publisher) as client:
        reserved = await client.call_tool(
            "get_random_unused_photo", {"brand": "emptyshop", "run_id": "run-deleted"}
        )
        assert reserved.structured_content and reserved.structured_content["key"] == key
        s3.delete_object(Bucket=stack.s3_env["S3_BUCKET"], Key=key)
        result = await client.call_tool("view_image", {"brand": "emptyshop", "key": key})
    text = " ".join(getattr(block, "text", "") for block in result.content)
    assert result.is_error and '"type": "PhotoRejected"' in text and "deleted from S3" in text
    assert query(stack, "SELECT status, reason FROM photos WHERE key = %s", key) == [
        ("rejected", "the file was deleted from S3")
    ]
