"""What ``bench.plan_ahead`` builds on: its brands (two that plan ahead, two twins that publish
at the slot), photos no near-duplicate check mistakes for each other, a time-skipping Temporal
with a worker on the stack, and the figures read from the reports."""

from __future__ import annotations

import io
import random
import statistics
import sys
import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageDraw
from temporalio.testing import WorkflowEnvironment

from devstack.parts import s3_client
from devstack.stack import EmbeddedStack
from feedpub.contract.run import PublishReport
from temporal_app.observability.tracing import Tracing
from temporal_app.worker import activities_for, build_worker, destinations_for

PLANNED = ("plan-nl", "plan-fr")
AT_SLOT = ("slot-nl", "slot-fr")
"""Each planned brand's twin: the same language and voice, ``plan_ahead = "0"``."""
SKIPPING_ARGS = ["--dynamic-config-value", "frontend.WorkflowTimeSkippingEnabled=true"]


def write_brands(folder: Path) -> Path:
    blocks = []
    for index, name in enumerate(PLANNED + AT_SLOT):
        language = name[-2:]
        zone = {"nl": "Europe/Brussels", "fr": "Europe/Paris"}[language]
        ahead = '"18h"' if name in PLANNED else '"0"'
        blocks.append(
            f'[brands.{name}]\nlanguage = "{language}"\ntime_zone = "{zone}"\n'
            f'posting_times = ["09:00", "18:00"]\ns3_prefix = "{name}/"\n'
            f'facebook_page_id = "30900000{index:07d}"\ninstagram_user_id = "1784190{index:010d}"\n'
            f'meta_token_env = "META_ACCESS_TOKEN_P9_{index}"\nvoice = "Warm and plain."\n'
            f"plan_ahead = {ahead}\n"
        )
    path = folder / "brands.toml"
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


def upload_photos(stack: EmbeddedStack, brand: str, count: int, seed: int) -> None:
    """``count`` 1080×1350 JPEGs of random blocks: unlike each other to a perceptual hash."""
    s3, bucket = s3_client(stack.s3_env), stack.s3_env["S3_BUCKET"]

    def upload(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        image = Image.new("RGB", (1080, 1350), tuple(rng.randrange(256) for _ in range(3)))
        draw = ImageDraw.Draw(image)
        for _ in range(12):
            x, y = rng.randrange(900), rng.randrange(1150)
            box = (x, y, x + rng.randrange(80, 400), y + rng.randrange(80, 400))
            draw.rectangle(box, fill=tuple(rng.randrange(256) for _ in range(3)))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=88)
        key = f"{stack.brands[brand].s3_prefix}p9-{index:03d}-{uuid.uuid4().hex[:6]}.jpg"
        s3.put_object(Bucket=bucket, Key=key, Body=out.getvalue())

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(upload, range(count)))


@asynccontextmanager
async def skipping_worker(stack: EmbeddedStack) -> AsyncIterator[tuple[WorkflowEnvironment, str]]:
    """A time-skipping Temporal and a worker on it whose activities use the stack."""
    env = await WorkflowEnvironment.start_time_skipping_v2(
        dev_server_existing_path=str(Path(sys.executable).parent / "temporal"),
        dev_server_extra_args=SKIPPING_ARGS,
        dev_server_log_level="error",
    )
    queue = f"p9-{uuid.uuid4().hex[:8]}"
    settings = stack.worker_settings(TEMPORAL_TASK_QUEUE=queue)
    try:
        async with AsyncExitStack() as closing:
            activities = activities_for(
                settings, closing, destinations=destinations_for(settings, stack.notify_env),
                temporal=env.client,
            )  # fmt: skip
            async with build_worker(env.client, settings, activities, Tracing()):
                yield env, queue
    finally:
        await env.shutdown()


def cost_per_post(reports: list[PublishReport]) -> float:
    """Mean Claude cost of the posts that went out."""
    costs = [r.cost_usd for r in reports if r.status == "published" and r.cost_usd is not None]
    if not costs:
        raise RuntimeError("no post went out: " + "; ".join({r.reason or "" for r in reports}))
    return statistics.fmean(costs)


def seconds_to_out(report: PublishReport) -> float | None:
    """From the slot to the post being out on both platforms (they publish side by side)."""
    if not (report.slot and report.published_at and report.status == "published"):
        return None
    began = datetime.fromisoformat(report.published_at) - datetime.fromisoformat(report.slot)
    steps = (report.timings.get(f"publish_{p}", 0.0) for p in ("facebook", "instagram"))
    return began.total_seconds() + max(steps)
