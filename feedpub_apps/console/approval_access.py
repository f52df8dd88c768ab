"""Who may do what on one run's approval page: a person logged in with their role for the run's
brand, or whoever holds the run's approval link.

A link (``?link=<token>``, signed with ``CONSOLE_LINK_SECRET``) opens its one run until the
run's deadline, without a password, and allows approve and reject only: editing the captions
or changing the photo needs a login, so a forwarded link cannot publish any text. A logged-in
approver of the brand uses their login even when they came through a link. The forms a link
shows carry the token and a CSRF token bound to the link, as there is no session to bind it to.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from temporalio.service import RPCError

from feedpub.approval_links import LinkRefused, read_approval_link
from feedpub.contract.console import approval_path
from feedpub.contract.run import DecidedBy

from .backends import Backends
from .decisions import Kind
from .waiting import RunState, read_run
from .web import Person, form_with_csrf, login_path, person, render, require, state

__all__ = [
    "LINK_PERSON",
    "Access",
    "backends",
    "image_path",
    "link_csrf",
    "link_form",
    "page_path",
    "run_and_access",
    "zone_of",
]

log = logging.getLogger("feedpub.console.approvals")

LINK_PERSON = "approval link"
"""Who decided, in the run's report, when nobody logged in: the link's holder."""
LINK_KINDS: frozenset[Kind] = frozenset({"approve", "reject"})


@dataclass(frozen=True)
class Access:
    """How a request reaches a run of ``brand``."""

    brand: str
    person: Person | None
    link: str | None = None
    """The approval link's token, when the link is what lets the request decide."""

    def may(self, kind: Kind) -> bool:
        if self.link is not None:
            return kind in LINK_KINDS
        action = "decide" if kind in LINK_KINDS else "edit"
        return self.person is not None and self.person.can(self.brand, action)

    @property
    def may_decide(self) -> bool:
        return self.may("approve")

    @property
    def may_edit(self) -> bool:
        return self.may("edit")

    def decided_by(self) -> DecidedBy:
        if self.link is not None:
            # A logged-in person without the right to decide, come through a link: named.
            return DecidedBy(self.person.email if self.person else LINK_PERSON, "link")
        assert self.person is not None
        return DecidedBy(self.person.email, "login")


def _check_link(request: Request, token: str, workflow_id: str, run_id: str) -> None:
    """Return when ``token`` opens this run now; else ``LinkRefused`` with its reason."""
    secret = state(request).settings.console_link_secret.get_secret_value()
    read_approval_link(secret, token, workflow_id, run_id, datetime.now(UTC))


def _binding(token: str) -> str:
    return "link:" + hashlib.sha256(token.encode()).hexdigest()


def link_csrf(request: Request, token: str) -> str:
    """The CSRF token of forms shown through the link ``token``."""
    return state(request).keys.csrf(_binding(token))


async def link_form(request: Request) -> tuple[FormData, str | None]:
    """The POSTed form and the link token it carries (None: a logged-in person's form). A
    link's form must carry the link's CSRF token, a login's the session's; else 403."""
    form = await request.form()
    token = form.get("link")
    if not isinstance(token, str) or not token:
        return await form_with_csrf(request), None
    csrf = form.get("csrf")
    if not state(request).keys.csrf_holds(csrf if isinstance(csrf, str) else None, _binding(token)):
        raise HTTPException(403, "This form has expired or did not come from this console.")
    return form, token


async def _access_to(request: Request, brand: str, token: str | None) -> Access:
    """How this request reaches a run of ``brand``: 404 when neither a role nor a (checked)
    link lets it see the run, so a brand's runs are not told to others."""
    who = await person(request)
    if who is not None and who.can(brand, "decide") and brand in state(request).brands:
        return Access(brand, who)
    if token is not None:
        return Access(brand, who, token)
    if who is not None and who.role_for(brand) is not None and brand in state(request).brands:
        return Access(brand, who)
    raise HTTPException(404)


async def run_and_access(request: Request, token: str | None) -> tuple[RunState, Access] | Response:
    """The run of the path and how this request reaches it, or the page of a refused link.
    Without a link nor a login, the login page; for a run it may not see, 404."""
    workflow_id, run_id = request.path_params["workflow_id"], request.path_params["run_id"]
    if token is not None:
        try:
            _check_link(request, token, workflow_id, run_id)
        except LinkRefused as refused:
            return await render(
                request, "link_refused.html", status_code=403, reason=refused.reason,
                login=login_path(approval_path(workflow_id, run_id)),
            )  # fmt: skip
    else:
        await require(request, None, "see")
    try:
        run = await read_run(backends(request).temporal, workflow_id, run_id)
    except RPCError as exc:
        log.warning("reading run %s: %s", workflow_id, exc)
        raise HTTPException(503, "Temporal does not answer just now: reload in a moment.") from None
    if run is None:
        raise HTTPException(404)
    return run, await _access_to(request, run.brand, token)


def page_path(run: RunState, link: str | None = None) -> str:
    """The run's approval page, through ``link`` when one is given."""
    return approval_path(run.workflow_id, run.run_id) + (f"?link={quote(link)}" if link else "")


def image_path(run: RunState, link: str | None = None) -> str:
    """The run's image; the revision in the address makes a new plan's image a new address."""
    path = approval_path(run.workflow_id, run.run_id) + "/image"
    revision = run.progress.revision if run.progress else 0
    return path + f"?revision={revision}" + (f"&link={quote(link)}" if link else "")


def backends(request: Request) -> Backends:
    found = state(request).backends
    assert found is not None, "the console's backends are opened by its lifespan"
    return found


def zone_of(request: Request, brand: str) -> str:
    """The brand's time zone (UTC for a brand no longer in the brands file)."""
    found = state(request).brands.get(brand)
    return found.time_zone if found else "UTC"
