"""Histories of completed runs, recorded by earlier and current code, replay against the
current workflow code: a change that would break runs already in flight (a non-determinism
error) fails here. tests/fixtures/record_history.py records a new one."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

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
    steps = {step for event in events for step in _step_names(event)}
    assert {"publish_facebook", "publish_instagram", "mark_photo_used", "save_report"} <= steps


def test_the_newest_run_took_its_short_steps_as_local_activities() -> None:
    events = json.loads(HISTORIES[-1].read_text(encoding="utf-8"))["events"]
    local = {step for event in events if "markerRecordedEventAttributes" in event
             for step in _step_names(event)}  # fmt: skip
    assert local == {
        "get_brand_policy", "check_meta_token", "reserve_photo", "mark_photo_used", "save_report",
    }  # fmt: skip


def _step_names(event: dict[str, Any]) -> list[str]:
    """The activity an event schedules, or the local activity a marker records."""
    if "activityTaskScheduledEventAttributes" in event:
        return [event["activityTaskScheduledEventAttributes"]["activityType"]["name"]]
    marker = event.get("markerRecordedEventAttributes", {})
    if marker.get("markerName") != "core_local_activity":
        return []
    data = marker["details"]["data"]["payloads"][0]["data"]
    return [json.loads(base64.b64decode(data))["activity_type"]]
