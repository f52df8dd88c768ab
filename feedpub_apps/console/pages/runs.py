"""A run's page: its steps as they happen (the ``progress`` query), then its report.

While the run goes the page asks the browser to load it again (``<meta http-equiv="refresh">``,
which needs no script and no CSP exception): every few seconds while steps follow each other,
less often while it waits for a person, its slot or a caption batch. Once it ended, the report
comes from Temporal (the run's result), or from the agent-outputs server when Temporal no
longer has the run (past its retention) or the run ended without a result.

The run's brand is read from the run itself (its ``Brand`` search attribute, else its memo),
and a person who may not see that brand gets 404, as for a run that does not exist.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from temporalio.client import WorkflowExecutionDescription, WorkflowExecutionStatus, WorkflowHandle
from temporalio.service import RPCError, RPCStatusCode

from feedpub.contract.run import PROGRESS, WORKFLOW_NAME, Progress, PublishReport

from ...reports.html import PageEntry
from ...reports.links import ReportLinks
from ...reports.source import ListedReport, stored_report
from ...reports.table import at_minute, local_time
from ...start_post import BRAND_KEY
from ..backends import Backends
from ..templating import IN_WORDS
from ..web import render, require, state
from .history import media_path
from .overview import backends_of

__all__ = ["routes"]

log = logging.getLogger(__name__)

REFRESH_SECONDS = 3
"""How soon the page of a run under way loads again."""
WAITING_REFRESH_SECONDS = 30
WAITING_STEPS = frozenset({"awaiting_approval", "planned", "waiting_for_caption_batch"})
"""Steps that last minutes to days: the page loads again less often."""
QUERY_TIMEOUT = timedelta(seconds=5)


async def run_page(request: Request) -> Response:
    workflow_id, run_id = request.path_params["workflow_id"], request.path_params["run_id"]
    await require(request, None, "see")  # logged in, before Temporal is asked anything
    backends = backends_of(request)
    handle = backends.temporal.get_workflow_handle(
        workflow_id, run_id=run_id, result_type=PublishReport
    )
    try:
        described = await handle.describe()
    except RPCError as exc:
        if exc.status not in (RPCStatusCode.NOT_FOUND, RPCStatusCode.INVALID_ARGUMENT):
            raise
        return await _ended_long_ago(request, backends, workflow_id, run_id)
    if described.workflow_type != WORKFLOW_NAME:
        raise HTTPException(404)
    brand = await _brand_of(described)
    await require(request, brand, "see")
    if described.status == WorkflowExecutionStatus.RUNNING:
        return await _under_way(request, handle, brand)
    listed = None
    if described.status == WorkflowExecutionStatus.COMPLETED:
        report = await handle.result()
        listed = ListedReport(report, described.close_time or datetime.now(UTC))
    else:  # failed, cancelled, terminated, timed out: the report it saved, if it did
        listed = await _saved(backends, workflow_id, run_id)
    status = described.status.name.lower().replace("_", " ") if described.status else "unknown"
    return await _ended(request, brand, workflow_id, run_id, listed, status)


async def _under_way(request: Request, handle: WorkflowHandle, brand: str) -> Response:
    try:
        progress = await handle.query(PROGRESS, result_type=Progress, rpc_timeout=QUERY_TIMEOUT)
    except Exception as exc:  # no worker answers, or the run is between two tasks
        log.info("progress of %s: no answer: %s", handle.id, exc)
        progress = None
    waiting = progress is not None and progress.step in WAITING_STEPS
    zone = ZoneInfo(state(request).brands[brand].time_zone)
    deadline = progress.awaiting_approval_until if progress else None
    return await render(
        request,
        "run.html",
        brand=brand,
        workflow_id=handle.id,
        run_id=handle.run_id,
        progress=progress,
        refresh=WAITING_REFRESH_SECONDS if waiting else REFRESH_SECONDS,
        deadline=at_minute(datetime.fromisoformat(deadline), zone, IN_WORDS) if deadline else None,
        slot=at_minute(datetime.fromisoformat(progress.slot), zone, IN_WORDS)
        if progress and progress.slot
        else None,
    )


async def _ended(
    request: Request,
    brand: str,
    workflow_id: str,
    run_id: str,
    listed: ListedReport | None,
    status: str,
) -> Response:
    entry = None
    if listed is not None:
        zones = {brand: ZoneInfo(state(request).brands[brand].time_zone)}
        media_key = listed.report.media_key
        image = media_path(brand, media_key) if media_key else None
        entry = PageEntry(
            listed.report, local_time(listed, zones, IN_WORDS), image, insights=listed.insights
        )
    return await render(
        request,
        "run.html",
        brand=brand,
        workflow_id=workflow_id,
        run_id=run_id,
        entry=entry,
        links=ReportLinks.from_environment(),
        ended=status,
    )


async def _ended_long_ago(
    request: Request, backends: Backends, workflow_id: str, run_id: str
) -> Response:
    """A run Temporal does not know (any more): its saved report, if it is this run's."""
    listed = await _saved(backends, workflow_id, run_id)
    if listed is None or listed.report.brand not in state(request).brands:
        raise HTTPException(404)
    await require(request, listed.report.brand, "see")
    return await _ended(request, listed.report.brand, workflow_id, run_id, listed, "ended")


async def _saved(backends: Backends, workflow_id: str, run_id: str) -> ListedReport | None:
    listed = await stored_report(backends.agent_outputs, run_id)
    return listed if listed is not None and listed.report.workflow_id == workflow_id else None


async def _brand_of(described: WorkflowExecutionDescription) -> str:
    """The run's brand; 404 for a run that names none (nobody's to see)."""
    brand = described.typed_search_attributes.get(BRAND_KEY)
    if not brand:
        brand = await described.memo_value("brand", None)
    if not isinstance(brand, str) or not brand:
        raise HTTPException(404)
    return brand


routes: list[BaseRoute] = [
    # The contract's run_path: /runs/{workflow_id}/{run_id}, each part quoted.
    Route("/runs/{workflow_id}/{run_id}", run_page, methods=["GET"], name="run"),
]
