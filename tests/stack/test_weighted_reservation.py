"""The learned photo choice inside the reservation: with weights, the one atomic statement takes
the available photo whose traits weigh most, and a photo with no traits yet still comes."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from mcp import Client

from devstack.stack import EmbeddedStack
from feedpub.db import open_pool
from mcp_servers.feed_publisher.library.photos import PhotoLibrary
from mcp_servers.feed_publisher.server import server as feed_publisher

from .helpers import feed_publisher_environment, query, upload_photo


def add_to_ledger(stack: EmbeddedStack, brand: str, key: str, traits: list[str] | None) -> None:
    traits_json = None if traits is None else json.dumps(traits)
    query(
        stack,
        "INSERT INTO photos (brand, key, etag, size_bytes, traits) VALUES (%s, %s, %s, 1, %s)"
        " ON CONFLICT (brand, key) DO UPDATE SET traits = excluded.traits RETURNING key",
        brand, key, '"e"', traits_json,
    )  # fmt: skip


async def test_photos_come_by_the_weight_of_their_traits_and_one_without_traits_at_zero(
    stack: EmbeddedStack,
) -> None:
    brand = f"weighted-{uuid.uuid4().hex[:8]}"
    add_to_ledger(stack, brand, "outdoor-people.jpg", ["setting:outdoors", "people:people"])
    add_to_ledger(stack, brand, "detail.jpg", ["subject:detail", "people:no-people"])
    add_to_ledger(stack, brand, "not-looked-at.jpg", None)
    weights = {"setting:outdoors": 0.5, "people:people": 0.3, "subject:detail": -0.4}
    pool = await open_pool(stack.database_url, max_size=1)
    try:
        library = PhotoLibrary(pool=pool, s3=None, bucket="unused")
        taken = [
            await library.reserve_available(brand, f"{brand}-{n}", weights=weights)
            for n in range(4)
        ]
    finally:
        await pool.close()
    keys = [row[0] if row else None for row in taken]
    assert keys == ["outdoor-people.jpg", "not-looked-at.jpg", "detail.jpg", None]


async def test_the_reservation_tool_passes_its_weights_to_the_ledger(
    stack: EmbeddedStack, s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in feed_publisher_environment(stack).items():
        monkeypatch.setenv(name, value)
    key = upload_photo(stack, s3, "costume")
    favourite = f"test:{uuid.uuid4().hex}"  # a trait no other photo of the brand has
    add_to_ledger(stack, "costume", key, [favourite])
    async with Client(feed_publisher) as client:
        refused = await client.call_tool(
            "get_random_unused_photo",
            {"brand": "costume", "run_id": f"w-{key}", "weights": {f"t{n}": 1 for n in range(501)}},
        )
        chosen = await client.call_tool(
            "get_random_unused_photo",
            {"brand": "costume", "run_id": f"w-{key}", "weights": {favourite: 2.0}},
        )
    assert refused.is_error and "BadWeights" in str(refused.content)
    assert chosen.structured_content and chosen.structured_content["key"] == key
