"""The feed-publisher's photo work: decodes run at once only as far as the memory their
photos' headers say they need allows, and only a decode that began is counted unfinished."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from devstack.parts import s3_client
from devstack.stack import EmbeddedStack
from feedpub.db import open_pool
from mcp_servers.feed_publisher.imaging import derivatives
from mcp_servers.feed_publisher.library.decode_attempts import DecodeAttempts
from mcp_servers.feed_publisher.library.looks import StoredLooks
from mcp_servers.feed_publisher.library.photo_work import PhotoWork
from mcp_servers.feed_publisher.library.photos import PhotoLibrary
from tests.polling import poll
from tests.unit.photo_files import photo, png_bomb

from .helpers import ledger_photo, unfinished_decodes


@pytest.fixture
async def photo_work(stack: EmbeddedStack) -> AsyncIterator[PhotoWork]:
    pool = await open_pool(stack.database_url, max_size=4)
    library = PhotoLibrary(pool=pool, s3=s3_client(stack.s3_env), bucket=stack.s3_env["S3_BUCKET"])
    try:
        yield PhotoWork(
            library=library,
            attempts=DecodeAttempts(pool),
            looks=StoredLooks(pool=pool, library=library),
            max_photo_bytes=1 << 26,
        )
    finally:
        await pool.close()


@pytest.mark.parametrize(
    ("make", "at_once"),
    [(lambda: png_bomb(4000, 4000, colour_type=2), 1), (lambda: photo(4000, 3000), 2)],
    ids=["16-mp-pngs", "12-mp-jpegs"],
)
async def test_decodes_run_at_once_only_as_far_as_the_memory_they_need_allows(
    stack: EmbeddedStack, s3: Any, photo_work: PhotoWork, make: Callable[[], bytes], at_once: int
) -> None:
    keys = [ledger_photo(stack, s3, make()) for _ in range(2)]
    decoding: list[bytes] = []
    finish = threading.Event()

    def held_decode(data: bytes) -> int:
        """Stands for the decode: it holds its memory until the test lets it finish."""
        decoding.append(data)
        finish.wait(20)
        return len(data)

    runs = [
        asyncio.create_task(
            photo_work.run(
                "padshop", key, memory=derivatives.look_memory, work=held_decode, proves=False
            )
        )
        for key in keys
    ]
    await poll(
        lambda: len(decoding) == at_once and photo_work.decodes.waiting == 2 - at_once,
        "decodes begun or waiting",
    )
    # Only a decode that began is counted in the ledger as unfinished.
    assert sorted(unfinished_decodes(stack, key) for key in keys) == [int(at_once == 2), 1]

    finish.set()
    await asyncio.gather(*runs)
    assert len(decoding) == 2 and [unfinished_decodes(stack, key) for key in keys] == [0, 0]
