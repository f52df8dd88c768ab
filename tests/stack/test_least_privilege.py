"""Least privilege between processes, against the real MCP servers over HTTP: the read token
lists and reads, nothing more; only prepared images are published; requests addressed to a
name the server does not answer to are refused."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.server.mcpserver import MCPServer
from temporalio.exceptions import ApplicationError

from devstack.serve import serve_in_thread
from devstack.stack import EmbeddedStack
from feedpub.contract.notices import Notice, event_id_of
from feedpub.contract.tools import CLAIM_NOTICE, NOTICE_TOOLS
from feedpub.settings import McpHttpSettings, load_settings
from mcp_servers._access import READ_ONLY
from mcp_servers._serve import http_app
from mcp_servers.agent_outputs.server import server as agent_outputs
from mcp_servers.feed_publisher.library.keys import claude_copy_key
from mcp_servers.feed_publisher.server import server as feed_publisher
from temporal_app.mcp_client import McpConnection

from .cli import feedpub
from .helpers import media_sha256, posts_of_image, query, upload_photo

SERVERS = {"feed-publisher": feed_publisher, "agent-outputs": agent_outputs}


@pytest.fixture
async def as_reader(stack: EmbeddedStack) -> AsyncIterator[dict[str, McpConnection]]:
    """Sessions with both servers holding the read token, as ``feedpub reports`` does."""
    sessions = {
        name: McpConnection(name, url, stack.mcp_read_token) for name, url in stack.mcp_urls.items()
    }
    yield sessions
    for session in sessions.values():
        await session.close()


async def _refusal(session: McpConnection, tool: str, arguments: dict[str, Any]) -> str:
    """The error type the server answers ``tool`` with, or ``answered``."""
    try:
        await session.call(tool, arguments)
    except ApplicationError as refused:
        assert refused.non_retryable or refused.type != "PublishScopeRequired"
        return str(refused.type)
    return "answered"


async def test_only_the_tools_that_list_and_read_are_open_to_the_read_token() -> None:
    read_only = {
        name: {tool.name for tool in await server.list_tools() if tool.annotations == READ_ONLY}
        for name, server in SERVERS.items()
    }
    assert read_only == {
        "feed-publisher": {
            "get_prepared_media",
            "list_brand_alerts",
            "count_unused_photos",
            "photo_stored",
            "list_reserved_photos",
            "read_meta_token",
            "verify_post",
        },
        "agent-outputs": {
            "list_reports",
            "get_report",
            "list_notices",
            "list_open_problems",
            "list_planned_slots",
            "get_brand_tastes",
            "get_caption_examples",
        },
    }


async def test_the_read_token_reads_and_every_tool_that_changes_state_refuses_it(
    stack: EmbeddedStack, as_reader: dict[str, McpConnection]
) -> None:
    reports, library = as_reader["agent-outputs"], as_reader["feed-publisher"]
    assert await _refusal(reports, "list_reports", {"limit": 1}) == "answered"
    assert await _refusal(reports, "get_report", {"run_id": "none"}) == "ReportNotFound"
    assert await _refusal(library, "list_brand_alerts", {}) == "answered"
    prepared = {"brand": "costume", "media_key": "costume/.derived/none.instagram.jpg"}
    assert await _refusal(library, "get_prepared_media", prepared) == "MediaNotFound"
    # The read-back reads with the brand's publish token: only the brand's own posts.
    look = {**prepared, "platform": "facebook", "caption": "Linen."}
    escape = {**look, "post_id": "../me/conversations"}
    assert await _refusal(library, "verify_post", escape) == "BadPostId"
    assert await _refusal(library, "verify_post", {**look, "post_id": "1001_7"}) == "PostNotOfBrand"

    for name, server in SERVERS.items():
        for tool in await server.list_tools():
            if tool.annotations != READ_ONLY:
                refused = await _refusal(as_reader[name], tool.name, {})
                assert refused == "PublishScopeRequired", tool.name

    # Refused before anything changed, with the arguments the tool takes.
    run_id = f"forged-{uuid.uuid4().hex[:8]}"
    report = {"run_id": run_id, "workflow_id": run_id, "brand": "costume", "status": "published"}
    forged = {**report, "photo_key": None, "report": {"note": "written with the read token"}}
    assert await _refusal(reports, "save_publication_report", forged) == "PublishScopeRequired"
    assert query(stack, "SELECT 1 FROM publication_reports WHERE run_id = %s", run_id) == []
    claimed = {"notice": dataclasses.asdict(_notice())}
    assert await _refusal(reports, "claim_notice", claimed) == "PublishScopeRequired"
    event_id = claimed["notice"]["event_id"]
    assert query(stack, "SELECT 1 FROM notices WHERE event_id = %s", event_id) == []


def _notice() -> Notice:
    brand = f"privilege-{uuid.uuid4().hex[:8]}"
    return Notice(event_id_of("test", brand), "test", brand, datetime.now(UTC).isoformat())


async def test_the_notify_token_reads_and_tells_of_notices_and_can_do_nothing_else(
    stack: EmbeddedStack,
) -> None:
    as_notifier = {
        name: McpConnection(name, url, stack.mcp_notify_token)
        for name, url in stack.mcp_urls.items()
    }
    notices, library = as_notifier["agent-outputs"], as_notifier["feed-publisher"]
    told = _notice()
    try:
        claim = await notices.ask(CLAIM_NOTICE, notice=dataclasses.asdict(told))
        arguments = {"brand": told.brand, "condition": "publishing"}
        assert await _refusal(notices, "close_notice_window", arguments) == "answered"
        assert await _refusal(notices, "list_notices", {"brand": told.brand}) == "answered"
        assert await _refusal(library, "count_unused_photos", {"brand": "costume"}) == "answered"
        refusals = {
            tool.name: await _refusal(as_notifier[name], tool.name, {})
            for name, server in SERVERS.items()
            for tool in await server.list_tools()
            if tool.annotations != READ_ONLY and tool.name not in NOTICE_TOOLS
        }
        with pytest.raises(ApplicationError) as refused:
            await library.call("publish_facebook_photo", {"brand": "costume"})
    finally:
        for session in as_notifier.values():
            await session.close()
    assert claim.send
    assert refusals and set(refusals.values()) == {"PublishScopeRequired"}, refusals
    assert "the notify token (MCP_NOTIFY_TOKEN)" in str(refused.value)


async def test_feedpub_reads_with_the_read_token_and_readmit_asks_for_the_publish_token(
    stack: EmbeddedStack,
) -> None:
    reader = {
        "FEED_PUBLISHER_MCP_URL": stack.mcp_urls["feed-publisher"],
        "MCP_READ_TOKEN": stack.mcp_read_token,
    }
    readmit = ("photos", "readmit", "costume", "costume/any.jpg")
    # The read token given as the publish token: the server itself refuses it.
    mistaken = {**reader, "MCP_AUTH_TOKEN": reader["MCP_READ_TOKEN"]}

    (alerts, listed), (asked, told), (refused, said) = await asyncio.gather(
        feedpub(stack, "alerts", env=reader),
        feedpub(stack, *readmit, env=reader),
        feedpub(stack, *readmit, env=mistaken),
    )

    assert alerts in (0, 1) and "feedpub:" not in listed, listed  # 1: some brand has alerts
    assert asked == 2 and "needs the publish token MCP_AUTH_TOKEN" in told, told
    assert refused == 1 and "needs the publish token (MCP_AUTH_TOKEN)" in said, said


async def test_an_original_photo_is_never_published_only_its_prepared_image(
    stack: EmbeddedStack, s3: Any
) -> None:
    original = upload_photo(stack, s3, "costume")
    sneaked = f"costume/.derived/../{original.removeprefix('costume/')}"
    claudes_copy = claude_copy_key("costume/", original)  # beside it, but not shaped for posting
    run_id = f"original-{uuid.uuid4().hex[:8]}"
    publisher = McpConnection("feed-publisher", stack.mcp_urls["feed-publisher"], stack.mcp_token)
    try:
        for tool in ("publish_facebook_photo", "publish_instagram_photo"):
            for media_key in (original, sneaked, claudes_copy):
                arguments = {"brand": "costume", "run_id": run_id, "media_key": media_key}
                with pytest.raises(ApplicationError) as refused:
                    await publisher.call(tool, {**arguments, "caption": "Hi.", "alt_text": "A."})
                assert refused.value.type == "NotPreparedMedia", tool
                assert refused.value.non_retryable and "only prepared images" in str(refused.value)
    finally:
        await publisher.close()
    assert query(stack, "SELECT count(*) FROM publications WHERE run_id = %s", run_id) == [(0,)]
    assert posts_of_image(stack, "costume", media_sha256(stack, s3, original)) == (0, 0)


def _probe() -> MCPServer[Any]:
    probe: MCPServer[Any] = MCPServer("probe")

    @probe.tool(annotations=READ_ONLY)
    def ping() -> str:
        return "pong"

    return probe


async def test_a_server_on_every_interface_answers_only_the_host_names_it_is_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = "t" * 32
    monkeypatch.setenv("MCP_AUTH_TOKEN", token)
    monkeypatch.setenv("MCP_ALLOWED_HOSTS", "feed-publisher-mcp")
    served = serve_in_thread(http_app(_probe(), load_settings(McpHttpSettings), host="0.0.0.0"))
    url, named = f"{served.url}/mcp", f"feed-publisher-mcp:{served.port}"
    headers = {"authorization": f"Bearer {token}", "accept": "application/json, text/event-stream"}
    listing = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    try:
        async with (
            httpx2.AsyncClient(headers={**headers, "host": named}) as http2,
            Client(streamable_http_client(url, http_client=http2)) as client,
        ):
            answered = await client.call_tool("ping", {})
        async with httpx.AsyncClient(headers=headers) as http:
            rebound = await http.post(
                url, json=listing, headers={"host": f"rebound.example:{served.port}"}
            )
            from_a_page = await http.post(
                url, json=listing, headers={"host": named, "origin": "http://rebound.example"}
            )
    finally:
        served.stop()
    assert not answered.is_error
    assert (rebound.status_code, from_a_page.status_code) == (421, 403)
