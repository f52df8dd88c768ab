"""A brand's planned runs, and cancelling them when the brand stops or loses a posting time.

A planned run is a ``FeedPublisherWorkflow`` run in flight whose ``progress`` answers a slot:
it was started ahead of its slot and waits for it. They are found by the ``Brand`` search
attribute (every run carries it) and ``ExecutionStatus = 'Running'``, then read one by one.

Pausing a Schedule in Temporal leaves the runs it already started alone, and terminating a
run skips its cleanup. So pause, ``enabled = false``, ``--prune`` and a removed posting time
*cancel* the runs that have not begun publishing: a cancelled run gives its photo back,
cancels its caption batch, releases its slot and saves a ``cancelled`` report.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from temporalio.client import Client, WorkflowQueryFailedError, WorkflowQueryRejectedError
from temporalio.service import RPCError

from feedpub.brands import Brand
from feedpub.contract.run import PROGRESS, WORKFLOW_NAME, Progress
from feedpub.contract.schedules import BRAND_SEARCH_ATTRIBUTE

from ._rpc import is_not_found

__all__ = [
    "PUBLISHING_STEPS",
    "Cancellation",
    "PlannedRun",
    "cancel_planned_runs",
    "cancel_runs_off_posting_times",
    "planned_runs",
    "slot_time",
]

PUBLISHING_STEPS = frozenset(
    {"publish", "publish_facebook", "publish_instagram", "mark_photo_used", "save_report"}
)
"""Steps of a run that has begun to publish, or has published and is finishing: cancelling it
then could stop a post half-way, so it is left to end."""
QUERY_TIMEOUT = timedelta(seconds=5)
"""How long a run's ``progress`` may take to answer (no worker answers while none runs)."""


@dataclass(frozen=True)
class PlannedRun:
    """One run waiting for its slot (or publishing at it)."""

    workflow_id: str
    run_id: str
    slot: datetime
    """Aware, UTC."""
    progress: Progress

    @property
    def publishing(self) -> bool:
        return self.progress.step in PUBLISHING_STEPS


@dataclass
class Cancellation:
    """What cancelling a brand's planned runs did, told in plain words by ``lines``."""

    brand: str
    time_zone: str = "UTC"
    """The zone the slots are shown in: the brand's, or UTC for a brand no longer in the file."""
    cancelled: list[PlannedRun] = field(default_factory=list)
    publishing: list[PlannedRun] = field(default_factory=list)
    """Runs left alone: they had begun publishing."""
    unread: list[str] = field(default_factory=list)
    """Workflow ids of the brand's runs whose progress did not answer: not cancelled."""

    @property
    def found(self) -> bool:
        """Whether any planned run of the brand was met (cancelled, left or unread)."""
        return bool(self.cancelled or self.publishing or self.unread)

    def lines(self) -> list[str]:
        if not self.found:
            return [f"{self.brand}: no planned post to cancel"]
        lines = [
            f"{self.brand}: cancelled the post planned for {self._when(run)}"
            + (f", photo {run.progress.photo_key} (given back)" if run.progress.photo_key else "")
            + f"  [{run.workflow_id}]"
            for run in self.cancelled
        ]
        lines += [
            f"{self.brand}: left the post of {self._when(run)} alone: it is publishing"
            f"  [{run.workflow_id}]"
            for run in self.publishing
        ]
        lines += [
            f"{self.brand}: could not read run {workflow_id} (is a worker running?): "
            "not cancelled; cancel it with `temporal workflow cancel --workflow-id "
            f"{workflow_id}`"
            for workflow_id in self.unread
        ]
        return lines

    def _when(self, run: PlannedRun) -> str:
        local = run.slot.astimezone(ZoneInfo(self.time_zone))
        return f"{local:%a %Y-%m-%d %H:%M} {self.time_zone}"


def slot_time(slot: datetime, time_zone: str) -> str:
    """The posting time (``HH:MM``, local to ``time_zone``) that ``slot`` falls on."""
    return f"{slot.astimezone(ZoneInfo(time_zone)):%H:%M}"


async def planned_runs(client: Client, brand: str) -> tuple[list[PlannedRun], list[str]]:
    """The brand's planned runs in flight, by slot, and the ids of its runs that did not answer.

    A run whose ``Progress.slot`` is None publishes now: it is not planned. The listing reads
    Temporal's visibility store, which lags a second or so behind a run just started.
    """
    name = brand.replace("\\", "\\\\").replace('"', '\\"')
    query = (
        f'WorkflowType = "{WORKFLOW_NAME}" AND ExecutionStatus = "Running" '
        f'AND {BRAND_SEARCH_ATTRIBUTE} = "{name}"'
    )
    listed = [(execution.id, execution.run_id) async for execution in client.list_workflows(query)]
    answers = await asyncio.gather(*(_progress(client, *ids) for ids in listed))
    found: list[PlannedRun] = []
    unread: list[str] = []
    for (workflow_id, run_id), progress in zip(listed, answers, strict=True):
        if progress is None:
            unread.append(workflow_id)
        elif progress.slot and progress.step != "done":
            slot = datetime.fromisoformat(progress.slot)
            slot = slot if slot.tzinfo else slot.replace(tzinfo=UTC)
            found.append(PlannedRun(workflow_id, run_id, slot.astimezone(UTC), progress))
    return sorted(found, key=lambda run: run.slot), unread


async def cancel_planned_runs(
    client: Client, brand: Brand | str, posting_times: Collection[str] | None = None
) -> Cancellation:
    """Cancel the brand's planned runs that have not begun publishing.

    With ``posting_times`` (``HH:MM``, a brand's removed times), only the runs whose slot falls
    on one of them in the brand's local time; that needs the ``Brand`` for its zone. A brand
    given by name (one no longer in the file) has every planned run cancelled.
    """
    if isinstance(brand, str):
        if posting_times is not None:
            raise ValueError("posting times are read in a brand's zone: pass the Brand")
        name, zone = brand, "UTC"
    else:
        name, zone = brand.name, brand.time_zone
    runs, unread = await planned_runs(client, name)
    outcome = Cancellation(name, zone, unread=unread)
    for run in runs:
        if posting_times is not None and slot_time(run.slot, zone) not in posting_times:
            continue
        if run.publishing:
            outcome.publishing.append(run)
        elif await _cancel(client, run):
            outcome.cancelled.append(run)
    return outcome


async def cancel_runs_off_posting_times(client: Client, brand: Brand) -> Cancellation | None:
    """Cancel the brand's planned runs whose slot is no longer one of its posting times (in its
    zone, so a changed zone counts too); None when every planned slot still is."""
    runs, _ = await planned_runs(client, brand.name)
    removed = {slot_time(run.slot, brand.time_zone) for run in runs} - set(brand.posting_times)
    return await cancel_planned_runs(client, brand, removed) if removed else None


async def _progress(client: Client, workflow_id: str, run_id: str | None) -> Progress | None:
    handle = client.get_workflow_handle(workflow_id, run_id=run_id)
    try:
        return await handle.query(PROGRESS, result_type=Progress, rpc_timeout=QUERY_TIMEOUT)
    except RPCError as exc:
        if is_not_found(exc):  # closed since it was listed
            return Progress(step="done")
        return None
    except (WorkflowQueryFailedError, WorkflowQueryRejectedError):
        return None


async def _cancel(client: Client, run: PlannedRun) -> bool:
    """Ask the run to cancel; False when it closed meanwhile."""
    try:
        await client.get_workflow_handle(run.workflow_id, run_id=run.run_id).cancel()
    except RPCError as exc:
        if is_not_found(exc):
            return False
        raise
    return True
