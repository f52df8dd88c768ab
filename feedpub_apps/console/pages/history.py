"""A brand's history: its runs newest first, filterable by status, each shown as the card
``feedpub reports html`` shows too (``_report.html``); and the posted images, which the console
serves from the feed-publisher server (never from S3: the console holds no S3 credentials).
"""

from __future__ import annotations

import logging
from typing import get_args
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from feedpub.contract.console import history_path, run_path
from feedpub.contract.reports import MOST_REPORTS_LISTED
from feedpub.contract.run import RunStatus

from ...reports.html import PageEntry
from ...reports.links import ReportLinks
from ...reports.source import list_reports, prepared_image
from ...reports.table import local_time
from ..templating import IN_WORDS
from ..web import render, require, state

__all__ = ["media_path", "routes"]

log = logging.getLogger(__name__)

RUNS_PER_PAGE = 20
STATUSES: tuple[str, ...] = get_args(RunStatus)
# A run's image never changes under its key: the browser may keep it (for this person only).
IMAGE_CACHE = "private, max-age=31536000, immutable"


def media_path(brand: str, media_key: str) -> str:
    """Where the console serves a run's posted image."""
    return f"/brands/{quote(brand, safe='')}/media/{quote(media_key, safe='/')}"


def _page_number(text: str | None) -> int:
    """The page asked for, from 1; anything else is the first."""
    return int(text) if text and text.isdigit() and 0 < int(text) < 1000 else 1


def _address(brand: str, status: str | None, page: int) -> str:
    query = [("status", status)] if status else []
    if page > 1:
        query.append(("page", str(page)))
    return history_path(brand) + (f"?{urlencode(query)}" if query else "")


async def history(request: Request) -> Response:
    brand = request.path_params["brand"]
    await require(request, brand, "see")
    status = request.query_params.get("status") or None
    if status is not None and status not in STATUSES:
        raise HTTPException(400, f"There is no run status {status!r}: " + ", ".join(STATUSES))
    page = _page_number(request.query_params.get("page"))
    console = state(request)
    assert console.backends is not None, "the console's backends are opened by its lifespan"
    # One more than the page holds tells whether older runs exist.
    wanted = min(page * RUNS_PER_PAGE + 1, MOST_REPORTS_LISTED)
    problem, listed = None, []
    try:
        listed = await list_reports(
            console.backends.agent_outputs, brand=brand, status=status, limit=wanted
        )
    except Exception as exc:
        log.warning("history of %s: the agent-outputs server did not answer: %s", brand, exc)
        problem = "The runs cannot be read now: the reports server does not answer. Try again."
    zones = {brand: ZoneInfo(console.brands[brand].time_zone)}
    entries = [
        PageEntry(
            item.report,
            local_time(item, zones, IN_WORDS),
            media_path(brand, item.report.media_key) if item.report.media_key else None,
            run_page=run_path(item.report.workflow_id, item.report.run_id),
            insights=item.insights,
        )
        for item in listed[(page - 1) * RUNS_PER_PAGE : page * RUNS_PER_PAGE]
    ]
    more = len(listed) > page * RUNS_PER_PAGE
    capped = not more and len(listed) == MOST_REPORTS_LISTED
    return await render(
        request,
        "history.html",
        status_code=503 if problem else 200,
        brand=brand,
        entries=entries,
        links=ReportLinks.from_environment(),
        status=status,
        statuses=STATUSES,
        problem=problem,
        newer=_address(brand, status, page - 1) if page > 1 else None,
        older=_address(brand, status, page + 1) if more else None,
        capped=MOST_REPORTS_LISTED if capped else None,
    )


async def posted_image(request: Request) -> Response:
    """The prepared image a run posted, read with the console's read token."""
    brand, media_key = request.path_params["brand"], request.path_params["media_key"]
    await require(request, brand, "see")
    console = state(request)
    assert console.backends is not None, "the console's backends are opened by its lifespan"
    try:
        image = await prepared_image(console.backends.feed_publisher, brand, media_key)
    except Exception as exc:
        log.warning("image of %s: the feed-publisher server did not answer: %s", brand, exc)
        return PlainTextResponse("The image cannot be read now.", 503)
    if image is None:
        raise HTTPException(404)
    return Response(image, media_type="image/jpeg", headers={"cache-control": IMAGE_CACHE})


routes: list[BaseRoute] = [
    Route("/brands/{brand}/history", history, name="history"),
    Route("/brands/{brand}/media/{media_key:path}", posted_image, name="posted_image"),
]
