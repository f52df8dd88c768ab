"""The overview of a person's brands, a brand's page, and what an admin or approver does there:
pause or unpause the brand's schedule, start a post now or a dry run.

Pausing is ``feedpub schedules pause``'s own code (``pause_brand``: the runs the schedule
planned already are cancelled too); a post is started as ``feedpub run`` starts it
(``start_post``), then its run's page follows it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from feedpub.brands import Brand
from feedpub.contract.console import brand_path, run_path
from temporal_app.schedules import BrandDisabled, Cancellation, pause_brand, unpause_brand

from ...brand_plan import approval_of
from ...reports.table import why
from ...start_post import start_post
from ..backends import Backends
from ..brand_state import CALENDAR_DAYS, local, read_brand_states, read_learned
from ..web import flash, form_with_csrf, render, require, state
from .history import media_path

__all__ = ["backends_of", "routes"]

log = logging.getLogger(__name__)
NEXT_SLOTS = 3
"""How many coming slots each brand's card lists."""


def backends_of(request: Request) -> Backends:
    """The console's Temporal client and MCP connections."""
    found = state(request).backends
    assert found is not None, "the console's backends are opened by its lifespan"
    return found


SHOWN: dict[str, Any] = {
    "approval_of": approval_of,
    "local": local,
    "media_path": media_path,
    "why": why,
    "next_slots": NEXT_SLOTS,
    "days": CALENDAR_DAYS,
}
"""What the overview and the brand page both use to show a brand (``_brand.html``)."""


async def overview(request: Request) -> Response:
    who = await require(request, None, "see")
    brands = state(request).brands
    # A role for a brand no longer in the brands file shows nothing.
    mine = [brands[name] for name in sorted(who.roles) if name in brands]
    states = await read_brand_states(backends_of(request), mine, datetime.now(UTC))
    return await render(request, "overview.html", states=states, **SHOWN)


async def brand_page(request: Request) -> Response:
    brand = request.path_params["brand"]
    who = await require(request, brand, "see")
    backends = backends_of(request)
    [found] = await read_brand_states(backends, [state(request).brands[brand]], datetime.now(UTC))
    await read_learned(backends, found)
    return await render(request, "brand.html", brand_state=found, role=who.role_for(brand), **SHOWN)


async def pause(request: Request) -> Response:
    brand = state(request).brands.get(request.path_params["brand"])
    who = await require(request, request.path_params["brand"], "pause")
    form = await form_with_csrf(request)
    assert brand is not None  # require() answered 404 for a brand not in the file
    note = f"paused by {who.email} in the console"
    try:
        cancellation = await pause_brand(brand, note, client=backends_of(request).temporal)
        told = _cancellation_words(cancellation, brand)
    except RPCError as exc:
        told = _schedule_refused(brand, exc)
    return _back(request, form.get("back"), brand, told)


async def unpause(request: Request) -> Response:
    brand = state(request).brands.get(request.path_params["brand"])
    who = await require(request, request.path_params["brand"], "pause")
    form = await form_with_csrf(request)
    assert brand is not None
    note = f"unpaused by {who.email} in the console"
    try:
        await unpause_brand(brand, note, client=backends_of(request).temporal)
        told = f"{brand.name} runs again from its next slot."
        if brand.planned:
            told += " The slots a pause left empty stay empty."
    except BrandDisabled as exc:
        told = f"Not unpaused: {exc}."
    except RPCError as exc:
        told = _schedule_refused(brand, exc)
    return _back(request, form.get("back"), brand, told)


async def post_now(request: Request) -> Response:
    """Start one post of the brand now, or a dry run (every step but publishing)."""
    brand = state(request).brands.get(request.path_params["brand"])
    await require(request, request.path_params["brand"], "post_now")
    form = await form_with_csrf(request)
    assert brand is not None
    client, queue = backends_of(request).temporal, state(request).settings.temporal_task_queue
    try:
        handle = await start_post(
            client, brand, dry_run=form.get("kind") == "dry_run", task_queue=queue
        )
        workflow_id, run_id = handle.id, handle.result_run_id
    except WorkflowAlreadyStartedError as exc:
        # Asked twice within a second (a double click): the run the first asking started.
        workflow_id, run_id = exc.workflow_id, exc.run_id
        run_id = run_id or (await client.get_workflow_handle(workflow_id).describe()).run_id
    return RedirectResponse(run_path(workflow_id, run_id or ""), status_code=303)


def _back(request: Request, asked: object, brand: Brand, told: str) -> Response:
    """Back to the overview or the brand's page, whichever the form came from, saying ``told``."""
    response = RedirectResponse("/" if asked == "/" else brand_path(brand.name), status_code=303)
    flash(request, response, told)
    return response


def _schedule_refused(brand: Brand, exc: RPCError) -> str:
    if exc.status == RPCStatusCode.NOT_FOUND:
        return f"{brand.name} has no schedule in Temporal yet: run `feedpub schedules apply`."
    log.warning("the schedule of %s: %s", brand.name, exc)
    return f"Temporal refused to change the schedule of {brand.name}: {exc.message}"


def _cancellation_words(cancellation: Cancellation, brand: Brand) -> str:
    """What a pause did, for the person who asked it."""
    words = [f"{cancellation.brand} is paused: its schedule starts no run."]
    if cancellation.cancelled:
        slots = ", ".join(local(run.slot, brand) for run in cancellation.cancelled)
        words.append(f"Cancelled the posts planned for {slots}; their photos go back.")
    elif not cancellation.found:
        words.append("No planned post to cancel.")
    if cancellation.publishing:
        slots = ", ".join(local(run.slot, brand) for run in cancellation.publishing)
        words.append(f"Left alone, as it is publishing: {slots}.")
    if cancellation.unread:
        words.append(
            f"{len(cancellation.unread)} run(s) did not answer and were not cancelled: "
            "is a worker running? Pause again to try once more."
        )
    return " ".join(words)


routes: list[BaseRoute] = [
    Route("/", overview, methods=["GET"], name="overview"),
    Route("/brands/{brand}", brand_page, methods=["GET"], name="brand"),
    Route("/brands/{brand}/pause", pause, methods=["POST"]),
    Route("/brands/{brand}/unpause", unpause, methods=["POST"]),
    Route("/brands/{brand}/post", post_now, methods=["POST"]),
]
