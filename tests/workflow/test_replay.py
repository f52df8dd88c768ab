"""The history of a completed run replays against the current workflow code.

A change that would break runs already in flight (a non-determinism error) fails here.
"""

from __future__ import annotations

import json
from pathlib import Path

from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow

HISTORY = Path(__file__).parent.parent / "fixtures" / "feed_publisher_history.json"


async def test_a_recorded_run_replays_without_non_determinism() -> None:
    history = WorkflowHistory.from_json("recorded-pomandi-run", HISTORY.read_text(encoding="utf-8"))
    assert len(history.events) > 20  # a whole run: every step, not an empty file
    result = await Replayer(workflows=[FeedPublisherWorkflow]).replay_workflow(history)
    assert result.replay_failure is None


def test_the_recorded_run_published_on_both_platforms() -> None:
    events = json.loads(HISTORY.read_text(encoding="utf-8"))["events"]
    scheduled = [
        e["activityTaskScheduledEventAttributes"]["activityType"]["name"]
        for e in events
        if "activityTaskScheduledEventAttributes" in e
    ]
    assert {"publish_facebook", "publish_instagram", "mark_photo_used", "save_report"} <= set(
        scheduled
    )
