"""Runs that wait for a person, as Temporal has them: found by the ``Brand`` search attribute,
read through the ``progress`` query, decided through the workflow's updates (whose validators
have the last word).

A run waits when its step is ``awaiting_approval``: a run at its slot held by the approval gate,
or a planned run before its slot that nobody has decided on yet. A planned run stays open to
changes (edit, another photo, reject) until its slot, decided or not.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from temporalio.client import (
    Client,
    WorkflowExecutionStatus,
    WorkflowQueryFailedError,
    WorkflowQueryRejectedError,
)
from temporalio.service import RPCError, RPCStatusCode

from feedpub.contract.run import PROGRESS, WORKFLOW_NAME, Progress
from feedpub.contract.schedules import BRAND_SEARCH_ATTRIBUTE

__all__ = ["QUERY_TIMEOUT", "RunState", "read_run", "waiting_runs"]

QUERY_TIMEOUT = timedelta(seconds=5)
"""How long a run's ``progress`` may take to answer (none answers while no worker runs)."""
CHANGEABLE_STEPS = frozenset({"awaiting_approval", "planned"})


@dataclass(frozen=True)
class RunState:
    """One run of ``FeedPublisherWorkflow`` as a page shows it."""

    workflow_id: str
    run_id: str
    brand: str
    running: bool
    progress: Progress | None
    """None when the run did not answer its query (no worker, or it ended long ago)."""

    @property
    def planned(self) -> bool:
        return self.progress is not None and self.progress.slot is not None

    @property
    def waiting(self) -> bool:
        """Nobody has decided yet, and someone still may."""
        return self.running and self.progress is not None and self.progress.awaits_decision

    @property
    def changeable(self) -> bool:
        """A decision sent now can still be taken: the run waits, or its plan may change."""
        if not self.running or self.progress is None:
            return False
        if self.planned:
            return self.progress.step in CHANGEABLE_STEPS
        return self.waiting


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


async def waiting_runs(client: Client, brands: Iterable[str]) -> tuple[list[RunState], list[str]]:
    """The runs of ``brands`` that wait for a decision, the nearest deadline first, and the
    workflow ids of the brands' running runs that did not answer.

    The listing reads Temporal's visibility store, which trails a run just started by a
    second or so."""
    names = sorted(set(brands))
    if not names:
        return [], []
    query = (
        f'WorkflowType = "{WORKFLOW_NAME}" AND ExecutionStatus = "Running" '
        f"AND {BRAND_SEARCH_ATTRIBUTE} IN ({', '.join(_quoted(name) for name in names)})"
    )
    listed = [(run.id, run.run_id) async for run in client.list_workflows(query)]
    answers = await asyncio.gather(*(_progress(client, *ids) for ids in listed))
    found, unread = [], []
    for (workflow_id, run_id), progress in zip(listed, answers, strict=True):
        if progress is None:
            unread.append(workflow_id)
        elif progress.brand in names:
            run = RunState(workflow_id, run_id or "", progress.brand, True, progress)
            found += [run] if run.waiting else []
    found.sort(key=lambda run: (run.progress and run.progress.awaiting_approval_until) or "~")
    return found, unread


async def read_run(client: Client, workflow_id: str, run_id: str) -> RunState | None:
    """The run ``workflow_id``/``run_id`` and where it is; None when Temporal knows no such run
    of ``FeedPublisherWorkflow``."""
    handle = client.get_workflow_handle(workflow_id, run_id=run_id)
    try:
        described = await handle.describe(rpc_timeout=QUERY_TIMEOUT)
    except RPCError as exc:
        if exc.status in (RPCStatusCode.NOT_FOUND, RPCStatusCode.INVALID_ARGUMENT):
            return None
        raise
    if described.workflow_type != WORKFLOW_NAME:
        return None
    brand_key = next(
        (
            pair
            for pair in described.typed_search_attributes
            if pair.key.name == BRAND_SEARCH_ATTRIBUTE
        ),
        None,
    )
    progress = await _progress(client, workflow_id, run_id)
    brand = progress.brand if progress is not None else str(brand_key.value if brand_key else "")
    running = described.status == WorkflowExecutionStatus.RUNNING
    return RunState(workflow_id, run_id, brand, running, progress)


async def _progress(client: Client, workflow_id: str, run_id: str | None) -> Progress | None:
    handle = client.get_workflow_handle(workflow_id, run_id=run_id)
    try:
        progress: Progress = await handle.query(
            PROGRESS, result_type=Progress, rpc_timeout=QUERY_TIMEOUT
        )
    except (RPCError, WorkflowQueryFailedError, WorkflowQueryRejectedError):
        return None
    return progress
