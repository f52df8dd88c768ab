"""The trait look at a brand's unused photos, end to end on the session's time-skipping
Temporal: the brands' checks start it, it sends one Message Batch to the Anthropic emulator,
looks at it on a durable timer a minute later, and the traits land in the photo ledger."""

from __future__ import annotations

import asyncio
import io
import uuid
from typing import Any

import pytest
from PIL import Image
from temporalio.exceptions import ApplicationError

from devstack.stack import EmbeddedStack
from devstack.trait_marks import paint_traits
from feedpub.contract import tools
from feedpub.contract.checks import BrandChecksRequest
from temporal_app.mcp_client import McpConnection
from temporal_app.traits.models import PhotoTraitsReport
from temporal_app.workflows.brand_checks import BrandChecksWorkflow
from temporal_app.workflows.photo_traits import traits_workflow_id

from .helpers import query, upload_photo
from .skipping import Skipping

pytestmark = pytest.mark.stack

LOOK_SECONDS = 30.0
"""The look's own clock jumps its timers: it ends within seconds of real time."""
TRUTH = {"subject": "detail", "setting": "studio", "people": "no-people", "season": "autumn"}


def marked_photo(truth: dict[str, str], size: tuple[int, int]) -> bytes:
    photo = Image.new("RGB", size, (200, 120, 40))
    out = io.BytesIO()
    paint_traits(photo, truth).save(out, format="JPEG", quality=88)
    return out.getvalue()


def stored_traits(stack: EmbeddedStack, key: str) -> tuple[list[str] | None, Any]:
    [(traits, asked_at)] = query(
        stack, "SELECT traits, traits_asked_at FROM photos WHERE key = %s", key
    )
    return traits, asked_at


async def test_the_hourly_checks_start_a_trait_look_that_stores_each_unused_photos_traits(
    stack: EmbeddedStack, s3: Any, skipping: Skipping
) -> None:
    assert stack.claude is not None
    timing = stack.claude.batches.timing
    before, timing.fixed_seconds = timing.fixed_seconds, 0.0  # ended by the first look
    marked = upload_photo(stack, s3, "traitshop", marked_photo(TRUTH, (1080, 1350)))
    unmarked = upload_photo(stack, s3, "traitshop")
    try:
        await skipping.env.client.execute_workflow(
            BrandChecksWorkflow.run, BrandChecksRequest(brands=["traitshop"]),
            id=f"checks-traits-{uuid.uuid4().hex[:8]}", task_queue=skipping.task_queue,
        )  # fmt: skip
        look = skipping.env.client.get_workflow_handle(
            traits_workflow_id("traitshop"), result_type=PhotoTraitsReport
        )
        report = await asyncio.wait_for(look.result(), LOOK_SECONDS)
    finally:
        timing.fixed_seconds = before

    assert (report.brand, report.rounds, report.stored, report.not_stored) == (
        "traitshop", 1, 2, [],
    )  # fmt: skip
    traits, asked_at = stored_traits(stack, marked)
    assert asked_at is not None and traits is not None
    look_traits = {t.split(":")[0]: t.split(":")[1] for t in traits[:4]}
    assert sum(look_traits[d] != TRUTH[d] for d in TRUTH) <= 1  # 15 % are wrong in one
    assert traits[4:] == ["orientation:portrait", "colours:warm", "light:medium"]
    traits, _ = stored_traits(stack, unmarked)
    assert traits is not None and [t.split(":")[0] for t in traits[:4]] == list(TRUTH)
    assert traits[4:6] == ["orientation:portrait", "colours:cool"]
    [(batch_model,)] = {
        (params["model"],)
        for batch in stack.claude.batches.newest_first()
        for custom_id, params in batch.requests
        if custom_id.endswith(marked.rsplit("/", 1)[-1].replace(".", "-"))
    }
    assert batch_model == "claude-haiku-5-5"


async def test_looks_asked_at_once_never_share_a_photo_and_a_look_out_of_the_vocabulary_is_refused(
    stack: EmbeddedStack, s3: Any
) -> None:
    keys = {upload_photo(stack, s3, "traitshop") for _ in range(4)}
    feed = McpConnection("feed-publisher", stack.mcp_urls["feed-publisher"], stack.mcp_token)
    ask = {"brand": "traitshop", "limit": 3}
    try:
        first, second = await asyncio.gather(
            feed.ask(tools.PHOTOS_TO_LOOK_AT, **ask), feed.ask(tools.PHOTOS_TO_LOOK_AT, **ask)
        )
        again = await feed.ask(tools.PHOTOS_TO_LOOK_AT, **ask)
        key = sorted(keys)[0]
        cat = {**TRUTH, "subject": "cat"}
        with pytest.raises(ApplicationError) as refused:
            await feed.ask(tools.SAVE_PHOTO_TRAITS, brand="traitshop", key=key, etag=None, look=cat)
    finally:
        await feed.close()

    mine, theirs = {p.key for p in first.photos}, {p.key for p in second.photos}
    assert not mine & theirs and mine | theirs == keys
    assert again.photos == []  # asked about: not again while the answer may come
    assert (refused.value.type, refused.value.non_retryable) == ("TraitsRefused", True)
    assert (
        f"photo '{key}'" in refused.value.message and "'subject' is 'cat'" in refused.value.message
    )
    assert stored_traits(stack, key)[0] is None
