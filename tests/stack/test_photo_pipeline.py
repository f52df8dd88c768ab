"""Photos through a whole run: a phone's HEIC with GPS tags is posted as a clean JPEG with a
caption in the brand's language; bad files in S3 are rejected with their reason and the run
takes another; a near-duplicate of a posted photo is skipped.

These use the brand `emptyshop` (English), which has no photo of its own: each test leaves
every photo it uploads used or rejected, so that brand's "no photo left" test still holds.
"""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from PIL import ExifTags, Image
from temporalio.client import Client, WorkflowFailureError

from devstack.stack import EmbeddedStack
from feedpub.contract.run import PublishReport, PublishRequest
from temporal_app.captions.language import detect_language
from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow
from tests.unit.photo_files import camera_exif, encoded, photo, png_bomb
from tests.unit.test_image_facts import scene

from .helpers import query

pytestmark = pytest.mark.usefixtures("worker")
BRAND = "emptyshop"


def put(stack: EmbeddedStack, s3: Any, data: bytes, suffix: str) -> str:
    key = f"{stack.brands[BRAND].s3_prefix}pipeline-{uuid.uuid4().hex[:8]}{suffix}"
    s3.put_object(Bucket=stack.s3_env["S3_BUCKET"], Key=key, Body=data)
    return key


async def run(client: Client, stack: EmbeddedStack) -> tuple[PublishReport | None, str]:
    """The run's report (None when it failed) and the report saved in PostgreSQL's reason."""
    workflow_id = f"test-pipeline-{uuid.uuid4().hex[:8]}"
    try:
        report = await client.execute_workflow(
            FeedPublisherWorkflow.run,
            PublishRequest(brand=BRAND),
            id=workflow_id,
            task_queue=stack.options.task_queue,
        )
    except WorkflowFailureError:
        report = None
    saved = query(
        stack,
        "SELECT report->>'reason' FROM publication_reports WHERE workflow_id = %s",
        workflow_id,
    )
    return report, saved[0][0] or ""


def ledger(stack: EmbeddedStack, key: str) -> tuple[Any, ...]:
    return query(stack, "SELECT status, reason FROM photos WHERE key = %s", key)[0]


async def test_a_heic_photo_with_gps_is_published_as_a_clean_jpeg_with_an_english_caption(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    heic = encoded(scene(101, (3024, 4032)), "HEIF", quality=80, exif=camera_exif().tobytes())
    key = put(stack, s3, heic, ".heic")

    report, _ = await run(client, stack)

    assert report is not None and report.status == "published"
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
        put(stack, s3, b"", ".jpg"): "the file is empty",
        put(stack, s3, photo(1200, 900)[:-400], ".jpg"): "not a readable image",
        put(stack, s3, b"name,price\nsuit,499\n", ".jpg"): "not a readable image",
    }

    report, reason = await run(client, stack)

    assert report is None and "no unused photo" in reason
    for key, why in bad.items():
        status, stored = ledger(stack, key)
        assert status == "rejected" and why in stored


async def test_a_decompression_bomb_and_a_tiny_photo_are_rejected_and_the_run_looks_further(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    bomb = put(stack, s3, png_bomb(11_000, 10_000), ".png")
    tiny = put(stack, s3, photo(200, 150), ".jpg")

    report, reason = await run(client, stack)

    assert report is None and "no unused photo" in reason
    assert ledger(stack, bomb)[0] == "rejected" and "100 MP" in ledger(stack, bomb)[1]
    assert ledger(stack, tiny) == (
        "rejected",
        "the image is 200×150 px, too small to post (at least 320 px on each side)",
    )


async def test_a_near_duplicate_of_a_posted_photo_is_skipped_with_the_posted_key(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    original = scene(202)
    posted = put(stack, s3, encoded(original, quality=92), ".jpg")
    first, _ = await run(client, stack)
    assert first is not None and first.photo_key == posted
    copy = put(stack, s3, encoded(original.resize((1500, 1000)), quality=70), ".jpg")

    report, reason = await run(client, stack)

    assert report is None and "no unused photo" in reason
    assert ledger(stack, copy) == ("rejected", f"near-duplicate of {posted}")
