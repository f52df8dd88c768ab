"""A run cancelled while its posts are read back still saves its report, tells the team and
starts the reading of its figures: the newest recorded published run, with a cancellation
request put where the server would record one that came during the read-back (after the
photo was marked used, before the read-backs answered), replays to its recorded end.
Were the cancellation to end the run there, the replay would meet ``save_report`` where the
run now cancels, and fail."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer, UnsandboxedWorkflowRunner

from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow

PUBLISHED = (
    Path(__file__).parent.parent
    / "fixtures"
    / "histories"
    / "v8-checked-and-measured"
    / "published.json"
)


def _name(event: dict[str, Any]) -> str | None:
    attributes = event.get("activityTaskScheduledEventAttributes")
    return attributes["activityType"]["name"] if attributes else None


def _shifted(value: Any, after: int, by: int) -> Any:
    """``value`` with every event id above ``after`` moved up by ``by``."""
    if isinstance(value, dict):
        return {
            key: str(int(item) + by)
            if key.lower().endswith("eventid") and int(item) > after
            else _shifted(item, after, by)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_shifted(item, after, by) for item in value]
    return value


def _cancelled_during_read_back(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``events`` with a cancellation request, and the workflow task that takes it (no command:
    the run goes on), right after the task that followed ``mark_photo_used``'s completion."""
    marked = next(e["eventId"] for e in events if _name(e) == "mark_photo_used")
    done = next(
        i
        for i, e in enumerate(events)
        if e.get("activityTaskCompletedEventAttributes", {}).get("scheduledEventId") == marked
    )
    task = next(
        i for i in range(done, len(events))
        if events[i]["eventType"] == "EVENT_TYPE_WORKFLOW_TASK_COMPLETED"
    )  # fmt: skip
    at = int(events[task]["eventId"])
    template = events[task - 2 : task + 1]  # that task: scheduled, started, completed
    inserted: list[dict[str, Any]] = [
        {
            "eventId": str(at + 1),
            "eventTime": events[task]["eventTime"],
            "eventType": "EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED",
            "workflowExecutionCancelRequestedEventAttributes": {"identity": "a person"},
        }
    ]
    for n, event in enumerate(copy.deepcopy(template), start=2):
        event = _shifted(event, 0, at + n - int(event["eventId"]))
        inserted.append(event)
    inserted[2]["workflowTaskStartedEventAttributes"]["scheduledEventId"] = str(at + 2)
    attributes = inserted[3]["workflowTaskCompletedEventAttributes"]
    attributes["scheduledEventId"], attributes["startedEventId"] = str(at + 2), str(at + 3)
    rest = [_shifted(event, at, len(inserted)) for event in events[task + 1 :]]
    return events[: task + 1] + inserted + rest


async def test_a_run_cancelled_during_the_read_back_saves_its_report_all_the_same() -> None:
    events = json.loads(PUBLISHED.read_text(encoding="utf-8"))["events"]
    spliced = _cancelled_during_read_back(events)
    assert [e["eventId"] for e in spliced] == [str(n) for n in range(1, len(spliced) + 1)]
    after_cancel = [
        _name(e)
        for e in spliced[
            next(i for i, e in enumerate(spliced) if e["eventType"].endswith("CANCEL_REQUESTED")) :
        ]
    ]
    assert "save_report" in after_cancel and "verify_post" not in after_cancel

    # The run's notifiers are named after its workflow id: replayed under the recorded one.
    workflow_id = events[0]["workflowExecutionStartedEventAttributes"]["workflowId"]
    history = WorkflowHistory.from_json(workflow_id, {"events": spliced})
    replayer = Replayer(
        workflows=[FeedPublisherWorkflow], workflow_runner=UnsandboxedWorkflowRunner()
    )
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None
