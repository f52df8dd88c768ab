"""Histories of completed runs, recorded by earlier and current code, replay against the
current workflow code: a change that would break runs already in flight (a non-determinism
error) fails here. tests/fixtures/record_history.py records a new one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow

HISTORIES = sorted(
    (Path(__file__).parent.parent / "fixtures").glob("feed_publisher_history_*.json")
)


def test_there_are_histories_from_more_than_one_version() -> None:
    assert len(HISTORIES) >= 2


@pytest.mark.parametrize("history_file", HISTORIES, ids=[path.stem for path in HISTORIES])
async def test_a_recorded_run_replays_without_non_determinism(history_file: Path) -> None:
    history = WorkflowHistory.from_json("recorded-pomandi-run", history_file.read_text("utf-8"))
    assert len(history.events) > 20  # a whole run: every step, not an empty file
    result = await Replayer(workflows=[FeedPublisherWorkflow]).replay_workflow(history)
    assert result.replay_failure is None


@pytest.mark.parametrize("history_file", HISTORIES, ids=[path.stem for path in HISTORIES])
def test_the_recorded_run_published_on_both_platforms(history_file: Path) -> None:
    events = json.loads(history_file.read_text(encoding="utf-8"))["events"]
    scheduled = {
        e["activityTaskScheduledEventAttributes"]["activityType"]["name"]
        for e in events
        if "activityTaskScheduledEventAttributes" in e
    }
    assert {"publish_facebook", "publish_instagram", "mark_photo_used", "save_report"} <= scheduled
