"""Helpers for tests against the embedded stack."""

from __future__ import annotations

import hashlib
import io
import uuid
from typing import Any

import psycopg
from PIL import Image
from temporalio.client import Client, WorkflowHandle

from devstack.meta_emulator import FaultRule
from devstack.run import outcome
from devstack.stack import EmbeddedStack
from feedpub.contract.run import PublishReport, PublishRequest
from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow
from tests.polling import poll


def feed_publisher_environment(stack: EmbeddedStack) -> dict[str, str]:
    """The environment the feed-publisher server reads, pointed at the stack."""
    return {
        **stack.s3_env,
        **stack.meta_tokens,
        "DATABASE_URL": stack.database_url,
        "BRANDS_FILE": str(stack.options.brands_file),
        "META_GRAPH_URL": stack.meta_graph_url,
    }


def fresh_photo(
    size: tuple[int, int] = (1080, 1350), *, band: tuple[int, int, int] | None = None
) -> bytes:
    """A featureless JPEG no other call makes, with a band of ``band``'s colour on top when
    given (a sign the Anthropic emulator reads, see its ``signs`` module)."""
    out = io.BytesIO()
    width, height = size
    image = Image.new("RGB", size, (30, 60, 90))
    mark_at = (0, 0, 8, 8)
    if band is not None:
        image.paste(band, (0, 0, width, height // 8))
        mark_at = (0, height - 8, 8, height)
    # A small mark of its own makes every photo a different file (tests that find a post by
    # its image bytes must not see another test's), while the photo stays featureless.
    image.paste(tuple(uuid.uuid4().bytes[:3]), mark_at)
    image.save(out, format="JPEG")
    return out.getvalue()


def upload_photo(
    stack: EmbeddedStack, s3: Any, brand: str, data: bytes | None = None, *, suffix: str = ".jpg"
) -> str:
    """Put ``data`` (else a ``fresh_photo()``) under the brand's prefix; return its key."""
    key = f"{stack.brands[brand].s3_prefix}test-{uuid.uuid4().hex[:10]}{suffix}"
    body = fresh_photo() if data is None else data
    s3.put_object(Bucket=stack.s3_env["S3_BUCKET"], Key=key, Body=body)
    return key


async def start_run(
    client: Client,
    stack: EmbeddedStack,
    brand: str,
    *,
    dry_run: bool = False,
    task_queue: str | None = None,
) -> WorkflowHandle[Any, PublishReport]:
    """Start one run of ``brand`` on the stack's task queue (or ``task_queue``)."""
    return await client.start_workflow(
        FeedPublisherWorkflow.run,
        PublishRequest(brand=brand, dry_run=dry_run),
        id=f"test-{brand}-{uuid.uuid4().hex[:8]}",
        task_queue=task_queue or stack.options.task_queue,
    )


async def publish(
    client: Client,
    stack: EmbeddedStack,
    brand: str,
    *,
    dry_run: bool = False,
    task_queue: str | None = None,
) -> PublishReport:
    """One run of ``brand``, to its report; a run that published nothing raises
    ``WorkflowFailureError``."""
    handle = await start_run(client, stack, brand, dry_run=dry_run, task_queue=task_queue)
    return await handle.result()


async def run_to_the_end(
    client: Client, stack: EmbeddedStack, brand: str
) -> tuple[str, PublishReport]:
    """One run of ``brand``: how it ended (``completed`` or its failure message) and its
    report, whether it published or not."""
    report, failure = await outcome(stack, await start_run(client, stack, brand))
    return ("completed" if failure is None else str(failure.cause)), report


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
    handle = await start_run(client, stack, "atelier")
    await awaiting_approval(handle)
    return handle


async def awaiting_approval(handle: WorkflowHandle[Any, PublishReport]) -> None:
    """Return once the run waits for a person's decision."""

    async def waiting() -> bool:
        return (await handle.query(FeedPublisherWorkflow.progress)).step == "awaiting_approval"

    await poll(waiting, "the run to ask for approval", timeout=60)


def ledger_photo(stack: EmbeddedStack, s3: Any, data: bytes, brand: str = "padshop") -> str:
    """Put ``data`` under the brand's prefix and in its ledger, as no run's; return its key."""
    key = upload_photo(stack, s3, brand, data, suffix="/photo.jpg")
    with psycopg.connect(stack.database_url) as conn:
        conn.execute(
            "INSERT INTO photos (brand, key, size_bytes) VALUES (%s, %s, %s)",
            (brand, key, len(data)),
        )
    return key


def unfinished_decodes(stack: EmbeddedStack, key: str) -> int:
    """Decodes of the photo ``key`` that began and have not ended, by its ledger row."""
    return int(query(stack, "SELECT unfinished_decodes FROM photos WHERE key = %s", key)[0][0])
