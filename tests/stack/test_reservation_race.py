"""Concurrent calls to the real feed-publisher server: a photo goes to one run only, and one
run publishes once however many of its attempts run side by side."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import psycopg
import pytest
from temporalio.exceptions import ApplicationError

from devstack.stack import EmbeddedStack
from feedpub.contract import tools
from temporal_app.mcp_client import McpConnection
from tests.polling import poll

from .helpers import media_sha256, posts_of_image, query, upload_photo

BRAND = "trio"
RUNS = 20
PHOTOS = 3
ROUNDS = 3


@pytest.fixture
async def feed_publisher(stack: EmbeddedStack) -> AsyncIterator[McpConnection]:
    """A session with the stack's feed-publisher server over HTTP, as the worker holds one."""
    server = McpConnection("feed-publisher", stack.mcp_urls["feed-publisher"], stack.mcp_token)
    yield server
    await server.close()


async def _reserve(server: McpConnection, run_id: str, weighted: bool = False) -> str:
    """The key reserved for ``run_id``, or ``error:<type>`` when the tool refused; with
    ``weighted``, by the learned choice's statement (the photos' traits weighed)."""
    weights = {"weights": {"people:people": 0.4, "subject:detail": -0.2}} if weighted else {}
    try:
        found = await server.ask(
            tools.GET_RANDOM_UNUSED_PHOTO, brand=BRAND, run_id=run_id, **weights
        )
    except ApplicationError as refused:
        return f"error:{refused.type}"
    return found.key


async def _until(stack: EmbeddedStack, sql: str, *params: Any, wanted: int, what: str) -> None:
    def counted() -> bool:
        return bool(query(stack, sql, *params)[0][0] >= wanted)

    await poll(counted, f"{wanted} {what}", timeout=30, every=0.05)


async def _race(stack: EmbeddedStack, server: McpConnection, round_: int) -> list[str]:
    """Every run's reservation, all started at the same instant.

    A share lock on the ledger holds each reservation at its UPDATE until all have arrived;
    released, they run together, as a burst of runs can. Without it the runs would be spread
    out by the network and the listing of S3 that precedes each reservation, and a lost
    race would show only now and then.
    """
    with psycopg.connect(stack.database_url) as gate:
        gate.execute("LOCK TABLE photos IN SHARE MODE")
        racing = [
            asyncio.create_task(_reserve(server, f"race-{round_}-{n}", weighted=round_ == 1))
            for n in range(RUNS)
        ]
        await _until(
            stack,
            "SELECT count(*) FROM pg_locks WHERE relation = 'photos'::regclass AND NOT granted",
            wanted=RUNS,
            what="reservations waiting at the ledger",
        )
    return list(await asyncio.gather(*racing))


async def test_twenty_runs_racing_for_three_photos_get_three_different_ones_and_seventeen_none(
    stack: EmbeddedStack, s3: Any, feed_publisher: McpConnection
) -> None:
    for round_ in range(ROUNDS):
        keys = sorted(upload_photo(stack, s3, BRAND) for _ in range(PHOTOS))
        # One reservation lists the new photos into the ledger; given back, they wait there,
        # so the racing runs skip the listing and meet at the reservation itself.
        warm_up = f"warm-up-{round_}"
        taken = await _reserve(feed_publisher, warm_up)
        assert taken in keys
        await feed_publisher.call(
            "release_photo", {"brand": BRAND, "key": taken, "run_id": warm_up}
        )

        if round_ == 1:  # the weighted round: photos with traits and one without
            for photo, traits in zip(keys, (["people:people"], ["subject:detail"]), strict=False):
                query(
                    stack,
                    "UPDATE photos SET traits = %s WHERE key = %s RETURNING key",
                    json.dumps(traits),
                    photo,
                )
        answers = await _race(stack, feed_publisher, round_)

        assert sorted(a for a in answers if not a.startswith("error:")) == keys, answers
        assert answers.count("error:NoUnusedPhoto") == RUNS - PHOTOS, answers


async def test_two_attempts_of_one_run_publishing_at_once_make_one_facebook_post(
    stack: EmbeddedStack, s3: Any, feed_publisher: McpConnection
) -> None:
    assert stack.meta is not None
    key = upload_photo(stack, s3, BRAND)
    prepared = await feed_publisher.ask(tools.PREPARE_INSTAGRAM_MEDIA, brand=BRAND, key=key)
    media_key = prepared.media_key
    arguments = {"brand": BRAND, "run_id": f"twice-{key}", "media_key": media_key}
    arguments |= {"caption": "One post, however often it is asked for.", "alt_text": "A photo."}
    # The first attempt's upload takes a second at Meta; the second attempt starts meanwhile,
    # as a retry does when the first was cut off but is still running.
    stack.meta.set_fault(
        {"endpoint": "facebook_photos", "kind": "latency", "seconds": 1.0, "times": 1}
    )
    second = McpConnection("feed-publisher", stack.mcp_urls["feed-publisher"], stack.mcp_token)
    try:
        first = asyncio.create_task(feed_publisher.ask(tools.PUBLISH_FACEBOOK_PHOTO, **arguments))
        await _until(
            stack,
            "SELECT count(*) FROM publications WHERE run_id = %s AND state = 'uploading'",
            arguments["run_id"],
            wanted=1,
            what="first attempt uploading",
        )
        again = await second.ask(tools.PUBLISH_FACEBOOK_PHOTO, **arguments)
        done = await first
    finally:
        await second.close()

    assert again.post_id == done.post_id
    assert posts_of_image(stack, BRAND, media_sha256(stack, s3, media_key)) == (1, 0)
