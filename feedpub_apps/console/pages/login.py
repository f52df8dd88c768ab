"""Logging in and out."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ..auth import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    SESSION_LIFETIME,
    Attempt,
    LoginRefused,
    check_login,
    new_token,
    session_id,
)
from ..web import flash, form_with_csrf, person, render, set_cookie, state, store

__all__ = ["routes"]


def _next(value: object) -> str:
    """Where to go after logging in: a path of this console, never another site."""
    if isinstance(value, str) and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value
    return "/"


async def login_page(request: Request) -> Response:
    if await person(request) is not None:
        return RedirectResponse(_next(request.query_params.get("next")), status_code=303)
    return await render(request, "login.html", next=_next(request.query_params.get("next")))


async def log_in(request: Request) -> Response:
    form = await form_with_csrf(request)
    email = str(form.get("email") or "").strip().lower()
    attempt = Attempt(email, str(form.get("password") or ""), _client_address(request))
    go_to = _next(form.get("next"))
    try:
        await check_login(store(request), attempt)
    except LoginRefused as refused:
        return await render(
            request, "login.html", status_code=refused.status, next=go_to, email=email,
            refusal=str(refused),
        )  # fmt: skip
    if request.state.session_id:  # a login over an old session replaces it
        await store(request).close_session(request.state.session_id)
    token = new_token()
    lifetime = int(SESSION_LIFETIME.total_seconds())
    await store(request).open_session(session_id(token), email, SESSION_LIFETIME)
    response = RedirectResponse(go_to, status_code=303)
    set_cookie(request, response, SESSION_COOKIE, state(request).keys.cookie(token), lifetime)
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


async def log_out(request: Request) -> Response:
    await form_with_csrf(request)
    if request.state.session_id:
        await store(request).close_session(request.state.session_id)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    flash(request, response, "You have logged out.")
    return response


def _client_address(request: Request) -> str:
    """The client's address as uvicorn found it (behind a proxy, from its headers when
    ``FORWARDED_ALLOW_IPS`` trusts that proxy)."""
    return request.client.host if request.client else "unknown"


routes = [
    Route("/login", login_page, methods=["GET"], name="login"),
    Route("/login", log_in, methods=["POST"]),
    Route("/logout", log_out, methods=["POST"], name="logout"),
]
