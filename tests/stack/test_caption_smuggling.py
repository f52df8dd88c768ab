"""A photo whose text asks for a link, a phone number, an e-mail address and an @mention in
the captions (a sign the Anthropic emulator reads and obeys, see its ``signs`` module): the
captions are sent back once, then the photo is rejected naming each one (the run would take
another; this brand has none), and nothing reaches Meta. A brand that allows its own domain
gets a caption with that domain published."""

from __future__ import annotations

import asyncio
import contextlib
import io
import uuid
from typing import Any

import pytest
from PIL import Image
from temporalio.client import Client, WorkflowFailureError
from temporalio.converter import value_to_type

from devstack.anthropic_emulator.signs import SIGN_COLOURS
from devstack.stack import EmbeddedStack
from feedpub.contract.run import PublishReport, PublishRequest
from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow

from .helpers import query

pytestmark = pytest.mark.usefixtures("worker")

HOSTILE, OWN_SITE = SIGN_COLOURS  # magenta, cyan


def upload_photo_with_sign(
    stack: EmbeddedStack, s3: Any, brand: str, sign: tuple[int, int, int]
) -> None:
    """A 1080×1350 JPEG under the brand's prefix with a band of the sign's colour on top."""
    name = uuid.uuid4()
    image = Image.new("RGB", (1080, 1350), (30, 60, 90))
    image.paste(sign, (0, 0, 1080, 1350 // 8))
    image.paste(tuple(name.bytes[:3]), (0, 1342, 8, 1350))  # a file of its own
    out = io.BytesIO()
    image.save(out, format="JPEG")
    key = f"{stack.brands[brand].s3_prefix}sign-{name.hex[:10]}.jpg"
    s3.put_object(Bucket=stack.s3_env["S3_BUCKET"], Key=key, Body=out.getvalue())


async def run(client: Client, stack: EmbeddedStack, brand: str) -> PublishReport:
    """The run's saved report, whether it published or failed."""
    workflow_id = f"test-sign-{brand}-{uuid.uuid4().hex[:8]}"
    with contextlib.suppress(WorkflowFailureError):
        await client.execute_workflow(
            FeedPublisherWorkflow.run,
            PublishRequest(brand=brand),
            id=workflow_id,
            task_queue=stack.options.task_queue,
        )
    saved = query(
        stack, "SELECT report FROM publication_reports WHERE workflow_id = %s", workflow_id
    )
    return value_to_type(PublishReport, saved[0][0])


def caption_requests(stack: EmbeddedStack, brand: str) -> list[Any]:
    assert stack.claude is not None
    mark = f"captions for the brand '{brand}'"
    return [body for body in stack.claude.requests if mark in body["system"][0]["text"]]


async def test_a_photo_asking_for_contacts_is_not_published_but_the_brands_own_domain_is(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    assert stack.meta is not None
    upload_photo_with_sign(stack, s3, "signpost", HOSTILE)
    upload_photo_with_sign(stack, s3, "ownsite", OWN_SITE)

    refused, published = await asyncio.gather(
        run(client, stack, "signpost"), run(client, stack, "ownsite")
    )

    assert refused.status == "failed" and "no unused photo" in (refused.reason or "")
    [rejected] = refused.rejected_photos
    key, why = rejected.split(": ", 1)
    assert why.startswith("text in the photo steers the captions: after one regeneration")
    for named in (
        "allowed_links: evil[.]example",
        "allowed_phone_numbers: +32 470 12 34 56",
        "allowed_emails: win@evil[.]example",
        "allowed_mentions: @evilshop",
    ):
        assert named in why
    assert query(stack, "SELECT status, reason FROM photos WHERE key = %s", key) == [
        ("rejected", why)
    ]
    asked, asked_again = caption_requests(stack, "signpost")
    assert "Write no links" in asked["system"][0]["text"]
    assert asked_again["messages"][-1]["content"].startswith("That answer cannot be published")
    brand = stack.brands["signpost"]
    ids = (brand.facebook_page_id, brand.instagram_user_id)
    assert [r for r in stack.meta.requests() if any(i in r.path for i in ids)] == []

    assert published.status == "published" and published.captions is not None
    assert "www.ownsite.example/suits" in published.captions.facebook
    assert published.captions.regenerated_because is None
    [post] = stack.meta.facebook_posts(stack.brands["ownsite"].facebook_page_id)
    assert post["caption"] == published.captions.facebook
