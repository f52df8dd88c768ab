"""Where each brand's schedule, and the checks' schedule, stand: state, next slots, the last run
and its result (``listing`` writes them for a terminal)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from temporalio.client import Client, ScheduleActionExecutionStartWorkflow, WorkflowHandle
from temporalio.client import WorkflowExecutionStatus as Status
from temporalio.service import RPCError

from feedpub.brands import Brand
from feedpub.contract.checks import CHECKS_SCHEDULE_ID

from ..client import get_temporal_client
from ._rpc import is_not_found

__all__ = [
    "BrandSchedule",
    "LastRun",
    "ScheduleView",
    "describe_brand_schedules",
    "describe_checks_schedule",
]


@dataclass
class LastRun:
    workflow_id: str
    run_id: str
    started_at: datetime
    status: str
    """The run's Temporal status in lower case: ``running``, ``completed``, ``failed``, ..."""
    report_status: str | None = None
    """The report's status of a completed run: ``published``, ``partial``, ``failed``, ..."""
    reason: str | None = None


@dataclass
class ScheduleView:
    """A schedule as Temporal describes it (the checks' schedule is shown as this)."""

    exists: bool = False
    paused: bool = False
    note: str | None = None
    next_runs: list[datetime] = field(default_factory=list)
    """Next slots, aware UTC datetimes."""
    last_run: LastRun | None = None


@dataclass(kw_only=True)
class BrandSchedule(ScheduleView):
    """One brand of ``brands.toml`` and its schedule as Temporal describes it."""

    brand: Brand


async def describe_brand_schedules(
    brands: Mapping[str, Brand], *, count: int = 3, client: Client | None = None
) -> list[BrandSchedule]:
    """Describe each brand's schedule (by id, not through the lagging list), in name order."""
    client = client or await get_temporal_client()
    return [await _describe(client, brands[name], count) for name in sorted(brands)]


async def _describe(client: Client, brand: Brand, count: int) -> BrandSchedule:
    view = BrandSchedule(brand=brand)
    await _read(client, brand.schedule_id, count, view)
    return view


async def describe_checks_schedule(*, count: int = 3, client: Client | None = None) -> ScheduleView:
    """Describe the schedule of every brand's checks."""
    view = ScheduleView()
    await _read(client or await get_temporal_client(), CHECKS_SCHEDULE_ID, count, view)
    return view


async def _read(client: Client, schedule_id: str, count: int, view: ScheduleView) -> None:
    """Fill ``view`` from the schedule as Temporal describes it (by id, not through the list)."""
    try:
        described = await client.get_schedule_handle(schedule_id).describe()
    except RPCError as exc:
        if is_not_found(exc):
            return
        raise
    state = described.schedule.state
    view.exists, view.paused, view.note = True, state.paused, state.note
    view.next_runs = list(described.info.next_action_times[:count])
    recent = [
        result
        for result in described.info.recent_actions
        if isinstance(result.action, ScheduleActionExecutionStartWorkflow)
    ]
    if recent:
        last = max(recent, key=lambda result: result.started_at)
        assert isinstance(last.action, ScheduleActionExecutionStartWorkflow)
        handle = client.get_workflow_handle(
            last.action.workflow_id, run_id=last.action.first_execution_run_id
        )
        view.last_run = LastRun(
            last.action.workflow_id, last.action.first_execution_run_id, last.started_at, "?"
        )
        await _fill_result(view.last_run, handle)


async def _fill_result(run: LastRun, handle: WorkflowHandle[Any, Any]) -> None:
    try:
        status = (await handle.describe()).status
    except RPCError as exc:
        if not is_not_found(exc):
            raise
        run.status = "gone (past retention)"
        return
    run.status = status.name.lower() if status else "unknown"
    if status == Status.COMPLETED:
        report = await handle.result()
        if isinstance(report, dict):
            run.report_status = report.get("status")
            run.reason = report.get("reason")
