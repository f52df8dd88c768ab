"""The console as an ASGI app: its pages, its stylesheet, the security headers on every answer.

Nothing is fetched from elsewhere: the stylesheet is served from the package under ``/static/``
and the Content-Security-Policy lets a page load nothing but its own images and styles (no
script, no inline style, no frame, no form sent elsewhere).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from feedpub.brands import load_brands
from feedpub.contract import console as paths

from .auth import Keys
from .backends import Backends, connect_backends
from .pages import page_routes
from .settings import ConsoleSettings
from .store import open_store
from .web import ConsoleState, LoginNeeded, login_path, render, state

__all__ = ["CONTENT_SECURITY_POLICY", "create_app"]

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src 'self'; style-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    # Approval links carry their token in the address: no page passes it on.
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
_TITLES = {403: "Not allowed", 404: "Not found", 405: "Not allowed"}


class SecurityHeaders:
    """Adds the headers above to every answer; pages (all but ``/static``) are never cached,
    as they show a person's data and their CSRF token. Over TLS, browsers are told to keep
    to it (HSTS)."""

    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.headers = dict(_HEADERS)
        if https:
            self.headers["strict-transport-security"] = "max-age=31536000"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cached = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k.encode(), v.encode()) for k, v in self.headers.items()]
                own = message.get("headers", [])
                # A page is never stored; an answer that says how it may be kept (an image
                # that never changes) keeps its own rule.
                if not cached and not any(k.lower() == b"cache-control" for k, _ in own):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = [*own, *headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def templates() -> Jinja2Templates:
    environment = Environment(
        loader=PackageLoader("feedpub_apps.console", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    environment.globals.update(
        brand_path=paths.brand_path,
        history_path=paths.history_path,
        people_path=paths.people_path,
        run_path=paths.run_path,
        approval_path=paths.approval_path,
    )
    environment.filters["duration_words"] = duration_words
    return Jinja2Templates(env=environment)


def duration_words(seconds: int) -> str:
    """A brand's setting in words: 64800 is "18 hours", 5400 "90 minutes"."""
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour" + ("s" if hours != 1 else "")
    minutes = round(seconds / 60)
    return f"{minutes} minute" + ("s" if minutes != 1 else "")


async def healthz(request: Request) -> Response:
    """200 when the console's database answers its role (the compose healthcheck)."""
    found = state(request).store
    try:
        ok = found is not None and await found.answers()
    except Exception:
        ok = False
    return PlainTextResponse("ok" if ok else "database unreachable", 200 if ok else 503)


async def refused(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else None
    title = _TITLES.get(status, "Something went wrong")
    if status == 404:
        detail = "There is no such page, or it is not yours to see."
    elif status == 403 and detail in (None, "", "Forbidden"):
        detail = "Your role does not allow this. An admin of the brand can change it."
    return await render(request, "error.html", status_code=status, title=title, detail=detail)


async def to_login(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginNeeded)
    return RedirectResponse(login_path(exc.next_path), status_code=303)


def create_app(settings: ConsoleSettings, backends: Backends | None = None) -> Starlette:
    """The console for ``settings``. Without ``backends`` it connects its own while it runs
    (and closes them); given ones are the caller's to close."""
    console = ConsoleState(
        settings=settings,
        brands=load_brands(settings.brands_file),
        templates=templates(),
        keys=Keys(settings.console_secret_key.get_secret_value()),
    )

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        console.store = await open_store(settings.console_database_url.get_secret_value())
        own = backends is None
        try:
            console.backends = await connect_backends(settings) if own else backends
            yield
        finally:
            if own and console.backends is not None:
                await console.backends.close()
            await console.store.pool.close()

    static = StaticFiles(packages=[("feedpub_apps.console", "static")])
    routes: list[Any] = [
        Route("/healthz", healthz),
        Mount("/static", static, name="static"),
        *page_routes(),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(SecurityHeaders, https=settings.https)],
        exception_handlers={HTTPException: refused, LoginNeeded: to_login},
        lifespan=lifespan,
    )
    app.state.console = console
    return app
