"""Where each brand's schedule, and the checks' schedule, stand: state, next slots, the last run
and its result."""

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
from feedpub.contract.checks import CHECKS_SCHEDULE_ID

from ..client import get_temporal_client
from ._rpc import is_not_found
from .apply import CHECKS_LABEL

__all__ = [
    "BrandSchedule",
    "ChecksSchedule",
    "LastRun",
    "describe_brand_schedules",
    "describe_checks_schedule",
    "format_brand_schedule",
    "format_checks_schedule",
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
class BrandSchedule:
    """One brand of ``brands.toml`` and its schedule as Temporal describes it."""

    brand: Brand
    exists: bool
    paused: bool = False
    note: str | None = None
    next_runs: list[datetime] = field(default_factory=list)
    """Next slots, aware UTC datetimes."""
    last_run: LastRun | None = None


@dataclass
class ChecksSchedule:
    """The schedule of every brand's checks as Temporal describes it."""

    exists: bool
    paused: bool = False
    note: str | None = None
    next_runs: list[datetime] = field(default_factory=list)
    last_run: LastRun | None = None


async def describe_brand_schedules(
    brands: Mapping[str, Brand], *, count: int = 3, client: Client | None = None
) -> list[BrandSchedule]:
    """Describe each brand's schedule (by id, not through the lagging list), in name order."""
    client = client or await get_temporal_client()
    return [await _describe(client, brands[name], count) for name in sorted(brands)]


async def _describe(client: Client, brand: Brand, count: int) -> BrandSchedule:
    view = BrandSchedule(brand, exists=False)
    await _read(client, brand.schedule_id, count, view)
    return view


async def describe_checks_schedule(
    *, count: int = 3, client: Client | None = None
) -> ChecksSchedule:
    """Describe the schedule of every brand's checks."""
    view = ChecksSchedule(exists=False)
    await _read(client or await get_temporal_client(), CHECKS_SCHEDULE_ID, count, view)
    return view


async def _read(
    client: Client, schedule_id: str, count: int, view: BrandSchedule | ChecksSchedule
) -> None:
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


def format_brand_schedule(view: BrandSchedule) -> list[str]:
    """Lines for a terminal: state, next slots in the brand's zone and in UTC, last run."""
    brand = view.brand
    times = ", ".join(brand.posting_times)
    head = f"{brand.name}  {brand.schedule_id}  daily at {times} {brand.time_zone}"
    if not view.exists:
        return [head, "  no schedule: run `feedpub schedules apply`"]
    lines = [head, _state_line(view)]
    zone = ZoneInfo(brand.time_zone)
    for index, moment in enumerate(view.next_runs):
        local = moment.astimezone(zone)
        label = ("next slot" if view.paused else "next runs") if index == 0 else ""
        utc = moment.astimezone(UTC)
        lines.append(f"  {label:<9} {local:%a %Y-%m-%d %H:%M %Z}  =  {utc:%Y-%m-%d %H:%M} UTC")
    if view.paused and view.next_runs:
        lines.append("            (skipped while paused)")
    return lines + _last_run_lines(view)


def format_checks_schedule(view: ChecksSchedule) -> list[str]:
    """Lines for a terminal: what the checks' schedule does, its state, next ticks, last run."""
    head = (
        f"{CHECKS_LABEL}  {CHECKS_SCHEDULE_ID}  hourly: each brand's token and photos at its "
        "daily_check_time, its digest at its digest time"
    )
    if not view.exists:
        return [head, "  no schedule: run `feedpub schedules apply`"]
    lines = [head, _state_line(view)]
    for index, moment in enumerate(view.next_runs):
        label = "next runs" if index == 0 else ""
        lines.append(f"  {label:<9} {moment.astimezone(UTC):%a %Y-%m-%d %H:%M} UTC")
    return lines + _last_run_lines(view)


def _state_line(view: BrandSchedule | ChecksSchedule) -> str:
    state = "paused" if view.paused else "active"
    return f"  state     {state}" + (f" — {view.note}" if view.note else "")


def _last_run_lines(view: BrandSchedule | ChecksSchedule) -> list[str]:
    lines = [] if view.next_runs else ["  next runs none"]
    run = view.last_run
    if run is None:
        return [*lines, "  last run  none yet"]
    result = run.status + (f", {run.report_status}" if run.report_status else "")
    result += f": {run.reason}" if run.reason else ""
    return [
        *lines,
        f"  last run  {run.workflow_id}",
        f"            started {run.started_at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC — {result}",
    ]
