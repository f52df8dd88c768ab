"""Photos that would take the feed-publisher down or cross each other: a decode the server
never finished, a file larger than it reads, and two photos of one name. The brand `padshop`
(tests/fixtures/brands.toml) is theirs: its photos are put in the ledger here, and no run
takes them."""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from PIL import Image
from temporalio.exceptions import ApplicationError

from devstack.stack import ROOT, EmbeddedStack
from mcp_servers.feed_publisher.server import server as feed_publisher
from temporal_app.mcp_client import McpConnection
from tests.polling import poll
from tests.unit.photo_files import BLUE, RED, encoded, photo

from .helpers import feed_publisher_environment, ledger_photo, query, unfinished_decodes

PAUSE_HOOK = Path(__file__).parent / "decode_pause"
FORMATS = {"jpg": "JPEG", "png": "PNG"}


async def view(url: str, stack: EmbeddedStack, key: str) -> Any:
    return await call(url, stack, "view_image", key)


async def prepare(url: str, stack: EmbeddedStack, key: str) -> dict[str, Any]:
    return dict((await call(url, stack, "prepare_instagram_media", key)).structured_content)


async def call(url: str, stack: EmbeddedStack, tool: str, key: str) -> Any:
    server = McpConnection("feed-publisher", url, stack.mcp_token)
    try:
        return await server.call(tool, {"brand": "padshop", "key": key})
    finally:
        await server.close()


async def view_while_the_server_dies(
    stack: EmbeddedStack, pause: Path, keys: list[str], counted: int
) -> None:
    """Ask a replica started with decodes paused to look at ``keys``; kill it (SIGKILL) once
    each of their decodes has begun, the ``counted``-th of each."""
    paused = {
        "PYTHONPATH": f"{PAUSE_HOOK}{os.pathsep}{ROOT}",
        "FEEDPUB_TEST_DECODE_PAUSE": str(pause),
    }
    replica, url = await asyncio.to_thread(stack.start_replica, "feed-publisher", env=paused)
    views = [asyncio.create_task(view(url, stack, key)) for key in keys]
    try:
        await poll(
            lambda: all(unfinished_decodes(stack, key) == counted for key in keys),
            "decodes begun",
        )
    finally:
        replica.kill()
        outcomes = await asyncio.gather(*views, return_exceptions=True)
    assert all(isinstance(outcome, BaseException) for outcome in outcomes), "died answering"


async def test_a_photo_whose_decode_never_ends_twice_is_refused_but_once_is_forgiven(
    stack: EmbeddedStack, s3: Any, tmp_path: Path
) -> None:
    good = ledger_photo(stack, s3, photo(1080, 1350, RED))
    doomed = ledger_photo(stack, s3, photo(1080, 1350, BLUE))
    pause = tmp_path / "pause-decodes"
    pause.touch()

    await view_while_the_server_dies(stack, pause, [good, doomed], counted=1)
    await view_while_the_server_dies(stack, pause, [doomed], counted=2)
    pause.unlink()

    served = stack.mcp_urls["feed-publisher"]
    looked = await view(served, stack, good)
    assert not looked.is_error
    ledger = "SELECT status, unfinished_decodes FROM photos WHERE key = %s"
    assert query(stack, ledger, good) == [("available", 1)], "its own decode counted off"
    await prepare(served, stack, good)
    assert query(stack, ledger, good) == [("available", 0)], "prepared: proven to decode"
    with pytest.raises(ApplicationError) as refused:
        await view(served, stack, doomed)
    assert refused.value.type == "PhotoRejected"
    reason = "the photo could not be decoded twice: the server ran out of memory or stopped"
    assert reason in str(refused.value)
    [(status, why)] = query(stack, "SELECT status, reason FROM photos WHERE key = %s", doomed)
    assert status == "rejected" and why.startswith(reason)

    # Put back by an operator (the server was at fault, say), it starts afresh.
    server = McpConnection("feed-publisher", served, stack.mcp_token)
    try:
        await server.call("readmit_photos", {"brand": "padshop", "keys": [doomed]})
    finally:
        await server.close()
    assert query(stack, ledger, doomed) == [("available", 0)]


async def test_a_file_larger_than_max_photo_bytes_is_refused_naming_the_setting(
    stack: EmbeddedStack, s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {**feed_publisher_environment(stack), "MAX_PHOTO_BYTES": "1048576"}.items():
        monkeypatch.setenv(name, value)
    key = ledger_photo(
        stack, s3, photo(320, 400) + bytes(1_600_000)
    )  # a JPEG with 1.6 MB of trailer

    async with Client(feed_publisher) as client:
        result = await client.call_tool("view_image", {"brand": "padshop", "key": key})

    text = " ".join(getattr(block, "text", "") for block in result.content)
    assert result.is_error and '"type": "PhotoRejected"' in text
    reason = "the file is 2 MB, larger than the 1 MB feedpub reads (MAX_PHOTO_BYTES)"
    assert reason in text
    assert query(stack, "SELECT status, reason FROM photos WHERE key = %s", key) == [
        ("rejected", reason)
    ]


async def test_two_photos_of_one_name_get_prepared_images_of_their_own(
    stack: EmbeddedStack, s3: Any
) -> None:
    folder = f"padshop/{uuid.uuid4().hex[:8]}"
    sources = {f"{folder}/look.jpg": RED, f"{folder}/look.png": BLUE}
    for key, colour in sources.items():
        s3.put_object(
            Bucket=stack.s3_env["S3_BUCKET"],
            Key=key,
            Body=encoded(Image.new("RGB", (1080, 1080), colour), FORMATS[key.rsplit(".", 1)[1]]),
        )
    served = stack.mcp_urls["feed-publisher"]
    prepared = {key: await prepare(served, stack, key) for key in sources}

    media_keys = {made["media_key"] for made in prepared.values()}
    assert len(media_keys) == 2
    for key, colour in sources.items():
        body = s3.get_object(Bucket=stack.s3_env["S3_BUCKET"], Key=prepared[key]["media_key"])
        pixel = Image.open(body["Body"]).convert("RGB").getpixel((540, 540))
        assert isinstance(pixel, tuple)
        assert all(abs(a - b) < 16 for a, b in zip(pixel, colour, strict=True)), key


async def test_a_photo_named_with_an_empty_or_dot_part_is_refused_before_it_is_prepared(
    stack: EmbeddedStack, s3: Any
) -> None:
    key = f"padshop/{uuid.uuid4().hex[:8]}//look.jpg"
    s3.put_object(Bucket=stack.s3_env["S3_BUCKET"], Key=key, Body=photo(1080, 1350, RED))
    served = stack.mcp_urls["feed-publisher"]
    for refused_by in (view, prepare):
        with pytest.raises(ApplicationError) as refused:
            await refused_by(served, stack, key)
        assert refused.value.type == "PhotoRejected"
        assert "has an empty, '.' or '..' part, which cannot be published" in str(refused.value)
