"""Where each brand's schedule stands: state, next slots, the last run and its result."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from temporalio.client import Client, ScheduleActionExecutionStartWorkflow, WorkflowHandle
from temporalio.client import WorkflowExecutionStatus as Status
from temporalio.service import RPCError

from feedpub.brands import Brand

from ..client import get_temporal_client
from ._rpc import is_not_found

__all__ = ["BrandSchedule", "LastRun", "describe_brand_schedules", "format_brand_schedule"]


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
class BrandSchedule:
    """One brand of ``brands.toml`` and its schedule as Temporal describes it."""

    brand: Brand
    exists: bool
    paused: bool = False
    note: str | None = None
    next_runs: list[datetime] = field(default_factory=list)
    """Next slots, aware UTC datetimes."""
    last_run: LastRun | None = None


async def describe_brand_schedules(
    brands: Mapping[str, Brand], *, count: int = 3, client: Client | None = None
) -> list[BrandSchedule]:
    """Describe each brand's schedule (by id, not through the lagging list), in name order."""
    client = client or await get_temporal_client()
    return [await _describe(client, brands[name], count) for name in sorted(brands)]


async def _describe(client: Client, brand: Brand, count: int) -> BrandSchedule:
    try:
        described = await client.get_schedule_handle(brand.schedule_id).describe()
    except RPCError as exc:
        if is_not_found(exc):
            return BrandSchedule(brand, exists=False)
        raise
    state = described.schedule.state
    view = BrandSchedule(
        brand,
        exists=True,
        paused=state.paused,
        note=state.note,
        next_runs=list(described.info.next_action_times[:count]),
    )
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
    return view


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


def format_brand_schedule(view: BrandSchedule) -> list[str]:
    """Lines for a terminal: state, next slots in the brand's zone and in UTC, last run."""
    brand = view.brand
    times = ", ".join(brand.posting_times)
    head = f"{brand.name}  {brand.schedule_id}  daily at {times} {brand.time_zone}"
    if not view.exists:
        return [head, "  no schedule: run `feedpub schedules apply`"]
    state = "paused" if view.paused else "active"
    lines = [head, f"  state     {state}" + (f" — {view.note}" if view.note else "")]
    zone = ZoneInfo(brand.time_zone)
    for index, moment in enumerate(view.next_runs):
        local = moment.astimezone(zone)
        label = ("next slot" if view.paused else "next runs") if index == 0 else ""
        utc = moment.astimezone(UTC)
        lines.append(f"  {label:<9} {local:%a %Y-%m-%d %H:%M %Z}  =  {utc:%Y-%m-%d %H:%M} UTC")
    if view.paused and view.next_runs:
        lines.append("            (skipped while paused)")
    if not view.next_runs:
        lines.append("  next runs none")
    run = view.last_run
    if run is None:
        lines.append("  last run  none yet")
        return lines
    result = run.status + (f", {run.report_status}" if run.report_status else "")
    result += f": {run.reason}" if run.reason else ""
    lines.append(f"  last run  {run.workflow_id}")
    lines.append(
        f"            started {run.started_at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC — {result}"
    )
    return lines
