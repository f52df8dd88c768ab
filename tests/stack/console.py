"""The console against the session's stack, and a real browser to use it.

Fixtures (import them into a test module, or use them from tests/stack/conftest.py):
- ``console``: one console for the session, served on a free port against the ``stack``, with
  the console's own database role (``stack.console_database_url``) and the read token;
- ``browser``: Debian's chromium driven by Playwright, one for the session;
- ``page``: a fresh browser context (no cookies) and page per test, opening paths relative to
  the console (``await page.goto("/login")``); what it logged as errors (scripts, resources,
  CSP refusals) is in ``browser_errors(page)``.

Helpers: ``password = await console.add_person(email, {brand: role})``,
``await login(page, email, password)`` and ``await fits_and_is_shot(page, console, name)``.
"""

from __future__ import annotations

import secrets
import weakref
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from playwright.async_api import Browser, Page, Response, ViewportSize, async_playwright

from devstack.serve import ServedApp, serve_in_thread
from devstack.stack import EmbeddedStack
from feedpub_apps.console.app import create_app
from feedpub_apps.console.settings import ConsoleSettings
from feedpub_apps.console.store import ConsoleStore, Role, open_store

from .chromium import chromium

__all__ = [
    "LAPTOP",
    "PHONE",
    "Console",
    "browser",
    "browser_errors",
    "console",
    "fits_and_is_shot",
    "login",
    "page",
    "serve_console",
]

# The console checks a password with the cost its hash was made with: people added here cost
# milliseconds to log in, where `feedpub users add` uses argon2-cffi's default (about 0.5 s of
# CPU on a busy test machine).
_QUICK_HASHES = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
_ERRORS: weakref.WeakKeyDictionary[Page, list[str]] = weakref.WeakKeyDictionary()
PHONE: ViewportSize = {"width": 390, "height": 844}
LAPTOP: ViewportSize = {"width": 1280, "height": 800}


@dataclass
class Console:
    url: str
    settings: ConsoleSettings
    store: ConsoleStore
    """The console's schema, through the console's role (as ``feedpub users`` reaches it)."""
    screenshots: Path

    async def add_person(self, email: str, roles: dict[str, Role]) -> str:
        """A new person with ``roles`` per brand; return their (random) password."""
        password = secrets.token_urlsafe(12)
        assert await self.store.add_user(email.lower(), _QUICK_HASHES.hash(password), roles), email
        return password


def serve_console(stack: EmbeddedStack, **overrides: str) -> ServedApp:
    """A console (another replica, say) against ``stack``; the caller stops it."""
    return serve_in_thread(create_app(stack.console_settings(**overrides)))


@pytest.fixture(scope="session")
def _served_console(stack: EmbeddedStack) -> Iterator[ServedApp]:
    served = serve_console(stack)
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture(scope="session")
async def console(stack: EmbeddedStack, _served_console: ServedApp) -> AsyncIterator[Console]:
    settings = stack.console_settings()
    store = await open_store(settings.console_database_url.get_secret_value(), max_size=2)
    screenshots = stack.workdir / "console-screenshots"
    screenshots.mkdir(exist_ok=True)
    try:
        yield Console(_served_console.url, settings, store, screenshots)
    finally:
        await store.pool.close()


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    """Debian's chromium, which Playwright's own build may not match: a launch that fails
    fails here, saying so (never a skip)."""
    executable = chromium()
    async with async_playwright() as playwright:
        try:
            launched = await playwright.chromium.launch(executable_path=executable)
        except Exception as exc:
            pytest.fail(f"Playwright could not launch {executable}: {exc}")
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def page(browser: Browser, console: Console) -> AsyncIterator[Page]:
    context = await browser.new_context(base_url=console.url, viewport=LAPTOP)
    opened = await context.new_page()
    errors: list[str] = []
    _ERRORS[opened] = errors
    opened.on("console", lambda message: _on_console(errors, message))
    opened.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    try:
        yield opened
    finally:
        await context.close()


def _on_console(errors: list[str], message: Any) -> None:
    if message.type == "error":
        errors.append(f"console: {message.text}")


def browser_errors(opened: Page) -> list[str]:
    """What ``opened`` logged as errors so far: script errors, failed resources, CSP refusals."""
    return list(_ERRORS.get(opened, []))


async def login(opened: Page, email: str, password: str) -> Response | None:
    """Log in through the login form, as a person does; the page ends where the form led, whose
    answer is returned."""
    await opened.goto("/login")
    await opened.fill("input[name=email]", email)
    await opened.fill("input[name=password]", password)
    async with opened.expect_navigation() as landed:
        await opened.click("button[type=submit]")
    return await landed.value


async def fits_and_is_shot(opened: Page, console: Console, name: str) -> None:
    """Screenshots of the page at a laptop's and a phone's width (``<name>-1280.png``,
    ``<name>-390.png`` in ``console.screenshots``); nothing is wider than the phone, and the
    page's stylesheets are in its head. The page is left at the laptop's width."""
    for label, size in (("1280", LAPTOP), ("390", PHONE)):
        await opened.set_viewport_size(size)
        await opened.screenshot(path=console.screenshots / f"{name}-{label}.png", full_page=True)
    width = await opened.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} is {width} px wide on a {PHONE['width']} px screen"
    in_body = await opened.locator("body link").count()
    assert in_body == 0, f"{name} has {in_body} <link> in its body, not in its head"
    await opened.set_viewport_size(LAPTOP)
