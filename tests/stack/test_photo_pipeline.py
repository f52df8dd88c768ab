"""Photos through a whole run: a phone's HEIC with GPS tags is posted as a clean JPEG with a
caption in the brand's language; bad files in S3 are rejected with their reason and the run
takes another; a near-duplicate of a posted photo is rejected, one of a photo another run
holds is set aside.

These use the brand `emptyshop` (English), which has no photo of its own: each test leaves
every photo it uploads used or rejected, so that brand's "no photo left" test still holds.
"""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from PIL import ExifTags, Image
from temporalio.client import Client

from devstack.stack import EmbeddedStack
from temporal_app.captions.language import detect_language
from temporal_app.mcp_client import McpConnection
from tests.unit.photo_files import camera_exif, encoded, photo, png_bomb
from tests.unit.test_image_facts import scene

from .helpers import ledger_photo, query, run_to_the_end, upload_photo

pytestmark = pytest.mark.usefixtures("worker")
BRAND = "emptyshop"


def ledger(stack: EmbeddedStack, key: str) -> tuple[Any, ...]:
    return query(stack, "SELECT status, reason FROM photos WHERE key = %s", key)[0]


async def look_at(stack: EmbeddedStack, brand: str, key: str) -> None:
    """``view_image`` of the photo, as a run's first look: its facts go to the ledger."""
    server = McpConnection("feed-publisher", stack.mcp_urls["feed-publisher"], stack.mcp_token)
    try:
        assert not (await server.call("view_image", {"brand": brand, "key": key})).is_error
    finally:
        await server.close()


async def test_a_heic_photo_with_gps_is_published_as_a_clean_jpeg_with_an_english_caption(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    heic = encoded(scene(101, (3024, 4032)), "HEIF", quality=80, exif=camera_exif().tobytes())
    key = upload_photo(stack, s3, BRAND, heic, suffix=".heic")

    ended, report = await run_to_the_end(client, stack, BRAND)

    assert ended == "completed" and report.status == "published"
    assert report.photo_key == key and report.media_key
    derivative = s3.get_object(Bucket=stack.s3_env["S3_BUCKET"], Key=report.media_key)[
        "Body"
    ].read()
    image = Image.open(io.BytesIO(derivative))
    assert image.format == "JPEG" and image.width <= 1440
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo) and b"SN-4242-SECRET" not in derivative
    assert report.captions is not None
    assert detect_language(report.captions.facebook + " " + report.captions.alt_text, "en") == "en"
    assert report.photo_facts is not None and (
        report.photo_facts.width,
        report.photo_facts.height,
    ) == (3024, 4032)
    assert report.cost_usd is not None and report.cost_usd > 0
    # Claude saw the photo in the caption request: its image tokens are counted there.
    usage = report.captions.usage
    assert usage.input_tokens + usage.cache_creation_input_tokens > 1000


async def test_bad_files_are_each_rejected_with_their_reason_and_the_run_looks_on_to_the_last(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    bad = {
        upload_photo(stack, s3, BRAND, b""): "the file is empty",
        upload_photo(stack, s3, BRAND, photo(1200, 900)[:-400]): "not a readable image",
        upload_photo(stack, s3, BRAND, b"name,price\nsuit,499\n"): "not a readable image",
    }

    ended, report = await run_to_the_end(client, stack, BRAND)

    assert ended != "completed" and "no unused photo" in (report.reason or "")
    for key, why in bad.items():
        status, stored = ledger(stack, key)
        assert status == "rejected" and why in stored


async def test_a_decompression_bomb_and_a_tiny_photo_are_rejected_and_the_run_looks_further(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    bomb = upload_photo(stack, s3, BRAND, png_bomb(11_000, 10_000), suffix=".png")
    tiny = upload_photo(stack, s3, BRAND, photo(200, 150))

    ended, report = await run_to_the_end(client, stack, BRAND)

    assert ended != "completed" and "no unused photo" in (report.reason or "")
    assert ledger(stack, bomb)[0] == "rejected" and "100 MP" in ledger(stack, bomb)[1]
    assert ledger(stack, tiny) == (
        "rejected",
        "the image is 200×150 px, too small to post (at least 320 px on each side)",
    )


async def test_a_near_duplicate_of_a_posted_photo_is_skipped_with_the_posted_key(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    original = scene(202)
    posted = upload_photo(stack, s3, BRAND, encoded(original, quality=92))
    _, first = await run_to_the_end(client, stack, BRAND)
    assert first.status == "published" and first.photo_key == posted
    copy = upload_photo(stack, s3, BRAND, encoded(original.resize((1500, 1000)), quality=70))

    ended, report = await run_to_the_end(client, stack, BRAND)

    assert ended != "completed" and "no unused photo" in (report.reason or "")
    assert ledger(stack, copy) == ("rejected", f"near-duplicate of {posted}")


async def test_a_near_duplicate_of_a_photo_another_run_holds_is_set_aside_not_rejected(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    brand = "setaside"  # its only unused photo is this one
    key = ledger_photo(stack, s3, encoded(scene(203)), brand=brand)
    await look_at(stack, brand, key)  # its perceptual hash, for the twin below
    twin = f"setaside/{uuid.uuid4().hex[:8]}/planned.jpg"
    query(stack, "INSERT INTO photos (brand, key, status, run_id, reserved_at, phash)"
          " SELECT brand, %s, 'reserved', %s, now(), phash FROM photos WHERE key = %s RETURNING 1",
          twin, f"planned-{uuid.uuid4().hex[:8]}", key)  # fmt: skip
    try:
        ended, report = await run_to_the_end(client, stack, brand)
    finally:
        query(stack, "DELETE FROM photos WHERE key = %s RETURNING 1", twin)

    # Taken once, given back, and not taken again: the run found no other photo.
    assert ended != "completed" and "no unused photo" in (report.reason or "")
    assert report.set_aside_photos == [f"{key}: near-duplicate of {twin}, which another run holds"]
    assert report.rejected_photos == [] and "set aside for this run" in ended
    assert ledger(stack, key) == ("available", None)
