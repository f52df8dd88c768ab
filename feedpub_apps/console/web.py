"""What every page of the console uses: who is asking, what they may do, rendering, CSRF.

A page handler starts with ``await require(request, brand, action)``: it redirects to the
login page when nobody is logged in, answers 404 for a brand the person may not see (so a
brand's existence is not told) and 403 for an action their role does not allow. Roles are read
from the database at every request. Every POST reads its form through ``form_with_csrf``, and
every form carries ``<input type="hidden" name="csrf" value="{{ csrf }}">``.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.templating import Jinja2Templates

from .auth import CSRF_LIFETIME_SECONDS, LOGIN_COOKIE, SESSION_COOKIE, Keys, session_id
from .settings import ConsoleSettings
from .store import ROLES, ConsoleStore, Role

if TYPE_CHECKING:
    from feedpub.brands import Brand

    from .backends import Backends

__all__ = [
    "ACTIONS",
    "ConsoleState",
    "LoginNeeded",
    "Person",
    "flash",
    "form_with_csrf",
    "login_path",
    "person",
    "render",
    "require",
    "set_cookie",
    "state",
    "store",
]

ACTIONS: dict[str, Role] = {
    "see": "viewer",
    "decide": "approver",
    "edit": "approver",
    "post_now": "approver",
    "pause": "admin",
    "users": "admin",
}
"""Each action and the least role that may take it."""
FLASH_COOKIE = "feedpub_flash"
NAV = (("Overview", "/"), ("Waiting for approval", "/approvals"))
"""The navigation, each entry shown once its page is served."""


@dataclass(frozen=True)
class Person:
    """A logged-in person and their role per brand, as the database has them now."""

    email: str
    roles: Mapping[str, Role]

    def role_for(self, brand: str) -> Role | None:
        return self.roles.get(brand)

    def can(self, brand: str, action: str) -> bool:
        role = self.roles.get(brand)
        return role is not None and ROLES.index(role) >= ROLES.index(ACTIONS[action])


@dataclass
class ConsoleState:
    """What the console's pages share, at ``request.app.state.console``."""

    settings: ConsoleSettings
    brands: dict[str, Brand]
    templates: Jinja2Templates
    keys: Keys
    store: ConsoleStore | None = None
    """Open while the app runs (its lifespan)."""
    backends: Backends | None = None
    """Temporal and the MCP servers; open while the app runs."""
    extra: dict[str, Any] = field(default_factory=dict)


class LoginNeeded(Exception):
    """Nobody is logged in: the login page, then back to ``next_path``."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def state(request: Request) -> ConsoleState:
    found: ConsoleState = request.app.state.console
    return found


def store(request: Request) -> ConsoleStore:
    found = state(request).store
    if found is None:
        raise RuntimeError("the console's store is opened by the app's lifespan")
    return found


async def person(request: Request) -> Person | None:
    """The logged-in person, or None; asked of the database once per request."""
    if hasattr(request.state, "person"):
        found: Person | None = request.state.person
        return found
    request.state.person = request.state.session_id = None
    token = state(request).keys.token_of(request.cookies.get(SESSION_COOKIE))
    if token is not None:
        live = await store(request).session_person(session_id(token))
        if live is not None:
            request.state.person = Person(live.email, live.roles)
            request.state.session_id = session_id(token)
    return request.state.person


async def require(request: Request, brand: str | None, action: str) -> Person:
    """The person, when they may take ``action`` for ``brand`` (for any of theirs when None)."""
    found = await person(request)
    if found is None:
        raise LoginNeeded(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    if brand is None:
        if action != "see" and not any(found.can(b, action) for b in found.roles):
            raise HTTPException(403)
        return found
    if found.role_for(brand) is None or brand not in state(request).brands:
        raise HTTPException(404)
    if not found.can(brand, action):
        raise HTTPException(403)
    return found


def _login_binding(request: Request) -> str:
    """Before a login, forms are bound to a random value in a cookie of their own."""
    nonce = request.cookies.get(LOGIN_COOKIE) or getattr(request.state, "new_login_nonce", None)
    if not nonce:
        nonce = request.state.new_login_nonce = secrets.token_urlsafe(24)
    return "login:" + hashlib.sha256(nonce.encode()).hexdigest()


def _csrf(request: Request) -> str:
    binding = request.state.session_id or _login_binding(request)
    return state(request).keys.csrf(binding)


async def form_with_csrf(request: Request) -> FormData:
    """The POSTed form, when it carries this session's CSRF token; else 403 (nothing done)."""
    form = await request.form()
    found = await person(request)
    binding = request.state.session_id if found else None
    if found is None and request.cookies.get(LOGIN_COOKIE):
        binding = _login_binding(request)
    token = form.get("csrf")
    if not state(request).keys.csrf_holds(token if isinstance(token, str) else None, binding):
        raise HTTPException(403, "This form has expired or did not come from this console.")
    return form


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    """A cookie no script may read, sent on top-level navigation only, Secure over TLS."""
    secure = state(request).settings.https or request.url.scheme == "https"
    response.set_cookie(
        name, value, max_age=max_age, path="/", httponly=True, samesite="lax", secure=secure
    )


def flash(request: Request, response: Response, text: str) -> None:
    """Show ``text`` once on the next page (after a POST's redirect)."""
    set_cookie(request, response, FLASH_COOKIE, state(request).keys.flash(text), 60)


async def render(
    request: Request, template: str, status_code: int = 200, **context: Any
) -> Response:
    """``template`` with the person, their CSRF token, the navigation and ``context``."""
    found = await person(request)
    served = {getattr(route, "path", None) for route in request.app.routes}
    values = {
        "person": found,
        "csrf": _csrf(request),
        "nav": [(label, path) for label, path in NAV if path in served] if found else [],
        "path": request.url.path,
        "flash": state(request).keys.flash_text(request.cookies.get(FLASH_COOKIE)),
        **context,
    }
    response: HTMLResponse = state(request).templates.TemplateResponse(
        request, template, values, status_code=status_code
    )
    if FLASH_COOKIE in request.cookies:
        response.delete_cookie(FLASH_COOKIE, path="/")
    nonce = getattr(request.state, "new_login_nonce", None)
    if nonce:
        set_cookie(request, response, LOGIN_COOKIE, nonce, CSRF_LIFETIME_SECONDS)
    return response


def login_path(next_path: str) -> str:
    return "/login?next=" + quote(next_path, safe="/")
