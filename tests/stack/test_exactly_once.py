"""A post appears exactly once even when Meta's answer is lost after it accepted the request."""

from __future__ import annotations

from typing import Any

import pytest
from temporalio.client import Client

from devstack.meta_emulator import FaultRule
from devstack.stack import EmbeddedStack

from .cli import feedpub
from .helpers import (
    media_sha256,
    posts_of_image,
    publish,
    publish_through_fault,
    query,
    upload_photo,
)

pytestmark = pytest.mark.usefixtures("worker")


@pytest.mark.parametrize(
    "endpoint",
    ["instagram_publish", "instagram_media", "facebook_feed", "facebook_photos"],
    ids=["ig-publish", "ig-container", "fb-post", "fb-upload"],
)
async def test_a_response_lost_after_meta_accepted_never_becomes_a_second_post(
    stack: EmbeddedStack, client: Client, s3: Any, endpoint: str
) -> None:
    assert stack.meta is not None
    upload_photo(stack, s3, "pomandi")
    stack.meta.set_fault(FaultRule(kind="drop_after_accept", endpoint=endpoint, times=1))
    try:
        report = await publish(client, stack, "pomandi")
    finally:
        stack.meta.clear_faults()

    assert report.status == "published"
    assert report.media_key is not None
    assert posts_of_image(stack, "pomandi", media_sha256(stack, s3, report.media_key)) == (1, 1)
    stored = query(
        stack,
        "SELECT platform, state, coalesce(fb_post_id, ig_media_id) FROM publications"
        " WHERE run_id = %s ORDER BY platform",
        report.run_id,
    )
    assert report.facebook and report.instagram
    assert stored == [
        ("facebook", "published", report.facebook.post_id),
        ("instagram", "published", report.instagram.post_id),
    ]


async def test_a_429_without_a_body_on_publish_is_retried_and_the_post_goes_out_once(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    upload_photo(stack, s3, "pomandi")
    # What a proxy in front of Meta answers: no Graph error body, only a status.
    bare = FaultRule(
        kind="no_body", endpoint="instagram_publish", status=429, retry_after="1", times=1
    )

    report, publish_calls = await publish_through_fault(client, stack, "pomandi", bare)

    assert report.status == "published", report.reason
    assert report.media_key is not None
    assert publish_calls == 2
    assert posts_of_image(stack, "pomandi", media_sha256(stack, s3, report.media_key)) == (1, 1)


async def test_instagram_at_its_publishing_limit_is_skipped_not_failed_and_not_retried(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    assert stack.meta is not None
    ig_user = stack.brands["costume"].instagram_user_id
    upload_photo(stack, s3, "costume")
    quota_total = stack.meta.state.quota_total
    stack.meta.state.quota_total = stack.meta.state.quota_usage(ig_user)
    before = stack.meta.request_counts()["publishing_limit"]
    try:
        report = await publish(client, stack, "costume")
    finally:
        stack.meta.state.quota_total = quota_total

    assert report.status == "partial"
    assert report.instagram and report.instagram.status == "skipped"
    assert "daily publishing limit" in (report.instagram.reason or "")
    assert stack.meta.request_counts()["publishing_limit"] - before == 1
    assert query(stack, "SELECT status FROM photos WHERE key = %s", report.photo_key) == [("used",)]


async def test_an_expired_token_fails_at_once_without_a_retry_storm_and_alerts_the_operator(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    assert stack.meta is not None
    upload_photo(stack, s3, "costume")
    upload_photo(stack, s3, "costume")
    stack.meta.set_fault(FaultRule(kind="token_expired", endpoint="instagram_media"))
    before = stack.meta.request_counts()["instagram_media"]
    try:
        report = await publish(client, stack, "costume")
    finally:
        stack.meta.clear_faults()

    assert report.instagram and report.instagram.status == "failed"
    assert report.instagram.error_type == "MetaTokenInvalid"
    assert report.instagram.reason == (
        "Instagram: the access token has expired; a new Page access token is needed"
    )
    assert stack.meta.request_counts()["instagram_media"] - before == 1
    alerts = query(stack, "SELECT kind, message FROM brand_alerts WHERE brand = 'costume'")
    assert alerts == [("meta-token:instagram", report.instagram.reason)]

    # The next post that goes through clears the alert.
    assert (await publish(client, stack, "costume")).status == "published"
    assert query(stack, "SELECT count(*) FROM brand_alerts WHERE brand = 'costume'") == [(0,)]


async def test_feedpub_alerts_shows_a_refused_token_to_the_operator(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    assert stack.meta is not None
    upload_photo(stack, s3, "pomandi")
    stack.meta.set_fault(FaultRule(kind="token_expired", endpoint="facebook_photos"))
    try:
        await publish(client, stack, "pomandi")
    finally:
        stack.meta.clear_faults()
    code, out = await feedpub(
        stack,
        "alerts",
        env={
            "FEED_PUBLISHER_MCP_URL": stack.mcp_urls["feed-publisher"],
            "MCP_AUTH_TOKEN": stack.mcp_token,
        },
    )
    assert code == 1, out
    assert "pomandi" in out and "meta-token:facebook" in out
    assert "Facebook: the access token has expired; a new Page access token is needed" in out
