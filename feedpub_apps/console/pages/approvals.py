"""Waiting for approval: the runs of a person's brands that wait for a decision, and one run's
page (its image as it will be posted, captions, alt text, deadline) where it is approved,
edited, rejected or given another photo.

Every decision is the workflow's own update, with who took it; its validators have the last
word, and what they refuse is shown beside the field, the form keeping what was typed. A
decision taken is also kept in ``console.decisions``. A GET decides nothing: chat previews and
mail scanners open links.
"""

from __future__ import annotations

import base64
import logging
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from temporalio.service import RPCError

from feedpub.contract import tools
from feedpub.contract.console import approval_path

from ..approval_access import Access, LinkRefused, access_to, check_link, link_csrf, link_form
from ..approval_form import decision_from
from ..approval_view import local_time, run_view
from ..decisions import DECIDED, Decision, DecisionRefused, send_decision
from ..waiting import RunState, read_run, waiting_runs
from ..web import flash, login_path, render, require, state, store

__all__ = ["image_path", "routes"]

log = logging.getLogger("feedpub.console.approvals")
DONE = {
    "approve": "Approved.",
    "edit": "Your captions are saved and approved.",
    "reject": "Rejected: nothing is published.",
    "another_photo": "Another photo is planned: decide on it below.",
}


def image_path(run: RunState, link: str | None = None) -> str:
    path = approval_path(run.workflow_id, run.run_id) + "/image"
    revision = run.progress.revision if run.progress else 0
    return path + f"?revision={revision}" + (f"&link={quote(link)}" if link else "")


def _temporal(request: Request) -> Any:
    backends = state(request).backends
    assert backends is not None, "the console's backends are opened by its lifespan"
    return backends


def _zone(request: Request, brand: str) -> str:
    found = state(request).brands.get(brand)
    return found.time_zone if found else "UTC"


async def waiting_list(request: Request) -> Response:
    who = await require(request, None, "see")
    mine = [name for name in who.roles if name in state(request).brands]
    problem = None
    try:
        runs, unread = await waiting_runs(_temporal(request).temporal, mine)
    except RPCError as exc:
        log.warning("listing the waiting runs: %s", exc)
        runs, unread, problem = [], [], "Temporal does not answer just now: reload in a moment."
    entries = [
        (
            run,
            image_path(run),
            local_time(run.progress.awaiting_approval_until, _zone(request, run.brand)),
        )
        for run in runs
        if run.progress is not None
    ]
    return await render(request, "approvals.html", entries=entries, unread=unread, problem=problem)


async def _run_and_access(
    request: Request, token: str | None
) -> tuple[RunState, Access] | Response:
    """The run of the path and how the request reaches it; a refused link's page."""
    workflow_id, run_id = request.path_params["workflow_id"], request.path_params["run_id"]
    if token is not None:
        try:
            check_link(request, token, workflow_id, run_id)
        except LinkRefused as refused:
            return await render(
                request, "link_refused.html", status_code=403, reason=refused.reason,
                login=login_path(approval_path(workflow_id, run_id)),
            )  # fmt: skip
    else:
        await require(request, None, "see")  # to the login page first
    try:
        run = await read_run(_temporal(request).temporal, workflow_id, run_id)
    except RPCError as exc:
        log.warning("reading run %s: %s", workflow_id, exc)
        raise HTTPException(503, "Temporal does not answer just now: reload in a moment.") from None
    if run is None:
        raise HTTPException(404)
    return run, await access_to(request, run.brand, token)


async def approval_page(request: Request) -> Response:
    found = await _run_and_access(request, request.query_params.get("link") or None)
    if isinstance(found, Response):
        return found
    run, access = found
    return await _page(request, run, access)


async def _page(
    request: Request,
    run: RunState,
    access: Access,
    *,
    typed: dict[str, str] | None = None,
    refused: DecisionRefused | None = None,
    status_code: int = 200,
) -> Response:
    captions = run.progress.captions if run.progress else None
    shown = {
        "facebook": captions.facebook if captions else "",
        "instagram": captions.instagram if captions else "",
        "reason": "",
        **(typed or {}),
    }
    return await render(
        request, "approval.html", status_code=status_code,
        run=run, access=access, view=run_view(run, _zone(request, run.brand), datetime.now(UTC)),
        captions=captions, shown=shown, refused=refused,
        image=image_path(run, access.link) if run.progress and run.progress.media_key else None,
        form_csrf=link_csrf(request, access.link) if access.link else None,
        login_to_edit=login_path(approval_path(run.workflow_id, run.run_id)),
    )  # fmt: skip


async def decide(request: Request) -> Response:
    form, token = await link_form(request)
    found = await _run_and_access(request, token)
    if isinstance(found, Response):
        return found
    run, access = found
    kind, decision, typed, problem = decision_from(form, run, access)
    if not access.may(kind):
        raise HTTPException(403, _not_allowed(access))
    if problem is not None:
        return await _page(request, run, access, typed=typed, refused=problem, status_code=400)
    assert decision is not None
    try:
        await send_decision(_temporal(request).temporal, run.workflow_id, run.run_id, decision)
    except DecisionRefused as refused:
        again = await read_run(_temporal(request).temporal, run.workflow_id, run.run_id) or run
        return await _page(request, again, access, typed=typed, refused=refused, status_code=409)
    await _record(request, run, access, decision)
    back = approval_path(run.workflow_id, run.run_id) + (f"?link={quote(token)}" if token else "")
    response = RedirectResponse(back, status_code=303)
    flash(request, response, DONE[decision.kind])
    return response


def _not_allowed(access: Access) -> str:
    if access.link is not None:
        return "An approval link lets you approve or reject. To edit the captions, log in."
    return "Your role does not allow this. An admin of the brand can change it."


async def _record(request: Request, run: RunState, access: Access, decision: Decision) -> None:
    detail = decision.reason
    if decision.kind == "edit":
        changed = [name for name in ("facebook", "instagram") if getattr(decision, name)]
        detail = (
            "changed the " + " and ".join(changed) + " caption" + ("s" if len(changed) > 1 else "")
        )
    await store(request).record_decision(
        workflow_id=run.workflow_id, run_id=run.run_id, brand=run.brand,
        decision=DECIDED[decision.kind],
        by_email=access.person.email if access.person else None,
        via="link" if access.link else "login", detail=detail,
    )  # fmt: skip


async def approval_image(request: Request) -> Response:
    """The run's prepared (Instagram-ready) image, to whoever may see its page."""
    found = await _run_and_access(request, request.query_params.get("link") or None)
    if isinstance(found, Response):
        return found
    run, _access = found
    media_key = run.progress.media_key if run.progress else None
    if not media_key:
        raise HTTPException(404)
    try:
        result = await _temporal(request).feed_publisher.call(
            tools.GET_PREPARED_MEDIA, {"brand": run.brand, "media_key": media_key}
        )
    except Exception as exc:
        log.warning("the image of run %s: %s", run.workflow_id, exc)
        raise HTTPException(404) from None
    for item in result.content:
        if item.type == "image":
            return Response(base64.b64decode(item.data), media_type="image/jpeg")
    raise HTTPException(404)


routes: list[BaseRoute] = [
    Route("/approvals", waiting_list, methods=["GET"], name="approvals"),
    Route("/approvals/{workflow_id}/{run_id}", approval_page, methods=["GET"], name="approval"),
    Route("/approvals/{workflow_id}/{run_id}", decide, methods=["POST"]),
    Route("/approvals/{workflow_id}/{run_id}/image", approval_image, methods=["GET"]),
]
