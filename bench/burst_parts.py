"""What the speed benches share: many brands, their photos, worker processes, bursts of runs,
and the figures read from histories and from /proc."""

from __future__ import annotations

import asyncio
import io
import os
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from google.protobuf.message import Message
from PIL import Image
from temporalio.client import Client, WorkflowHandle

from devstack.parts import s3_client
from devstack.stack import EmbeddedStack

BRAND_LANGUAGES = ("nl", "fr", "en")


def write_brands_file(folder: Path, count: int) -> Path:
    """``count`` brands ``b000``... with their own prefix, Page, Instagram account and token."""
    zones = {"nl": "Europe/Brussels", "fr": "Europe/Paris", "en": "Europe/London"}
    blocks = []
    for index in range(count):
        language = BRAND_LANGUAGES[index % 3]
        blocks.append(
            f'[brands.b{index:03d}]\nlanguage = "{language}"\ntime_zone = "{zones[language]}"\n'
            f'posting_times = ["09:00"]\ns3_prefix = "b{index:03d}/"\n'
            f'facebook_page_id = "30100000{index:07d}"\n'
            f'instagram_user_id = "1784160{index:010d}"\n'
            f'meta_token_env = "META_ACCESS_TOKEN_B{index:03d}"\nvoice = "Plain."\n'
        )
    path = folder / "brands.toml"
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


def upload_photos(stack: EmbeddedStack, brands: Iterable[str], per_brand: int) -> None:
    """``per_brand`` distinct 1080×1350 JPEGs under each brand's prefix."""
    s3, bucket = s3_client(stack.s3_env), stack.s3_env["S3_BUCKET"]

    def upload(job: tuple[int, str, int]) -> None:
        serial, brand, index = job
        image = Image.new("RGB", (1080, 1350), (serial % 256, (serial * 7) % 256, 90))
        image.putpixel((serial % 1080, (serial // 1080) % 1350), (255, 255, 255))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=90)
        key = f"{stack.brands[brand].s3_prefix}photo-{index:03d}-{uuid.uuid4().hex[:6]}.jpg"
        s3.put_object(Bucket=bucket, Key=key, Body=out.getvalue())

    jobs = [(n, brand, i) for n, (brand, i) in enumerate(
        (brand, i) for brand in brands for i in range(per_brand))]  # fmt: skip
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(upload, jobs))


@dataclass
class Burst:
    seconds: float
    handles: list[WorkflowHandle[Any, Any]]
    failures: list[str]
    results: list[Any]


async def burst(starts: list[Callable[[], Awaitable[WorkflowHandle[Any, Any]]]]) -> Burst:
    """Start every run at once; the time from the first start to the last result."""
    began = time.monotonic()
    handles = list(await asyncio.gather(*(start() for start in starts)))
    results = await asyncio.gather(*(h.result() for h in handles), return_exceptions=True)
    seconds = time.monotonic() - began
    failures = [str(getattr(r, "cause", r)) for r in results if isinstance(r, BaseException)]
    return Burst(
        seconds, handles, failures, [r for r in results if not isinstance(r, BaseException)]
    )


def _payload_sizes(message: Message) -> Iterable[int]:
    if message.DESCRIPTOR.full_name == "temporal.api.common.v1.Payload":
        yield message.ByteSize()
        return
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if isinstance(value, Message):
            yield from _payload_sizes(value)
            continue
        for item in value.values() if hasattr(value, "values") else value:  # repeated or map
            if isinstance(item, Message):
                yield from _payload_sizes(item)


async def largest_payload(client: Client, handles: list[WorkflowHandle[Any, Any]]) -> int:
    """Bytes of the largest payload (input, result, heartbeat, failure...) in these histories."""
    limit = asyncio.Semaphore(20)

    async def largest(handle: WorkflowHandle[Any, Any]) -> int:
        async with limit:
            history = await client.get_workflow_handle(
                handle.id, run_id=handle.result_run_id
            ).fetch_history()
        return max((size for event in history.events for size in _payload_sizes(event)), default=0)

    return max(await asyncio.gather(*(largest(h) for h in handles)), default=0)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])
