"""Planned runs: the post is prepared hours ahead, waits on a durable timer for its slot while
people change the plan, and is published at the slot.

Hours pass in the session's time-skipping Temporal (``skipping``): each run has a clock of its
own, which jumps from timer to timer. Its worker runs the real activities against the session's
stack. One run waits for its slot in real time, on the session's worker, while the others go:
the delay from slot to post is measured there, last.
"""

from __future__ import annotations

import asyncio
import math
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError, WorkflowHandle
from temporalio.exceptions import CancelledError
from temporalio.testing import ActivityEnvironment

from devstack.meta_emulator import FaultRule
from devstack.parts import s3_client
from devstack.stack import EmbeddedStack
from feedpub.brands import load_brands
from feedpub.contract.run import CaptionEdit, Captions, DecidedBy, PublishReport, PublishRequest
from temporal_app.activities import SlotActivities
from temporal_app.activities.claude_batch import custom_id_of
from temporal_app.mcp_client import McpConnection
from temporal_app.models import SlotCheckInput
from temporal_app.schedules.spec import brand_schedule
from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow
from tests.polling import poll

from .helpers import media_sha256, posts_of_image, query, upload_photo
from .skipping import WITHIN_THE_CUTOFF, Skipping, completed_at, hours_ahead, photo_status

REAL_TIME_AHEAD = timedelta(seconds=15)
"""The real-time run's slot is this far ahead: its plan is made within a few seconds, then it
waits while the module's other tests run."""


@pytest.fixture(scope="module", autouse=True)
def batches_end_at_once(stack: EmbeddedStack) -> Iterator[None]:
    """The emulator ends each caption batch as it is sent (its clock is the wall clock's; the
    runs' clocks jump): a run's first look finds its captions."""
    assert stack.claude is not None
    timing = stack.claude.batches.timing
    before, timing.fixed_seconds = timing.fixed_seconds, 0.0
    yield
    timing.fixed_seconds = before


@contextmanager
def batches_never_end(stack: EmbeddedStack) -> Iterator[None]:
    """Caption batches sent meanwhile are never processed (they would expire in 24 hours)."""
    assert stack.claude is not None
    timing = stack.claude.batches.timing
    before, timing.fixed_seconds = timing.fixed_seconds, math.inf
    try:
        yield
    finally:
        timing.fixed_seconds = before


def batch_result(stack: EmbeddedStack, run_id: str | None) -> str:
    """How the emulator ended the caption batch of run ``run_id``."""
    assert stack.claude is not None and run_id is not None
    custom_id = custom_id_of(run_id)
    [batch] = [
        batch
        for batch in stack.claude.batches.newest_first()
        if any(sent == custom_id for sent, _ in batch.requests)
    ]
    return str(batch.results[custom_id]["type"])


@pytest.fixture(scope="module")
async def real_time_run(
    stack: EmbeddedStack, client: Client, worker: None
) -> WorkflowHandle[Any, PublishReport]:
    """A planned run on the session's worker, whose slot comes in real time."""
    upload_photo(stack, s3_client(stack.s3_env), "planfree")
    slot = datetime.now(UTC).replace(microsecond=0) + REAL_TIME_AHEAD
    return await client.start_workflow(
        FeedPublisherWorkflow.run, PublishRequest(brand="planfree", slot=slot.isoformat()),
        id=f"planned-real-time-{uuid.uuid4().hex[:8]}", task_queue=stack.options.task_queue,
    )  # fmt: skip


def posts_with_caption(stack: EmbeddedStack, brand: str, caption: str) -> int:
    assert stack.meta is not None
    page = stack.brands[brand].facebook_page_id
    return sum(1 for post in stack.meta.facebook_posts(page) if post["message"] == caption)


async def test_a_planned_run_prepares_ahead_waits_for_its_slot_and_publishes_then(
    stack: EmbeddedStack, s3: Any, skipping: Skipping, real_time_run: Any
) -> None:
    upload_photo(stack, s3, "planfree")
    slot = hours_ahead(18)
    handle = await skipping.start("planfree", slot)
    report = await handle.result()
    assert report.status == "published" and report.slot == slot.isoformat()
    assert datetime.fromisoformat(report.published_at or "") >= slot
    assert datetime.fromisoformat(report.started_at) < slot - timedelta(hours=17)
    assert (report.revision, report.captions_via) == (0, "batch")
    assert report.captions is not None and report.captions.usage.batch
    assert posts_of_image(stack, "planfree", media_sha256(stack, s3, report.media_key or "")) == (
        1, 1,
    )  # fmt: skip
    assert photo_status(stack, report.photo_key or "") == "used"


async def test_an_edit_after_the_approval_is_published_as_a_new_revision_by_its_editor(
    stack: EmbeddedStack, s3: Any, skipping: Skipping
) -> None:
    upload_photo(stack, s3, "planshop")
    handle = await skipping.start("planshop", hours_ahead(WITHIN_THE_CUTOFF), until_planned=True)
    approver = DecidedBy("ana@example.com", "login")
    assert await handle.execute_update(FeedPublisherWorkflow.approve, approver) == "approved"
    editor = DecidedBy("bo@laptop", "cli")
    edit = CaptionEdit(facebook="Edited after it was approved.", by=editor)
    assert await handle.execute_update(FeedPublisherWorkflow.edit, edit) == "edited"
    progress = await handle.query(FeedPublisherWorkflow.progress)
    assert (progress.revision, progress.decision) == (2, "edited")
    assert (progress.decided_by, progress.decided_via) == ("bo@laptop", "cli")
    await skipping.skip_to_the_end(handle)
    report = await handle.result()
    assert (report.status, report.revision) == ("published", 2)
    assert (report.approval or "").startswith("edited by bo@laptop at ")
    assert (report.approval or "").endswith(" (command line)")
    assert posts_with_caption(stack, "planshop", "Edited after it was approved.") == 1


async def test_another_photo_gives_the_first_back_and_publishes_the_second(
    stack: EmbeddedStack, s3: Any, skipping: Skipping
) -> None:
    for _ in range(2):
        upload_photo(stack, s3, "planfree")
    handle = await skipping.start("planfree", hours_ahead(WITHIN_THE_CUTOFF), until_planned=True)
    first = (await handle.query(FeedPublisherWorkflow.progress)).photo_key
    answer = await handle.execute_update(FeedPublisherWorkflow.another_photo, "too dark")
    progress = await handle.query(FeedPublisherWorkflow.progress)
    assert progress.photo_key not in (None, first) and progress.revision == 1
    assert answer == f"another photo: {progress.photo_key} (revision 1)"
    assert photo_status(stack, first or "") == "available"
    await skipping.skip_to_the_end(handle)
    report = await handle.result()
    assert (report.status, report.photo_key, report.revision) == (
        "published", progress.photo_key, 1,
    )  # fmt: skip


async def test_a_slot_nobody_decided_on_is_skipped_or_published_as_the_brand_says(
    stack: EmbeddedStack, s3: Any, skipping: Skipping
) -> None:
    brands = ("planshop", "planpublish")
    for brand in brands:
        upload_photo(stack, s3, brand)
    handles = [await skipping.start(brand, hours_ahead(WITHIN_THE_CUTOFF)) for brand in brands]
    skipped, published = await asyncio.gather(*(handle.result() for handle in handles))
    assert (skipped.status, skipped.reason) == (
        "expired", "no decision by the slot; nothing was published",
    )  # fmt: skip
    assert (skipped.approval or "").startswith("expired: nobody decided before the slot, ")
    assert photo_status(stack, skipped.photo_key or "") == "available"
    assert published.status == "published" and published.approval is not None
    assert published.approval.startswith("nobody decided before the slot, ")
    assert "at_slot_unapproved = publish" in published.approval


async def test_a_batch_not_ended_by_the_cutoff_is_cancelled_and_the_captions_written_at_once(
    stack: EmbeddedStack, s3: Any, skipping: Skipping
) -> None:
    upload_photo(stack, s3, "planfree")
    with batches_never_end(stack):
        handle = await skipping.start("planfree", hours_ahead(2.05))
        report = await handle.result()
    assert report.status == "published" and report.captions_via == "batch, then ordinary"
    assert batch_result(stack, handle.result_run_id) == "canceled"


async def test_a_run_cancelled_before_its_slot_gives_back_its_batch_photo_and_slot(
    stack: EmbeddedStack, s3: Any, skipping: Skipping
) -> None:
    upload_photo(stack, s3, "planfree")
    with batches_never_end(stack):
        with skipping.env.with_time_skipping_disabled():
            handle = await skipping.start("planfree", hours_ahead(6))

        async def waiting_for_its_batch() -> str | None:
            progress = await handle.query(FeedPublisherWorkflow.progress)
            return progress.photo_key if progress.step == "waiting_for_caption_batch" else None

        key = await poll(waiting_for_its_batch, "the run to wait for its caption batch")
    await handle.cancel()
    with pytest.raises(WorkflowFailureError) as ended:
        await handle.result()
    assert isinstance(ended.value.cause, CancelledError)
    assert batch_result(stack, handle.result_run_id) == "canceled"
    assert photo_status(stack, key) == "available"
    assert query(stack, "SELECT 1 FROM planned_slots WHERE run_id = %s", handle.result_run_id) == []
    saved = query(
        stack, "SELECT status FROM publication_reports WHERE run_id = %s", handle.result_run_id
    )
    assert saved == [("cancelled",)]


async def test_a_second_run_for_a_planned_slot_takes_nothing_and_names_the_first(
    stack: EmbeddedStack, s3: Any, skipping: Skipping
) -> None:
    upload_photo(stack, s3, "planfree")
    slot = hours_ahead(WITHIN_THE_CUTOFF)
    first = await skipping.start("planfree", slot, until_planned=True)
    second = await (await skipping.start("planfree", slot)).result()
    assert second.status == "skipped" and second.photo_key is None
    assert first.id in (second.reason or "")
    await first.cancel()


async def test_a_photo_deleted_while_hours_are_left_is_replaced_by_another(
    stack: EmbeddedStack, s3: Any, skipping: Skipping
) -> None:
    for _ in range(2):
        upload_photo(stack, s3, "planfree")
    handle = await skipping.start("planfree", hours_ahead(6), until_planned=True)
    deleted = (await handle.query(FeedPublisherWorkflow.progress)).photo_key or ""
    s3.delete_object(Bucket=stack.s3_env["S3_BUCKET"], Key=deleted)
    await skipping.skip_to_the_end(handle)
    report = await handle.result()
    assert report.status == "published" and report.photo_key not in (None, deleted)
    assert report.revision == 1 and photo_status(stack, deleted) == "rejected"
    assert any("was deleted from S3" in warning for warning in report.warnings)


async def test_a_run_whose_brand_was_removed_ends_saying_so_and_tells_the_team(
    stack: EmbeddedStack, s3: Any, skipping: Skipping
) -> None:
    upload_photo(stack, s3, "planleaving")
    handle = await skipping.start("planleaving", hours_ahead(WITHIN_THE_CUTOFF), until_planned=True)
    text = skipping.brands_file.read_text(encoding="utf-8")
    skipping.brands_file.write_text(without_brand(text, "planleaving"), encoding="utf-8")
    await skipping.skip_to_the_end(handle)
    with pytest.raises(WorkflowFailureError):
        await handle.result()
    [(status, report)] = query(
        stack,
        "SELECT status, report FROM publication_reports WHERE run_id = %s",
        handle.result_run_id,
    )
    assert status == "failed"
    assert "brand 'planleaving' is no longer in the brands file" in report["reason"]
    assert "notify-post_failed" in await children_started(handle)


async def test_the_look_at_the_slot_finds_what_stops_the_plan(
    stack: EmbeddedStack, skipping: Skipping, tmp_path: Path
) -> None:
    """The brand disabled, its posting time moved, its schedule paused, the photo deleted and
    a caption over Instagram's hashtags: each is found and said."""
    text = stack.options.brands_file.read_text(encoding="utf-8")
    table = text.index("[brands.planfree]\n")
    changed = text[table:].replace('posting_times = ["09:00"]', 'posting_times = ["10:00"]', 1)
    brands_file = tmp_path / "brands.toml"
    brands_file.write_text(
        text[:table] + changed.replace("\n", "\nenabled = false\n", 1), encoding="utf-8"
    )
    brand = load_brands(brands_file)["planfree"]
    # Paused, as the brand is disabled; the module's other planfree runs must not find it.
    schedule = await skipping.env.client.create_schedule(
        brand.schedule_id, brand_schedule(brand, "nowhere")
    )
    feed = McpConnection("feed-publisher", stack.mcp_urls["feed-publisher"], stack.mcp_token)
    looks = SlotActivities(brands_file, {}, feed, skipping.env.client)
    many_tags = " ".join(f"#tag{n}" for n in range(40))
    look = SlotCheckInput(
        brand="planfree",
        slot="2026-12-24T09:00:00+00:00",  # 09:00 in London
        photo_key="planfree/deleted-before-its-slot.jpg",
        captions=Captions(facebook="Hello.", instagram=f"Hello. {many_tags}", alt_text="A."),
        scheduled=True,
    )
    try:
        found = await ActivityEnvironment().run(looks.check_at_slot, look)
    finally:
        await feed.close()
        await schedule.delete()
    assert {problem.kind for problem in found.problems} == {
        "brand_disabled", "slot_removed", "schedule_paused", "photo_missing",
        "captions_break_rules",
    }  # fmt: skip
    reasons = " ".join(problem.reason for problem in found.problems)
    assert "40 hashtags (max 30)" in reasons and "deleted-before-its-slot.jpg" in reasons


def without_brand(text: str, brand: str) -> str:
    """A brands file's text without the brand's tables."""
    kept, inside = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("["):
            inside = line.strip().rstrip("]").lstrip("[").split(".")[:2] == ["brands", brand]
        if not inside:
            kept.append(line)
    return "".join(kept)


async def children_started(handle: WorkflowHandle[Any, Any]) -> list[str]:
    """The kinds of notifier the run started (``notify-<kind>``)."""
    started = []
    async for event in handle.fetch_history_events():
        if event.HasField("start_child_workflow_execution_initiated_event_attributes"):
            child = event.start_child_workflow_execution_initiated_event_attributes
            started.append(child.workflow_id.split(":")[0])
    return started


async def test_a_cancellation_once_publishing_began_comes_too_late_and_the_post_goes_out_once(
    stack: EmbeddedStack, s3: Any, skipping: Skipping
) -> None:
    assert stack.meta is not None
    upload_photo(stack, s3, "planfree")
    # The Facebook upload takes seconds: the cancellation comes while the run publishes.
    stack.meta.set_fault(
        FaultRule(kind="latency", endpoint="facebook_photos", seconds=1.5, times=1)
    )
    try:
        handle = await skipping.start("planfree", hours_ahead(WITHIN_THE_CUTOFF))

        async def publishing() -> bool:
            step: str = (await handle.query(FeedPublisherWorkflow.progress)).step
            return step.startswith("publish")

        await poll(publishing, "the run to begin publishing", every=0.05, timeout=30)
        await handle.cancel()
        report = await handle.result()
    finally:
        stack.meta.clear_faults()
    assert report.status == "published"
    assert any("after publishing had begun" in warning for warning in report.warnings)
    assert posts_of_image(stack, "planfree", media_sha256(stack, s3, report.media_key or "")) == (
        1, 1,
    )  # fmt: skip
    assert photo_status(stack, report.photo_key or "") == "used"


async def test_a_planned_post_is_published_within_ten_seconds_of_its_slot(
    stack: EmbeddedStack, real_time_run: WorkflowHandle[Any, PublishReport]
) -> None:
    report = await real_time_run.result()
    slot = datetime.fromisoformat(report.slot or "")
    assert report.status == "published" and report.facebook is not None
    assert stack.meta is not None
    page = stack.brands["planfree"].facebook_page_id
    [post] = [p for p in stack.meta.facebook_posts(page) if p["id"] == report.facebook.post_id]
    posted = datetime.fromisoformat(post["created_time"].replace("+0000", "+00:00"))
    assert timedelta(0) <= posted - slot <= timedelta(seconds=10), f"posted {posted - slot} late"
    assert await completed_at(real_time_run, "prepare_media") < slot
