"""Waiting for approval: the runs of a person's brands that wait for a decision, and one run's
page (its image as it will be posted, captions, alt text, deadline) where it is approved,
edited, rejected or given another photo.

Every decision is the workflow's own update, with who took it; its validators have the last
word, and what they refuse is shown beside the field, the form keeping what was typed. A
decision taken is also kept in ``console.decisions``. A GET decides nothing: chat previews and
mail scanners open links.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from temporalio.service import RPCError

from ..approval_access import (
    Access,
    backends,
    image_path,
    link_csrf,
    link_form,
    page_path,
    run_and_access,
    zone_of,
)
from ..approval_form import decision_from
from ..approval_view import local_time, run_view
from ..decisions import DECIDED, Decision, DecisionRefused, send_decision
from ..waiting import RunState, read_run, waiting_runs
from ..web import flash, login_path, render, require, state, store

__all__ = ["routes"]

log = logging.getLogger("feedpub.console.approvals")
DONE = {
    "approve": "Approved.",
    "edit": "Your captions are saved and approved.",
    "reject": "Rejected: nothing is published.",
    "another_photo": "Another photo is planned: decide on it below.",
}


def _entry(request: Request, run: RunState) -> tuple[RunState, str, str | None, str | None]:
    """A waiting run as the list shows it: its image, its deadline and slot in its zone."""
    zone, progress = zone_of(request, run.brand), run.progress
    assert progress is not None  # waiting runs answered
    deadline = local_time(progress.awaiting_approval_until, zone)
    return run, image_path(run), deadline, local_time(progress.slot, zone)


async def waiting_list(request: Request) -> Response:
    who = await require(request, None, "see")
    mine = [name for name in who.roles if name in state(request).brands]
    problem = None
    try:
        runs, unread = await waiting_runs(backends(request).temporal, mine)
    except RPCError as exc:
        log.warning("listing the waiting runs: %s", exc)
        runs, unread, problem = [], [], "Temporal does not answer just now: reload in a moment."
    entries = [_entry(request, run) for run in runs]
    return await render(request, "approvals.html", entries=entries, unread=unread, problem=problem)


async def approval_page(request: Request) -> Response:
    found = await run_and_access(request, request.query_params.get("link") or None)
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
        run=run, access=access, view=run_view(run, zone_of(request, run.brand), datetime.now(UTC)),
        captions=captions, shown=shown, refused=refused,
        image=image_path(run, access.link) if run.progress and run.progress.media_key else None,
        form_csrf=link_csrf(request, access.link) if access.link else None,
        login_to_edit=login_path(page_path(run)),
    )  # fmt: skip


async def decide(request: Request) -> Response:
    form, token = await link_form(request)
    found = await run_and_access(request, token)
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
        await send_decision(backends(request).temporal, run.workflow_id, run.run_id, decision)
    except DecisionRefused as refused:
        again = await read_run(backends(request).temporal, run.workflow_id, run.run_id) or run
        return await _page(request, again, access, typed=typed, refused=refused, status_code=409)
    try:
        await _record(request, run, access, decision)
    except Exception as exc:
        log.warning("decision on %s not kept in console.decisions: %s", run.workflow_id, exc)
    response = RedirectResponse(page_path(run, token), status_code=303)
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


routes: list[BaseRoute] = [
    Route("/approvals", waiting_list, methods=["GET"], name="approvals"),
    Route("/approvals/{workflow_id}/{run_id}", approval_page, methods=["GET"], name="approval"),
    Route("/approvals/{workflow_id}/{run_id}", decide, methods=["POST"]),
]
