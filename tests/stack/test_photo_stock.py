"""The photos a brand has left, as the daily runway check reads them: counted from the ledger
once S3 was listed, with the read token. ``stockshop`` (tests/fixtures/brands.toml) is this
test's brand: no run lists or takes its photos before it."""

from __future__ import annotations

import uuid
from typing import Any

from devstack.stack import EmbeddedStack
from feedpub.contract.tools import (
    COUNT_UNUSED_PHOTOS,
    GET_RANDOM_UNUSED_PHOTO,
    MARK_PHOTO_USED,
    PhotoStock,
)
from temporal_app.mcp_client import McpConnection

from .helpers import upload_photo


async def test_photos_left_are_counted_for_a_brand_never_listed_and_a_held_one_is_not_unused(
    stack: EmbeddedStack, s3: Any
) -> None:
    url = stack.mcp_urls["feed-publisher"]
    reader = McpConnection("feed-publisher", url, stack.mcp_read_token)
    publisher = McpConnection("feed-publisher", url, stack.mcp_token)
    for _ in range(3):
        upload_photo(stack, s3, "stockshop")
    run_id = f"stock-{uuid.uuid4().hex[:8]}"
    try:
        before = await reader.ask(COUNT_UNUSED_PHOTOS, brand="stockshop")
        held = await publisher.ask(GET_RANDOM_UNUSED_PHOTO, brand="stockshop", run_id=run_id)
        while_held = await reader.ask(COUNT_UNUSED_PHOTOS, brand="stockshop")
        await publisher.ask(MARK_PHOTO_USED, brand="stockshop", key=held.key, run_id=run_id)
        after = await reader.ask(COUNT_UNUSED_PHOTOS, brand="stockshop")
    finally:
        await reader.close()
        await publisher.close()

    assert before == PhotoStock(brand="stockshop", unused=3, reserved=0)
    assert while_held == PhotoStock(brand="stockshop", unused=2, reserved=1)
    assert after == PhotoStock(brand="stockshop", unused=2, reserved=0)
