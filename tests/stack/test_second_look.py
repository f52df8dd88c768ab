"""A run looks at its photo twice: the second look, by any replica of the feed-publisher,
serves what the first stored in S3 and the ledger, until the file in S3 is replaced. The
brand `padshop` is the hostile-photo tests' own: no run takes its photos."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from mcp import Client
from mcp.types import CallToolResult

from devstack.stack import EmbeddedStack
from mcp_servers.feed_publisher.library.decode_attempts import UNFINISHED_LIMIT
from mcp_servers.feed_publisher.server import server as feed_publisher
from temporal_app.mcp_client import McpConnection
from tests.unit.photo_files import encoded
from tests.unit.test_image_facts import scene

from .helpers import feed_publisher_environment, ledger_photo, query


@pytest.fixture
def replica(stack: EmbeddedStack, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A second feed-publisher server, in this process, on the stack's S3 and database."""
    for name, value in feed_publisher_environment(stack).items():
        monkeypatch.setenv(name, value)
    return feed_publisher


async def look_over_http(stack: EmbeddedStack, key: str) -> CallToolResult:
    """``view_image`` of the padshop photo ``key`` by the stack's own server."""
    server = McpConnection("feed-publisher", stack.mcp_urls["feed-publisher"], stack.mcp_token)
    try:
        return await server.call("view_image", {"brand": "padshop", "key": key})
    finally:
        await server.close()


def seen(result: CallToolResult) -> list[Any]:
    """What the look answered: the image's base64 data, then the facts."""
    return [getattr(block, "data", None) or json.loads(block.text) for block in result.content]


async def test_a_second_look_by_another_replica_decodes_nothing_yet_checks_posted_twins(
    stack: EmbeddedStack, s3: Any, replica: Any
) -> None:
    key = ledger_photo(stack, s3, encoded(scene(9101, (1200, 900)), "JPEG"))
    first = await look_over_http(stack, key)
    # From here on, a decode of this photo is refused as one that never finished.
    query(stack, "UPDATE photos SET unfinished_decodes = %s WHERE key = %s RETURNING 1",
          UNFINISHED_LIMIT, key)  # fmt: skip

    async with Client(replica) as client:
        second = await client.call_tool("view_image", {"brand": "padshop", "key": key})
        twin = f"padshop/{uuid.uuid4().hex[:8]}/posted.jpg"
        query(stack, "INSERT INTO photos (brand, key, status, used_at, phash)"
              " SELECT brand, %s, 'used', now(), phash FROM photos WHERE key = %s RETURNING 1",
              twin, key)  # fmt: skip
        third = await client.call_tool("view_image", {"brand": "padshop", "key": key})

    assert not second.is_error and seen(second) == seen(first)
    refusal = " ".join(getattr(block, "text", "") for block in third.content)
    assert third.is_error and f"near-duplicate of {twin}" in refusal


async def test_a_photo_replaced_in_s3_after_its_first_look_is_decoded_again(
    stack: EmbeddedStack, s3: Any, replica: Any
) -> None:
    key = ledger_photo(stack, s3, encoded(scene(9102, (1200, 900)), "JPEG"))
    first = await look_over_http(stack, key)
    s3.put_object(
        Bucket=stack.s3_env["S3_BUCKET"], Key=key, Body=encoded(scene(9103, (900, 1200)), "JPEG")
    )

    async with Client(replica) as client:
        second = await client.call_tool("view_image", {"brand": "padshop", "key": key})

    (_, first_facts), (_, facts) = seen(first), seen(second)
    assert (first_facts["orientation"], facts["orientation"]) == ("landscape", "portrait")
    assert query(stack, "SELECT facts FROM photos WHERE key = %s", key) == [(facts,)]


async def test_a_look_refuses_a_near_duplicate_of_a_photo_another_run_holds_but_keeps_it(
    stack: EmbeddedStack, s3: Any, replica: Any
) -> None:
    key = ledger_photo(stack, s3, encoded(scene(9104, (1200, 900)), "JPEG"))
    await look_over_http(stack, key)
    twin = f"padshop/{uuid.uuid4().hex[:8]}/planned.jpg"
    query(stack, "INSERT INTO photos (brand, key, status, phash)"
          " SELECT brand, %s, 'available', phash FROM photos WHERE key = %s RETURNING 1",
          twin, key)  # fmt: skip

    async with Client(replica) as client:
        while_free = await client.call_tool("view_image", {"brand": "padshop", "key": key})
        query(stack, "UPDATE photos SET status = 'reserved', run_id = %s, reserved_at = now()"
              " WHERE key = %s RETURNING 1", f"planned-{uuid.uuid4().hex[:8]}", twin)  # fmt: skip
        while_held = await client.call_tool("view_image", {"brand": "padshop", "key": key})

    assert not while_free.is_error
    refusal = " ".join(getattr(block, "text", "") for block in while_held.content)
    assert while_held.is_error and f"near-duplicate of {twin}, which another run holds" in refusal
    assert '"type": "NearDuplicateHeld"' in refusal
    # Not rejected: the other run may give its photo back, and this one can then be posted.
    assert query(stack, "SELECT status, reason FROM photos WHERE key = %s", key) == [
        ("available", None)
    ]
