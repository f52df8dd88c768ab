"""Runs of a brand with approval = "required" wait for a person: approve, reject, edit, expire;
each decision says who took it, when and how."""

from __future__ import annotations

import re
from typing import Any

import pytest
from temporalio.client import Client, WorkflowUpdateFailedError

from devstack.stack import EmbeddedStack
from feedpub.contract.run import CaptionEdit, DecidedBy, PublishReport
from feedpub_apps.cli.runs import pending_runs
from temporal_app.captions.checks import INSTAGRAM_MAX_CHARS
from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow
from tests.polling import poll

from .helpers import publish, query, start_run, start_waiting_run, upload_photo

pytestmark = pytest.mark.usefixtures("worker")
CHILD_STARTED = "start_child_workflow_execution_initiated_event_attributes"


def posts_of_run(stack: EmbeddedStack, report: PublishReport) -> int:
    assert stack.meta is not None
    brand = stack.brands["atelier"]
    ids = {report.facebook.post_id if report.facebook else None}
    ids.add(report.instagram.post_id if report.instagram else None)
    facebook = [p for p in stack.meta.facebook_posts(brand.facebook_page_id) if p["post_id"] in ids]
    instagram = [m for m in stack.meta.instagram_media(brand.instagram_user_id) if m["id"] in ids]
    return len(facebook) + len(instagram)


def saved_approval(stack: EmbeddedStack, report: PublishReport) -> str:
    sql = "SELECT report->>'approval' FROM publication_reports WHERE run_id = %s"
    [(approval,)] = query(stack, sql, report.run_id)
    return str(approval)


async def test_an_approved_run_publishes_says_who_approved_and_was_listed_as_pending(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    handle = await start_waiting_run(stack, client, s3)

    async def listed() -> dict[str, Any]:
        waiting = dict(await pending_runs(client))
        return waiting if handle.id in waiting else {}

    # Temporal's visibility store, which the list reads, trails a new run by a moment.
    waiting = await poll(listed, "the run among the pending ones", timeout=30)
    assert waiting[handle.id].captions is not None and waiting[handle.id].photo_key
    by = DecidedBy(person="ana@example.com", via="link")
    assert await handle.execute_update(FeedPublisherWorkflow.approve, by) == "approved"
    progress = await handle.query(FeedPublisherWorkflow.progress)
    report = await handle.result()

    assert (progress.decided_by, progress.decided_via) == ("ana@example.com", "link")
    assert progress.decided_at is not None
    assert report.status == "published" and posts_of_run(stack, report) == 2
    # The brand is in Paris: the time is said in its zone (CET or CEST), to the minute.
    said = r"approved by ana@example\.com at \d{4}-\d\d-\d\d \d\d:\d\d CES?T \(approval link\)"
    assert re.fullmatch(said, report.approval or ""), report.approval
    assert saved_approval(stack, report) == report.approval


async def test_a_rejected_run_publishes_nothing_and_gives_the_photo_back(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    handle = await start_waiting_run(stack, client, s3)
    await handle.execute_update(FeedPublisherWorkflow.reject, "wrong season")
    report = await handle.result()
    # A caller that does not say who decided: the report still says when.
    assert report.status == "rejected" and report.approval is not None
    assert re.fullmatch(r"rejected at [-\d]+ [:\d]+ CES?T: wrong season", report.approval)
    assert report.facebook is None and report.instagram is None
    assert query(stack, "SELECT status FROM photos WHERE key = %s", report.photo_key) == [
        ("available",)
    ]
    saved = query(stack, "SELECT status FROM publication_reports WHERE run_id = %s", report.run_id)
    assert saved == [("rejected",)]


async def test_an_edit_breaking_the_rules_is_refused_unrecorded_and_a_valid_one_is_published(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    handle = await start_waiting_run(stack, client, s3)
    refused_edits = [
        (CaptionEdit(instagram="x" * (INSTAGRAM_MAX_CHARS + 1)), "longer than 2200 characters"),
        (CaptionEdit(), "needs a Facebook or an Instagram caption"),
    ]
    for edit, says in refused_edits:
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await handle.execute_update(FeedPublisherWorkflow.edit, edit)
        assert says in str(refused.value.cause)
    # Refused by the validator: not in the history, and the run still waits for a decision.
    events = [event async for event in handle.fetch_history_events()]
    assert not [
        e for e in events if e.HasField("workflow_execution_update_accepted_event_attributes")
    ]
    assert (await handle.query(FeedPublisherWorkflow.progress)).step == "awaiting_approval"

    edit = CaptionEdit(facebook="Texte revu par l'équipe.", instagram="Version Instagram revue.")
    assert await handle.execute_update(FeedPublisherWorkflow.edit, edit) == "edited"
    report = await handle.result()

    assert report.status == "published" and (report.approval or "").startswith("edited at ")
    assert report.facebook and report.instagram and stack.meta is not None
    brand = stack.brands["atelier"]
    posts = stack.meta.facebook_posts(brand.facebook_page_id)
    media = stack.meta.instagram_media(brand.instagram_user_id)
    post = next(p for p in posts if p["post_id"] == report.facebook.post_id)
    posted = next(m for m in media if m["id"] == report.instagram.post_id)
    assert post["message"] == "Texte revu par l'équipe."
    assert posted["caption"] == "Version Instagram revue."


async def test_a_decision_on_a_run_that_is_not_waiting_is_refused(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    upload_photo(stack, s3, "pomandi")
    handle = await start_run(client, stack, "pomandi")
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(FeedPublisherWorkflow.approve)
    assert "not waiting for approval" in str(refused.value.cause)
    assert (await handle.result()).status == "published"


async def test_a_dry_run_does_every_step_but_publishing(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    upload_photo(stack, s3, "costume")
    report = await publish(client, stack, "costume", dry_run=True)
    assert report.status == "dry_run" and report.dry_run
    assert report.captions and report.media_key
    assert report.facebook and report.facebook.status == "skipped"
    assert "publish_facebook" not in report.timings and "publish_instagram" not in report.timings
    assert query(stack, "SELECT status FROM photos WHERE key = %s", report.photo_key) == [
        ("available",)
    ]
    # A dry run tells the team nothing (but an approval it waits for): no notifier started.
    history = client.get_workflow_handle(report.workflow_id).fetch_history_events()
    started = [e async for e in history if e.HasField(CHILD_STARTED)]
    assert started == []
