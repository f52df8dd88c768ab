"""Logging in to the console in a real browser: the session cookie and the page's policy, a wrong
password told plainly, and a guesser refused by every replica once it failed too often."""

from __future__ import annotations

import asyncio
import io
import re
import sys
import uuid

import httpx
import pytest
from playwright.async_api import Page

from devstack.stack import EmbeddedStack
from feedpub_apps.cli import build_parser
from feedpub_apps.console.app import CONTENT_SECURITY_POLICY
from feedpub_apps.console.auth import FAILURES_PER_EMAIL

from .console import Console, browser_errors, login, serve_console


def _email(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}@example.com"


async def test_a_person_logs_in_with_a_session_cookie_no_script_can_read(
    page: Page, console: Console
) -> None:
    email = _email("ana")
    password = await console.add_person(email, {"pomandi": "viewer"})

    shown = await login(page, email, password)

    assert page.url == f"{console.url}/"
    assert await page.locator("h1").inner_text() == "Your brands"
    (session,) = [c for c in await page.context.cookies() if c["name"] == "feedpub_session"]
    assert session["httpOnly"] and session["sameSite"] == "Lax"
    assert not session["secure"]  # served over http here; Secure over https (below)
    assert password not in session["value"]
    assert shown is not None
    assert shown.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert shown.headers["x-frame-options"] == "DENY"
    assert browser_errors(page) == []


async def test_a_person_added_with_feedpub_users_logs_in_with_their_password(
    page: Page,
    stack: EmbeddedStack,
    console: Console,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    email, password = _email("Ida"), "correct horse battery staple"
    url = console.settings.console_database_url.get_secret_value()
    monkeypatch.setenv("CONSOLE_DATABASE_URL", url)
    monkeypatch.setenv("BRANDS_FILE", str(stack.options.brands_file))
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{password}\n"))
    args = build_parser().parse_args(
        ["users", "add", email, "--brand", "costume", "--role", "approver", "--password-stdin"]
    )
    # The command's own event loop, in a thread, as in a process of its own.
    assert await asyncio.to_thread(args.handler, args) == 0
    assert capsys.readouterr().out == f"added {email.lower()}: costume=approver\n"

    await login(page, email, password)

    assert await page.locator(".brands .name").all_inner_texts() == ["costume"]


async def test_a_wrong_password_is_refused_with_a_clear_message(
    page: Page, console: Console
) -> None:
    email = _email("ben")
    await console.add_person(email, {"pomandi": "approver"})

    await login(page, email, "not-the-password")

    assert page.url.startswith(f"{console.url}/login")
    assert await page.locator("[role=alert]").inner_text() == "Wrong e-mail address or password."
    assert [c for c in await page.context.cookies() if c["name"] == "feedpub_session"] == []


async def _attempt(
    client: httpx.AsyncClient, email: str, password: str, *, address: str | None = None
) -> httpx.Response:
    """A login as a fresh browser makes it: the form (its CSRF token and cookie), the POST;
    ``address``: the client's, as a trusted proxy would forward it."""
    client.cookies.clear()
    forwarded = {"x-forwarded-for": address} if address else {}
    form = await client.get("/login", headers=forwarded)
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    # Sent back by hand: httpx keeps a Secure cookie for https only.
    nonce = re.search(r"feedpub_login=([^;]+)", form.headers.get("set-cookie", ""))
    assert token and nonce, form.headers
    return await client.post(
        "/login",
        data={"csrf": token[1], "email": email, "password": password, "next": "/"},
        headers={"cookie": f"feedpub_login={nonce[1]}", **forwarded},
    )


async def test_guesses_sent_all_at_once_are_checked_no_more_often_than_the_limit(
    console: Console,
) -> None:
    email = _email("dara")
    await console.add_person(email, {"costume": "viewer"})
    guesses = 3 * FAILURES_PER_EMAIL
    clients = [httpx.AsyncClient(base_url=console.url) for _ in range(guesses)]
    try:
        # From an address of their own: the other tests' failures count against 127.0.0.1.
        answers = await asyncio.gather(
            *(
                _attempt(client, email, f"guess-{n}", address="203.0.113.7")
                for n, client in enumerate(clients)
            )
        )
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))
    statuses = sorted(answer.status_code for answer in answers)
    # Each guess is counted before its password is checked: past the limit, refused unchecked.
    assert statuses.count(401) <= FAILURES_PER_EMAIL, statuses
    assert statuses.count(429) == guesses - statuses.count(401), statuses


async def test_failed_logins_are_counted_in_the_database_so_every_replica_refuses_the_guesser(
    stack: EmbeddedStack, console: Console
) -> None:
    email = _email("cleo")
    password = await console.add_person(email, {"costume": "admin"})
    other = serve_console(stack, CONSOLE_PUBLIC_URL="https://console.feedpub.test")
    try:
        async with (
            httpx.AsyncClient(base_url=console.url) as first,
            httpx.AsyncClient(base_url=other.url) as second,
        ):
            # Behind TLS every cookie is Secure; the right password lets in on either replica.
            allowed = await _attempt(second, email, password)
            assert allowed.status_code == 303, allowed.text
            assert "Secure" in allowed.headers["set-cookie"]
            assert "HttpOnly" in allowed.headers["set-cookie"]

            for attempt in range(FAILURES_PER_EMAIL):
                replica = first if attempt % 2 else second
                refused = await _attempt(replica, email, f"guess-{attempt}")
                assert refused.status_code == 401, refused.text

            for replica in (first, second):
                locked = await _attempt(replica, email, password)
                assert locked.status_code == 429, locked.text
                assert "Too many failed logins" in locked.text
                assert "feedpub_session" not in locked.headers.get("set-cookie", "")
    finally:
        other.stop()
