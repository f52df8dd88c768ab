"""The photo ledger follows S3 incrementally: new keys without listing the whole prefix."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

from psycopg_pool import AsyncConnectionPool

from devstack.stack import EmbeddedStack
from mcp_servers.feed_publisher.library.sync import PhotoSync

from .helpers import query


class ListingSpy:
    """The real S3 client, noting where each listing started."""

    def __init__(self, s3: Any) -> None:
        self._s3 = s3
        self.start_after: list[str | None] = []

    def get_paginator(self, name: str) -> Any:
        real = self._s3.get_paginator(name)
        spy = self

        class Paginator:
            def paginate(self, **kwargs: Any) -> Any:
                spy.start_after.append(kwargs.get("StartAfter"))
                return real.paginate(**kwargs)

        return Paginator()


async def test_new_photos_are_found_by_listing_after_the_last_key_and_deleted_ones_retired(
    stack: EmbeddedStack, s3: Any
) -> None:
    bucket, brand, prefix = _new_brand(stack, s3, "a.jpg", "b.jpg")
    spy = ListingSpy(s3)
    async with AsyncConnectionPool(stack.database_url, open=False) as pool:
        sync = PhotoSync(pool=pool, s3=spy, bucket=bucket, list_every=timedelta(0))
        assert await sync.sync(brand, prefix) == 2  # first time: the whole prefix

        s3.put_object(Bucket=bucket, Key=prefix + "c.jpg", Body=b"x")
        s3.delete_object(Bucket=bucket, Key=prefix + "a.jpg")
        assert await sync.sync(brand, prefix) == 1  # only what sorts after b.jpg
        assert spy.start_after == [None, prefix + "b.jpg"]
        assert _statuses(stack, brand)[prefix + "a.jpg"] == "available"

        await sync.sync(brand, prefix, full=True)
    statuses = _statuses(stack, brand)
    assert statuses == {
        prefix + "a.jpg": "rejected",
        prefix + "b.jpg": "available",
        prefix + "c.jpg": "available",
    }
    assert query(stack, "SELECT reason FROM photos WHERE key = %s", prefix + "a.jpg") == [
        ("deleted from S3",)
    ]


async def test_a_brand_listed_moments_ago_is_not_listed_again_unless_in_full(
    stack: EmbeddedStack, s3: Any
) -> None:
    bucket, brand, prefix = _new_brand(stack, s3, "a.jpg")
    spy = ListingSpy(s3)
    async with AsyncConnectionPool(stack.database_url, open=False) as pool:
        sync = PhotoSync(pool=pool, s3=spy, bucket=bucket, list_every=timedelta(minutes=5))
        assert await sync.sync(brand, prefix) == 1
        s3.put_object(Bucket=bucket, Key=prefix + "b.jpg", Body=b"x")
        assert await sync.sync(brand, prefix) == 0
        assert spy.start_after == [None], "no second listing within list_every"
        assert await sync.sync(brand, prefix, full=True) == 1
        assert spy.start_after == [None, None]
    assert set(_statuses(stack, brand)) == {prefix + "a.jpg", prefix + "b.jpg"}


async def test_two_replicas_asking_at_the_same_instant_list_a_brand_once(
    stack: EmbeddedStack, s3: Any
) -> None:
    bucket, brand, prefix = _new_brand(stack, s3, "a.jpg")
    spies = [ListingSpy(s3), ListingSpy(s3)]
    async with (
        AsyncConnectionPool(stack.database_url, open=False) as first,
        AsyncConnectionPool(stack.database_url, open=False) as second,
    ):
        replicas = [
            PhotoSync(pool=pool, s3=spy, bucket=bucket, list_every=timedelta(minutes=5))
            for pool, spy in ((first, spies[0]), (second, spies[1]))
        ]
        added = await asyncio.gather(*(replica.sync(brand, prefix) for replica in replicas))

    assert sorted(added) == [0, 1]
    assert [len(spy.start_after) for spy in spies] in ([1, 0], [0, 1]), "one listing in all"
    assert set(_statuses(stack, brand)) == {prefix + "a.jpg"}


def _new_brand(stack: EmbeddedStack, s3: Any, *names: str) -> tuple[str, str, str]:
    """A brand of its own with these files under its prefix: (bucket, brand, prefix)."""
    bucket = stack.s3_env["S3_BUCKET"]
    brand = f"sync{uuid.uuid4().hex[:6]}"
    for name in names:
        s3.put_object(Bucket=bucket, Key=f"{brand}/{name}", Body=b"x")
    return bucket, brand, f"{brand}/"


def _statuses(stack: EmbeddedStack, brand: str) -> dict[str, str]:
    return {
        key: status
        for key, status in query(stack, "SELECT key, status FROM photos WHERE brand = %s", brand)
    }
