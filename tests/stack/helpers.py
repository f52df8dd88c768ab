"""Helpers for tests against the embedded stack."""

from __future__ import annotations

import asyncio
import hashlib
import io
import time
import uuid
from collections.abc import Callable
from typing import Any

import psycopg
from PIL import Image
from temporalio.client import Client, WorkflowHandle

from devstack.meta_emulator import FaultRule
from devstack.stack import EmbeddedStack
from feedpub.contract.run import PublishReport, PublishRequest
from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow


def feed_publisher_environment(stack: EmbeddedStack) -> dict[str, str]:
    """The environment the feed-publisher server reads, pointed at the stack."""
    return {
        **stack.s3_env,
        **stack.meta_tokens,
        "DATABASE_URL": stack.database_url,
        "BRANDS_FILE": str(stack.options.brands_file),
        "META_GRAPH_URL": stack.meta_graph_url,
    }


def upload_photo(
    stack: EmbeddedStack, s3: Any, brand: str, size: tuple[int, int] = (1080, 1350)
) -> str:
    """Put a fresh JPEG under the brand's prefix; return its key."""
    out = io.BytesIO()
    name = uuid.uuid4()
    image = Image.new("RGB", size, (30, 60, 90))
    # A small mark of its own makes every upload a different file (tests that find a post
    # by its image bytes must not see another test's), while the photo stays featureless.
    image.paste(tuple(name.bytes[:3]), (0, 0, 8, 8))
    image.save(out, format="JPEG")
    key = f"{stack.brands[brand].s3_prefix}test-{name.hex[:10]}.jpg"
    s3.put_object(Bucket=stack.s3_env["S3_BUCKET"], Key=key, Body=out.getvalue())
    return key


async def publish(client: Client, stack: EmbeddedStack, brand: str) -> PublishReport:
    return await client.execute_workflow(
        FeedPublisherWorkflow.run,
        PublishRequest(brand=brand),
        id=f"test-{brand}-{uuid.uuid4().hex[:8]}",
        task_queue=stack.options.task_queue,
    )


async def publish_through_fault(
    client: Client, stack: EmbeddedStack, brand: str, rule: FaultRule
) -> tuple[PublishReport, int]:
    """A run of ``brand`` with ``rule`` armed on the Meta emulator: its report, and how many
    requests the rule's endpoint got during the run."""
    assert stack.meta is not None
    stack.meta.set_fault(rule)
    before = stack.meta.request_counts()[rule.endpoint]
    try:
        report = await publish(client, stack, brand)
    finally:
        stack.meta.clear_faults()
    return report, stack.meta.request_counts()[rule.endpoint] - before


def query(stack: EmbeddedStack, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(stack.database_url) as conn:
        return conn.execute(sql, params).fetchall()


def media_sha256(stack: EmbeddedStack, s3: Any, media_key: str) -> str:
    """The sha256 of the prepared media, which the Meta emulator records per post."""
    body = s3.get_object(Bucket=stack.s3_env["S3_BUCKET"], Key=media_key)["Body"].read()
    return hashlib.sha256(body).hexdigest()


def posts_of_image(stack: EmbeddedStack, brand: str, sha256: str) -> tuple[int, int]:
    """How many Facebook posts and Instagram media of ``brand`` show this image."""
    assert stack.meta is not None
    config = stack.brands[brand]
    facebook = stack.meta.facebook_posts(config.facebook_page_id)
    instagram = stack.meta.instagram_media(config.instagram_user_id)
    return (
        sum(1 for post in facebook if post["image_sha256"] == sha256),
        sum(1 for media in instagram if media["image_sha256"] == sha256),
    )


async def start_waiting_run(
    stack: EmbeddedStack, client: Client, s3: Any
) -> WorkflowHandle[Any, PublishReport]:
    """Start a run of the approval brand and return once it waits for a decision."""
    upload_photo(stack, s3, "atelier")
    handle = await client.start_workflow(
        FeedPublisherWorkflow.run,
        PublishRequest(brand="atelier"),
        id=f"test-approval-{uuid.uuid4().hex[:8]}",
        task_queue=stack.options.task_queue,
    )
    deadline = time.monotonic() + 30
    while (await handle.query(FeedPublisherWorkflow.progress)).step != "awaiting_approval":
        assert time.monotonic() < deadline, "the run never asked for approval"
        await asyncio.sleep(0.1)
    return handle


def ledger_photo(stack: EmbeddedStack, s3: Any, data: bytes, brand: str = "padshop") -> str:
    """Put ``data`` under the brand's prefix and in its ledger, as no run's; return its key."""
    key = f"{stack.brands[brand].s3_prefix}{uuid.uuid4().hex[:8]}/photo.jpg"
    s3.put_object(Bucket=stack.s3_env["S3_BUCKET"], Key=key, Body=data)
    with psycopg.connect(stack.database_url) as conn:
        conn.execute(
            "INSERT INTO photos (brand, key, size_bytes) VALUES (%s, %s, %s)",
            (brand, key, len(data)),
        )
    return key


def unfinished_decodes(stack: EmbeddedStack, key: str) -> int:
    """Decodes of the photo ``key`` that began and have not ended, by its ledger row."""
    return int(query(stack, "SELECT unfinished_decodes FROM photos WHERE key = %s", key)[0][0])


async def until(condition: Callable[[], bool], what: str, timeout: float = 20) -> None:
    """Poll ``condition`` until it is true; fail naming ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {timeout} s"
        await asyncio.sleep(0.02)
