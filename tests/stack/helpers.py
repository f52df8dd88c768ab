"""Helpers for tests against the embedded stack."""

from __future__ import annotations

import io
import uuid
from typing import Any

import psycopg
from PIL import Image
from temporalio.client import Client

from devstack.stack import EmbeddedStack
from temporal_app.models import PublishReport, PublishRequest
from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow


def upload_photo(
    stack: EmbeddedStack, s3: Any, brand: str, size: tuple[int, int] = (1080, 1350)
) -> str:
    """Put a fresh JPEG under the brand's prefix; return its key."""
    out = io.BytesIO()
    Image.new("RGB", size, (30, 60, 90)).save(out, format="JPEG")
    key = f"{stack.brands[brand].s3_prefix}test-{uuid.uuid4().hex[:10]}.jpg"
    s3.put_object(Bucket=stack.s3_env["S3_BUCKET"], Key=key, Body=out.getvalue())
    return key


async def publish(client: Client, stack: EmbeddedStack, brand: str) -> PublishReport:
    return await client.execute_workflow(
        FeedPublisherWorkflow.run,
        PublishRequest(brand=brand),
        id=f"test-{brand}-{uuid.uuid4().hex[:8]}",
        task_queue=stack.options.task_queue,
    )


def query(stack: EmbeddedStack, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(stack.database_url) as conn:
        return conn.execute(sql, params).fetchall()
