"""A whole run on the embedded stack: Temporal, MCP over HTTP, S3, PostgreSQL, emulators."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from temporalio.client import Client

from devstack.meta_emulator import FaultRule
from devstack.stack import EmbeddedStack

from .helpers import publish, query, run_to_the_end, upload_photo

pytestmark = pytest.mark.usefixtures("worker")


async def test_a_run_publishes_on_both_platforms_marks_the_photo_used_and_saves_the_report(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    upload_photo(stack, s3, "pomandi")
    report = await publish(client, stack, "pomandi")

    assert report.status == "published"
    assert report.facebook and report.facebook.status == "published"
    assert report.instagram and report.instagram.status == "published"
    assert report.captions is not None
    brand = stack.brands["pomandi"]
    assert stack.meta is not None
    posts = [
        p
        for p in stack.meta.facebook_posts(brand.facebook_page_id)
        if p["post_id"] == report.facebook.post_id
    ]
    assert len(posts) == 1 and posts[0]["caption"] == report.captions.facebook
    media = [
        m
        for m in stack.meta.instagram_media(brand.instagram_user_id)
        if m["id"] == report.instagram.post_id
    ]
    assert len(media) == 1 and media[0]["caption"] == report.captions.instagram
    assert query(
        stack,
        "SELECT status, run_id FROM photos WHERE brand = %s AND key = %s",
        "pomandi",
        report.photo_key,
    ) == [("used", report.run_id)]
    rows = query(
        stack,
        "SELECT brand, status, report->'instagram'->>'post_id' FROM publication_reports"
        " WHERE run_id = %s",
        report.run_id,
    )
    assert rows == [("pomandi", "published", report.instagram.post_id)]


async def test_a_bare_brand_string_starts_a_run_like_the_cli_does(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    upload_photo(stack, s3, "costume")
    result = await client.execute_workflow(
        "FeedPublisherWorkflow",
        "costume",
        id=f"test-bare-{uuid.uuid4().hex[:8]}",
        task_queue=stack.options.task_queue,
    )
    assert result["brand"] == "costume" and result["status"] == "published"


async def test_one_platform_failing_does_not_cancel_the_other_and_the_report_says_why(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    assert stack.meta is not None
    upload_photo(stack, s3, "pomandi")
    stack.meta.set_fault(FaultRule(kind="token_expired", endpoint="instagram_media", times=1))
    try:
        report = await publish(client, stack, "pomandi")
    finally:
        stack.meta.clear_faults()

    assert report.status == "partial"
    assert report.facebook and report.facebook.status == "published"
    assert report.instagram and report.instagram.status == "failed"
    assert report.instagram.error_type == "MetaTokenInvalid"
    assert "expired" in (report.instagram.reason or "")
    assert query(stack, "SELECT status FROM photos WHERE key = %s", report.photo_key) == [("used",)]


async def test_a_brand_without_photos_fails_with_a_saved_report_naming_the_brand(
    stack: EmbeddedStack, client: Client
) -> None:
    ended, report = await run_to_the_end(client, stack, "emptyshop")

    assert "emptyshop" in ended
    assert report.status == "failed" and "no unused photo" in (report.reason or "")
    saved = "SELECT count(*) FROM publication_reports WHERE run_id = %s"
    assert query(stack, saved, report.run_id) == [(1,)]


async def test_claude_sees_the_photo_and_writes_description_and_captions_in_one_request(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    assert stack.claude is not None
    upload_photo(stack, s3, "costume")
    before = len(stack.claude.requests)
    report = await publish(client, stack, "costume")

    sent = stack.claude.requests[before:]
    assert len(sent) == 1
    content = sent[0]["messages"][0]["content"]
    assert [block["type"] for block in content] == ["image", "text"]
    assert sent[0]["output_config"]["format"]["schema"]["required"][0] == "description"
    assert report.description and report.captions
    assert report.captions.description == report.description


async def test_a_photo_claude_declines_to_caption_is_rejected_and_the_run_takes_another(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    assert stack.claude is not None
    upload_photo(stack, s3, "costume")
    upload_photo(stack, s3, "costume")
    stack.claude.set_fault("refusal", times=1)
    try:
        report = await publish(client, stack, "costume")
    finally:
        stack.claude.clear_faults()

    assert report.status == "published"
    [declined] = report.rejected_photos
    declined_key, reason = declined.split(": ", 1)
    assert declined_key != report.photo_key and "Claude declined" in reason
    assert query(stack, "SELECT status, reason FROM photos WHERE key = %s", declined_key) == [
        ("rejected", reason)
    ]
