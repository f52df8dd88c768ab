"""After publishing, a run reads each post back: ``verified``, or the difference in plain words.
A post Meta said it made and does not show is looked for again on durable timers (minutes,
skipped on the time-skipping Temporal), then told as a failure while its photo stays used.
The other differences (a cut caption, another image) are the emulator tests'
(``tests/emulators/test_meta_live_post.py``), on the same read-back code."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from devstack.stack import EmbeddedStack
from feedpub.contract.notices import event_id_of
from feedpub.contract.run import PublishReport, PublishRequest
from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow
from temporal_app.workflows.live_check import LOOK_AGAIN_AFTER, missing_words
from tests.polling import poll

from .helpers import query, upload_photo
from .skipping import Skipping, photo_status

BRAND = "costume"


@pytest.fixture
def instagram_account(stack: EmbeddedStack) -> Iterator[str]:
    """The brand's Instagram account, whose next-post switch is taken off after the test."""
    account = stack.brands[BRAND].instagram_user_id
    yield account
    assert stack.meta is not None
    with stack.meta.state.lock:
        stack.meta.state.next_changes.pop(account, None)


async def test_a_post_as_sent_is_verified_and_a_missing_one_is_sought_on_timers_then_told_failed(
    stack: EmbeddedStack, s3: Any, skipping: Skipping, instagram_account: str
) -> None:
    assert stack.meta is not None
    upload_photo(stack, s3, BRAND)
    stack.meta.change_next_post(instagram_account, "vanish")
    handle = await skipping.env.client.start_workflow(
        FeedPublisherWorkflow.run, PublishRequest(brand=BRAND),
        id=f"live-{BRAND}-{uuid.uuid4().hex[:8]}", task_queue=skipping.task_queue,
    )  # fmt: skip
    report: PublishReport = await handle.result()
    saved = query(
        stack,
        "SELECT report->'facebook'->'live'->>'verified', report->'instagram'->'live'->>'difference'"
        " FROM publication_reports WHERE run_id = %s",
        report.run_id,
    )

    assert report.status == "published"  # Meta said so: the photo is not given back
    assert report.facebook and report.facebook.live and report.facebook.live.verified
    assert report.instagram and report.instagram.live and report.instagram.live.missing
    assert missing_words("instagram") in report.warnings
    assert saved == [("true", "post missing")]
    assert report.photo_key and photo_status(stack, report.photo_key) == "used"
    looks, timers = await _looks_and_timers(handle)
    assert looks == {"facebook": 1, "instagram": len(LOOK_AGAIN_AFTER) + 1}
    done = (await handle.query(FeedPublisherWorkflow.progress)).done
    assert (done.count("verify_facebook"), done.count("verify_instagram")) == (1, 1)
    assert timers == len(LOOK_AGAIN_AFTER)
    event = event_id_of("post_partial", BRAND, handle.id)
    told = "SELECT decision, notice FROM notices WHERE event_id = %s AND decision <> 'claiming'"
    found = await poll(lambda: query(stack, told, event), f"the notice {event}")
    [(decision, notice)] = found
    assert decision in ("sent", "folded") and notice["platform"] == "instagram"
    assert "could not be found" in notice["reason"]


async def _looks_and_timers(handle: Any) -> tuple[dict[str, int], int]:
    """How many times each platform's post was read back, and how many timers fired."""
    looks: dict[str, int] = {}
    timers = 0
    async for event in handle.fetch_history_events():
        if event.HasField("activity_task_scheduled_event_attributes"):
            attributes = event.activity_task_scheduled_event_attributes
            if attributes.activity_type.name == "verify_post":
                platform = json.loads(attributes.input.payloads[0].data)["platform"]
                looks[platform] = looks.get(platform, 0) + 1
        timers += event.HasField("timer_fired_event_attributes")
    return looks, timers
