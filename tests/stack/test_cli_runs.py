"""``feedpub run``, ``pending``, ``approve``, ``reject``, ``another-photo`` as a person types
them."""

from __future__ import annotations

import getpass
import socket
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError

from devstack.planned_demo import start_planned
from devstack.stack import EmbeddedStack
from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow
from tests.polling import poll

from .cli import feedpub
from .helpers import start_waiting_run, upload_photo

pytestmark = pytest.mark.usefixtures("worker")


async def test_run_wait_shows_each_step_and_the_published_report(
    stack: EmbeddedStack, s3: Any
) -> None:
    upload_photo(stack, s3, "costume")
    code, out = await feedpub(stack, "run", "costume", "--wait")
    assert code == 0, (code, out)
    assert "costume-manual-" in out
    for step in ("reserve_photo", "generate_caption", "publish_instagram", "save_report"):
        assert f"costume    {step} done" in out
    assert "== costume: PUBLISHED" in out and "instagram  published, id" in out


async def test_a_dry_run_says_so_and_publishes_nothing(stack: EmbeddedStack, s3: Any) -> None:
    upload_photo(stack, s3, "pomandi")
    code, out = await feedpub(stack, "run", "pomandi", "--dry-run", "--wait")
    assert code == 0, (code, out)
    assert "pomandi-dry-run-" in out and "== pomandi: DRY_RUN" in out
    assert "facebook   skipped: dry run" in out


async def test_pending_lists_a_waiting_run_and_approve_publishes_it_naming_who_approved(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    handle = await start_waiting_run(stack, client, s3)

    async def listed() -> tuple[int, str] | None:
        code, out = await feedpub(stack, "pending")
        return (code, out) if handle.id in out else None

    # The list reads Temporal's visibility store, which trails a new run by a moment.
    code, out = await poll(listed, "the run in `feedpub pending`", timeout=30)
    assert code == 0 and "instagram:" in out
    code, out = await feedpub(stack, "another-photo", handle.id, "--reason", "too dark")
    refused = f"feedpub: run {handle.id}: this run publishes at once: it has no plan to change"
    assert (code, out.strip()) == (1, refused)
    code, out = await feedpub(stack, "approve", handle.id)
    assert (code, out.strip()) == (0, f"{handle.id}: approved")
    report = await handle.result()
    assert report.status == "published" and report.approval is not None
    # The report names who approved from which machine, and that it was the command line.
    assert report.approval.startswith(f"approved by {getpass.getuser()}@{socket.gethostname()} at ")
    assert report.approval.endswith(" (command line)")


async def test_another_photo_plans_a_new_photo_until_the_run_ends(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    for _ in range(2):
        upload_photo(stack, s3, "planfree")
    # Inside the batch cut-off: the run writes its captions at once, the ordinary way.
    slot = (datetime.now(UTC) + timedelta(minutes=30)).replace(second=0, microsecond=0)
    handle = await start_planned(client, stack, "planfree", slot)

    async def planned_photo() -> str | None:
        progress = await handle.query(FeedPublisherWorkflow.progress)
        return progress.photo_key if progress.step == "planned" else None

    first = await poll(planned_photo, "the run to make its plan", timeout=60)
    code, out = await feedpub(stack, "another-photo", handle.id, "--reason", "too dark")
    second = (await handle.query(FeedPublisherWorkflow.progress)).photo_key
    assert second not in (None, first)
    assert (code, out.strip()) == (0, f"{handle.id}: another photo: {second} (revision 1)")

    await handle.cancel()
    with pytest.raises(WorkflowFailureError):
        await handle.result()
    code, out = await feedpub(stack, "another-photo", handle.id, "--reason", "too dark")
    ended = f"feedpub: run {handle.id} has ended: nothing about it can change"
    assert (code, out.strip()) == (1, ended)


async def test_mistakes_get_a_clear_message_and_a_usage_exit_code(stack: EmbeddedStack) -> None:
    code, out = await feedpub(stack, "run", "nope")
    assert code == 2 and "unknown brand 'nope'; known brands: atelier, costume" in out
    code, out = await feedpub(stack, "approve", "no-such-run")
    assert code == 2 and "no run with workflow id 'no-such-run'" in out
    code, out = await feedpub(stack, "reject", "some-run")
    assert code == 2 and "--reason" in out
