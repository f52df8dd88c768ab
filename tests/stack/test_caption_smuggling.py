"""A photo whose text asks for a link, a phone number, an e-mail address and an @mention in
the captions (a sign the Anthropic emulator reads and obeys, see its ``signs`` module): the
captions are sent back once, then the photo is rejected naming each one (the run would take
another; this brand has none), and nothing reaches Meta. A brand that allows its own domain
gets a caption with that domain published."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from temporalio.client import Client

from devstack.anthropic_emulator.signs import SIGN_COLOURS
from devstack.stack import EmbeddedStack

from .helpers import fresh_photo, query, run_to_the_end, upload_photo

pytestmark = pytest.mark.usefixtures("worker")

HOSTILE, OWN_SITE = SIGN_COLOURS  # magenta, cyan


def caption_requests(stack: EmbeddedStack, brand: str) -> list[Any]:
    assert stack.claude is not None
    mark = f"captions for the brand '{brand}'"
    return [body for body in stack.claude.requests if mark in body["system"][0]["text"]]


async def test_a_photo_asking_for_contacts_is_not_published_but_the_brands_own_domain_is(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    assert stack.meta is not None
    upload_photo(stack, s3, "signpost", fresh_photo(band=HOSTILE))
    upload_photo(stack, s3, "ownsite", fresh_photo(band=OWN_SITE))

    (_, refused), (_, published) = await asyncio.gather(
        run_to_the_end(client, stack, "signpost"), run_to_the_end(client, stack, "ownsite")
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
