"""Two feed-publisher replicas, separate processes on one PostgreSQL and one S3: what must
happen once happens once whichever replica is asked. Each test talks to each replica
directly, and has a brand of its own (tests/fixtures/brands.toml)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import psycopg
import pytest
from temporalio.exceptions import ApplicationError

from devstack.stack import EmbeddedStack
from feedpub.contract import tools
from temporal_app.mcp_client import McpConnection
from tests.polling import poll

from .helpers import fresh_photo, media_sha256, posts_of_image, query, upload_photo


@pytest.fixture(scope="module")
def second_replica_url(stack: EmbeddedStack) -> Iterator[str]:
    """Another feed-publisher process beside the stack's, with the same settings."""
    replica, url = stack.start_replica("feed-publisher", env={})
    try:
        yield url
    finally:
        replica.stop()


@pytest.fixture
async def replicas(
    stack: EmbeddedStack, second_replica_url: str
) -> AsyncIterator[tuple[McpConnection, McpConnection]]:
    """A connection to each replica."""
    first = McpConnection("feed-publisher", stack.mcp_urls["feed-publisher"], stack.mcp_token)
    second = McpConnection("feed-publisher", second_replica_url, stack.mcp_token)
    yield first, second
    await first.close()
    await second.close()


async def _reserve(server: McpConnection, brand: str, run_id: str) -> str:
    """The key reserved for ``run_id``, or ``error:<type>`` when the tool refused."""
    try:
        found = await server.ask(tools.GET_RANDOM_UNUSED_PHOTO, brand=brand, run_id=run_id)
    except ApplicationError as refused:
        return f"error:{refused.type}"
    return found.key


async def _all_at_once(
    stack: EmbeddedStack, asks: list[tuple[McpConnection, str, str]]
) -> list[str]:
    """Each (replica, brand, run id) reservation, released at the same instant: a share lock
    on the ledger holds every one at its UPDATE until all have arrived."""
    with psycopg.connect(stack.database_url) as gate:
        gate.execute("LOCK TABLE photos IN SHARE MODE")
        racing = [asyncio.create_task(_reserve(*ask)) for ask in asks]
        waiting = (
            "SELECT count(*) FROM pg_locks WHERE relation = 'photos'::regclass AND NOT granted"
        )
        await poll(
            lambda: query(stack, waiting)[0][0] >= len(asks),
            "reservations waiting at the ledger",
            timeout=30,
            every=0.05,
        )
    return list(await asyncio.gather(*racing))


async def _listed_into_the_ledger(
    stack: EmbeddedStack, s3: Any, server: McpConnection, brand: str, count: int
) -> list[str]:
    """``count`` new photos of ``brand``, listed into the ledger by one reservation given back,
    so that the reservations that follow meet at the ledger rather than at S3."""
    keys = sorted(upload_photo(stack, s3, brand) for _ in range(count))
    taken = await _reserve(server, brand, f"warm-up-{brand}")
    assert taken in keys, taken
    await server.call("release_photo", {"brand": brand, "key": taken, "run_id": f"warm-up-{brand}"})
    return keys


async def test_reservations_made_at_once_through_both_replicas_never_share_a_photo(
    stack: EmbeddedStack, s3: Any, replicas: tuple[McpConnection, McpConnection]
) -> None:
    keys = await _listed_into_the_ledger(stack, s3, replicas[0], "twinshop", 4)

    asks = [(replicas[n % 2], "twinshop", f"twinshop-{n}") for n in range(8)]
    answers = await _all_at_once(stack, asks)

    assert sorted(a for a in answers if not a.startswith("error:")) == keys, answers
    assert answers.count("error:NoUnusedPhoto") == 4, answers


async def test_one_run_asking_both_replicas_at_once_gets_one_photo(
    stack: EmbeddedStack, s3: Any, replicas: tuple[McpConnection, McpConnection]
) -> None:
    first, second = replicas
    await _listed_into_the_ledger(stack, s3, first, "twinrun", 3)

    # A retry and the attempt it replaces, each through its own replica, at the same instant.
    answers = await _all_at_once(
        stack, [(first, "twinrun", "one-run"), (second, "twinrun", "one-run")]
    )
    later = [await _reserve(server, "twinrun", "one-run") for server in (second, first)]

    held = query(stack, "SELECT key FROM photos WHERE run_id = 'one-run'")
    assert len(held) == 1, held
    assert answers == later == [held[0][0]] * 2, (answers, later)


async def test_two_replicas_publishing_one_run_at_once_make_one_facebook_post(
    stack: EmbeddedStack, s3: Any, replicas: tuple[McpConnection, McpConnection]
) -> None:
    assert stack.meta is not None
    first, second = replicas
    key = upload_photo(stack, s3, "twinpost")
    media_key = (
        await first.ask(tools.PREPARE_INSTAGRAM_MEDIA, brand="twinpost", key=key)
    ).media_key
    post = {"brand": "twinpost", "run_id": f"twice-{key}", "media_key": media_key}
    post |= {"caption": "One post, whichever replica is asked.", "alt_text": "A photo."}
    # The first replica's upload takes a second at Meta; a retry reaches the second replica
    # meanwhile, as when the first attempt was cut off but still runs.
    stack.meta.set_fault(
        {"endpoint": "facebook_photos", "kind": "latency", "seconds": 1.0, "times": 1}
    )
    try:
        cut_off = asyncio.create_task(first.ask(tools.PUBLISH_FACEBOOK_PHOTO, **post))
        uploading = "SELECT count(*) FROM publications WHERE run_id = %s AND state = 'uploading'"
        await poll(
            lambda: query(stack, uploading, post["run_id"])[0][0] == 1,
            "the first replica uploading",
            every=0.05,
        )
        retried = await second.ask(tools.PUBLISH_FACEBOOK_PHOTO, **post)
        done = await cut_off
    finally:
        stack.meta.clear_faults()

    assert retried.post_id == done.post_id
    assert posts_of_image(stack, "twinpost", media_sha256(stack, s3, media_key)) == (1, 0)


async def test_a_brand_is_listed_in_s3_once_a_minute_whichever_replica_asks(
    stack: EmbeddedStack, s3: Any, replicas: tuple[McpConnection, McpConnection]
) -> None:
    first, second = replicas
    brand = "twinsync"
    found = {upload_photo(stack, s3, brand) for _ in range(2)}
    assert await _reserve(first, brand, "sync-1") in found  # lists the brand

    # A photo whose name sorts after every other: the next listing, from the last key seen,
    # finds it.
    late = f"{stack.brands[brand].s3_prefix}zz-{uuid.uuid4().hex[:10]}.jpg"
    s3.put_object(Bucket=stack.s3_env["S3_BUCKET"], Key=late, Body=fresh_photo())
    listed_at = "SELECT listed_at FROM photo_sync WHERE brand = %s"
    first_listing = query(stack, listed_at, brand)

    assert await _reserve(second, brand, "sync-2") in found
    assert query(stack, listed_at, brand) == first_listing, "listed again within the minute"
    assert not query(stack, "SELECT 1 FROM photos WHERE key = %s", late)

    # A minute on, the brand is listed again, by whichever replica asks first.
    with psycopg.connect(stack.database_url) as conn:
        conn.execute(
            "UPDATE photo_sync SET listed_at = listed_at - interval '1 minute' WHERE brand = %s",
            (brand,),
        )
    assert await _reserve(second, brand, "sync-3") == late


async def test_a_refused_token_seen_through_both_replicas_is_one_alert_that_one_success_clears(
    stack: EmbeddedStack, replicas: tuple[McpConnection, McpConnection]
) -> None:
    assert stack.meta is not None
    first, second = replicas
    brand = "twinalert"
    token = stack.meta_tokens[stack.brands[brand].meta_token_env]
    stack.meta.set_token_expiry(token, stack.meta.state.now() - 60)
    try:
        for server in (first, second, first):
            assert not (await server.ask(tools.CHECK_META_TOKEN, brand=brand)).valid
        raised = await _alerts(second, brand)
        assert raised == await _alerts(first, brand)
    finally:
        stack.meta.set_token_expiry(token, None)
    assert [alert.kind for alert in raised] == ["meta-token:invalid"]

    assert (await second.ask(tools.CHECK_META_TOKEN, brand=brand)).valid
    assert await _alerts(first, brand) == []


async def _alerts(server: McpConnection, brand: str) -> list[tools.BrandAlert]:
    listed = await server.ask(tools.LIST_BRAND_ALERTS)
    return [alert for alert in listed.alerts if alert.brand == brand]
