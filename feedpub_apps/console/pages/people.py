"""A brand's people, for its admins: give an existing account a role for the brand, change a
person's role, or take the brand away from them.

Accounts and passwords are made with ``feedpub users add`` only; this page changes the same
rows as ``feedpub users role`` (``ConsoleStore.set_role``), and the change takes effect at the
person's next request, as roles are read at every request. It never takes away or lowers the
brand's last admin: nobody could manage the brand afterwards.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from feedpub.contract.console import brand_path, people_path

from ..store import ROLES, LastAdmin, Role
from ..web import flash, form_with_csrf, render, require, store

__all__ = ["routes"]

log = logging.getLogger(__name__)
NO_ROLE = "none"
"""The choice that takes the brand away from a person."""


async def people(request: Request) -> Response:
    brand = request.path_params["brand"]
    await require(request, brand, "users")
    return await _page(request, brand)


async def change_role(request: Request) -> Response:
    brand = request.path_params["brand"]
    who = await require(request, brand, "users")
    form = await form_with_csrf(request)
    email = str(form.get("email") or "").strip().lower()
    chosen = str(form.get("role") or "")
    role: Role | None = next((r for r in ROLES if r == chosen), None)
    asked = {"email": email, "role": chosen}
    if not email or (role is None and chosen != NO_ROLE):
        problem = "Give an e-mail address and a role: viewer, approver, admin or none."
        return await _page(request, brand, 400, problem, asked)
    try:
        known = await store(request).set_role(email, brand, role, keep_an_admin=True)
    except LastAdmin:
        problem = (
            f"{email} is the last admin of {brand}: nobody could manage it afterwards. "
            "Make someone else its admin first."
        )
        return await _page(request, brand, 409, problem, asked)
    if not known:
        problem = (
            f"No account {email}: create it with "
            f"feedpub users add {email} --brand {brand} --role {role or 'viewer'}"
        )
        return await _page(request, brand, 422, problem, asked)
    log.info("%s set the role of %s for %s to %s", who.email, email, brand, chosen)
    if role is None:
        told = f"{email} no longer has a role for {brand}, from their next request."
    else:
        told = f"{email} is now {role} of {brand}, from their next request."
    # An admin who lowered themselves may no longer open this page.
    lowered_self = email == who.email and role != "admin"
    back = (brand_path(brand) if role else "/") if lowered_self else people_path(brand)
    response = RedirectResponse(back, status_code=303)
    flash(request, response, told)
    return response


async def _page(
    request: Request,
    brand: str,
    status: int = 200,
    problem: str | None = None,
    asked: dict[str, Any] | None = None,
) -> Response:
    members = await store(request).members(brand)
    if asked and asked.get("email") in members:
        asked = None  # refused on a person's own line: the form for a new one starts empty
    return await render(
        request,
        "people.html",
        status_code=status,
        brand=brand,
        members=members,
        roles=ROLES,
        no_role=NO_ROLE,
        problem=problem,
        asked=asked or {},
    )


routes: list[BaseRoute] = [
    Route("/brands/{brand}/people", people, methods=["GET"], name="people"),
    Route("/brands/{brand}/people", change_role, methods=["POST"]),
]
