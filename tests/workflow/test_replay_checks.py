"""Runs of BrandChecksWorkflow recorded by each version of it replay against the current code:
a worker replays an hourly run that is still open when it restarts, or when it is asked. Each
history checks one brand with every check forced; ``tests/fixtures/record_checks_history.py``
records a new version's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from temporal_app.workflows.brand_checks import BrandChecksWorkflow

HISTORIES = Path(__file__).parent.parent / "fixtures" / "check_histories"
ALL = sorted(HISTORIES.glob("*.json"))


def _events(path: Path) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["events"]
    return events


def _steps(events: list[dict[str, Any]]) -> list[str]:
    return [
        event["activityTaskScheduledEventAttributes"]["activityType"]["name"]
        for event in events
        if "activityTaskScheduledEventAttributes" in event
    ]


@pytest.mark.parametrize("history_file", ALL, ids=lambda path: path.stem)
async def test_a_recorded_checks_run_replays(history_file: Path) -> None:
    events = _events(history_file)
    history = WorkflowHistory.from_json("recorded-checks", {"events": events})

    result = await Replayer(workflows=[BrandChecksWorkflow]).replay_workflow(
        history, raise_on_replay_failure=False
    )

    assert result.replay_failure is None


def test_runs_recorded_before_the_sweep_end_after_the_checks_and_the_newest_sweep() -> None:
    first, newest = _steps(_events(ALL[0])), _steps(_events(ALL[-1]))
    checks = ["brands_to_check", "check_meta_token", "count_unused_photos", "weekly_digest"]

    assert len(ALL) >= 2
    assert (first, newest) == (checks, [*checks, "sweep_held_photos"])


def test_runs_recorded_since_the_trait_look_start_one_per_learning_brand_and_older_none() -> None:
    def children(path: Path) -> list[tuple[str, str]]:
        started = "startChildWorkflowExecutionInitiatedEventAttributes"
        return [
            (event[started]["workflowType"]["name"], event[started]["workflowId"])
            for event in _events(path)
            if started in event and event[started]["workflowType"]["name"] != "NotifyWorkflow"
        ]

    newest = HISTORIES / "v3-trait-looks-started.json"
    assert children(newest) == [("PhotoTraitsWorkflow", "feedpub-traits-pomandi")]
    assert children(HISTORIES / "v2-held-photos-swept.json") == []
