"""What the chaos rounds share: photos, a killable worker process, runs, and the counting."""

from __future__ import annotations

import asyncio
import io
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import psycopg
from PIL import Image
from temporalio.client import Client, WorkflowFailureError, WorkflowHandle

from devstack.parts import s3_client
from devstack.stack import EmbeddedStack
from feedpub.contract.run import PublishReport, PublishRequest
from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow


@dataclass
class Tally:
    """What a round produced, counted from the Meta emulator and the database."""

    runs: int
    kills: int = 0
    published_facebook: int = 0
    published_instagram: int = 0
    duplicates: int = 0
    lost: int = 0
    reused: int = 0
    failed: list[str] = field(default_factory=list)


def upload_photos(stack: EmbeddedStack, brand: str, count: int) -> None:
    """``count`` distinct JPEGs under the brand's prefix (distinct pixels, distinct posts)."""
    s3 = s3_client(stack.s3_env)
    for index in range(count):
        image = Image.new("RGB", (1080, 1350), (index % 256, (index * 7) % 256, 90))
        image.putpixel((index % 1080, 0), (255, 255, 255))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=90)
        key = f"{stack.brands[brand].s3_prefix}photo-{index:04d}-{uuid.uuid4().hex[:6]}.jpg"
        s3.put_object(Bucket=stack.s3_env["S3_BUCKET"], Key=key, Body=out.getvalue())


async def start_runs(
    client: Client, brand: str, count: int, task_queue: str
) -> list[WorkflowHandle[Any, PublishReport]]:
    return list(
        await asyncio.gather(
            *(
                client.start_workflow(
                    FeedPublisherWorkflow.run,
                    PublishRequest(brand=brand),
                    id=f"chaos-{brand}-{index:03d}-{uuid.uuid4().hex[:6]}",
                    task_queue=task_queue,
                )
                for index in range(count)
            )
        )
    )


@dataclass
class Outcome:
    run_id: str
    report: PublishReport | None = None
    reason: str | None = None
    """Why the run published nothing, or that it did not finish in time."""


async def outcome(handle: WorkflowHandle[Any, PublishReport], timeout: float) -> Outcome:
    run_id = handle.result_run_id or handle.first_execution_run_id or ""
    try:
        return Outcome(run_id, report=await asyncio.wait_for(handle.result(), timeout))
    except WorkflowFailureError as failure:
        return Outcome(run_id, reason=str(failure.cause))
    except TimeoutError:
        return Outcome(run_id, reason=f"not finished after {timeout:.0f} s")


def tally(stack: EmbeddedStack, brand: str, outcomes: list[Outcome]) -> Tally:
    assert stack.meta is not None
    config = stack.brands[brand]
    result = Tally(runs=len(outcomes))
    for platform, posts in (
        ("facebook", stack.meta.facebook_posts(config.facebook_page_id)),
        ("instagram", stack.meta.instagram_media(config.instagram_user_id)),
    ):
        per_image = Counter(post["image_sha256"] for post in posts)
        result.duplicates += sum(count - 1 for count in per_image.values())
        setattr(result, f"published_{platform}", len(posts))
    with psycopg.connect(stack.database_url) as conn:
        (result.reused,) = conn.execute(
            "SELECT count(*) FROM (SELECT photo_key FROM publication_reports WHERE brand = %s"
            " AND status IN ('published', 'partial') GROUP BY photo_key"
            " HAVING count(*) > 1) AS twice",
            (brand,),
        ).fetchone() or (0,)
        saved = {row[0] for row in conn.execute(
            "SELECT run_id FROM publication_reports WHERE brand = %s", (brand,)
        ).fetchall()}  # fmt: skip
    for item in outcomes:
        if item.reason:
            result.failed.append(item.reason)
        if item.run_id not in saved:
            result.lost += 1  # no report: the run did not finish, or its report went missing
    return result
