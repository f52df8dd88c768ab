"""A brand's history in the console, in Chromium: a viewer logs in and sees the runs newest
first, each as its card with the image the console serves from the feed-publisher server, a
page at a time, filtered by status; the page fits a phone; images of runs the person may not
see are not served."""

from __future__ import annotations

import asyncio
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import uvicorn
from argon2 import PasswordHasher
from playwright.async_api import Page, async_playwright
from psycopg import sql
from psycopg.conninfo import make_conninfo
from temporalio.client import Client

from devstack.stack import EmbeddedStack
from feedpub.contract.console import history_path
from feedpub_apps.console.app import create_app
from feedpub_apps.console.pages import history
from feedpub_apps.console.pages.history import media_path
from feedpub_apps.console.settings import ConsoleSettings
from feedpub_apps.console.store import open_store

from .chromium import chromium
from .helpers import publish, upload_photo

pytestmark = pytest.mark.usefixtures("worker")


@pytest.fixture(scope="module")
def console(stack: EmbeddedStack) -> Iterator[tuple[str, str]]:
    """The console on a free port against the stack: its address and its database login."""
    password = secrets.token_urlsafe(16)
    # The embedded server trusts its superuser over the socket: the console's role gets a
    # login and its grants, as a deployment gives them.
    superuser = make_conninfo(stack.database_url, user="postgres", password="")
    with psycopg.connect(superuser, autocommit=True) as admin:
        login = sql.SQL("{} ROLE feedpub_console LOGIN PASSWORD {}")
        exists = admin.execute("SELECT FROM pg_roles WHERE rolname = 'feedpub_console'").fetchone()
        admin.execute(login.format(sql.SQL("ALTER" if exists else "CREATE"), sql.Literal(password)))
        admin.execute(
            "GRANT USAGE ON SCHEMA console TO feedpub_console;"
            " GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA console"
            " TO feedpub_console;"
            " GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA console TO feedpub_console"
        )
    database = make_conninfo(stack.database_url, user="feedpub_console", password=password)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = ConsoleSettings.model_validate(
        {
            "CONSOLE_DATABASE_URL": database,
            "CONSOLE_SECRET_KEY": secrets.token_urlsafe(32),
            "CONSOLE_LINK_SECRET": secrets.token_urlsafe(32),
            "TEMPORAL_ADDRESS": stack.temporal_address,
            "BRANDS_FILE": str(stack.options.brands_file),
            "FEED_PUBLISHER_MCP_URL": stack.mcp_urls["feed-publisher"],
            "AGENT_OUTPUTS_MCP_URL": stack.mcp_urls["agent-outputs"],
            "MCP_READ_TOKEN": stack.mcp_read_token,
        }
    )
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the console did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", database
    finally:
        server.should_exit = True
        thread.join(10)


async def _viewer(database: str, brand: str) -> tuple[str, str]:
    email, password = f"viewer-{secrets.token_hex(4)}@example.com", secrets.token_urlsafe(12)
    store = await open_store(database)
    try:
        await store.add_user(email, PasswordHasher().hash(password), {brand: "viewer"})
    finally:
        await store.pool.close()
    return email, password


async def _log_in(page: Page, base: str, path: str, email: str, password: str) -> None:
    await page.goto(base + path)
    await page.fill("#email", email)
    await page.fill("#password", password)
    async with page.expect_navigation():
        await page.click("button[type=submit]")
    assert page.url == base + path, "the login goes back to the page asked for"


async def test_a_viewer_sees_the_runs_newest_first_with_their_images_a_page_at_a_time(
    stack: EmbeddedStack,
    client: Client,
    s3: Any,
    console: tuple[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base, database = console
    monkeypatch.setattr(history, "RUNS_PER_PAGE", 1)
    upload_photo(stack, s3, "costume")
    earlier = await asyncio.wait_for(publish(client, stack, "costume"), 120)
    photo = upload_photo(stack, s3, "costume")
    report = await asyncio.wait_for(publish(client, stack, "costume"), 120)
    assert report.status == "published" and report.media_key and report.captions
    email, password = await _viewer(database, "costume")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium())
        try:
            page = await browser.new_page(viewport={"width": 390, "height": 844})
            problems: list[str] = []
            page.on("console", lambda message: problems.append(message.text))
            await _log_in(page, base, history_path("costume"), email, password)

            card = page.locator("article", has_text=report.run_id)
            assert await card.count() == 1
            shown = " ".join((await card.inner_text()).split())
            assert " ".join(report.captions.instagram.split()) in shown
            image = card.locator("img")
            assert await image.get_attribute("src") == media_path("costume", report.media_key)
            assert await image.evaluate("(i) => i.complete && i.naturalWidth") > 0
            assert await page.evaluate("document.documentElement.scrollWidth") <= 390
            await page.screenshot(path=tmp_path / "history-390.png", full_page=True)
            async with page.expect_navigation():
                await page.click("text=older runs")
            assert await page.locator("article", has_text=earlier.run_id).count() == 1
            assert await page.locator("article", has_text=report.run_id).count() == 0
            assert await page.locator("a", has_text="newer runs").count() == 1

            served = await page.request.get(base + media_path("costume", report.media_key))
            assert served.ok and served.headers["content-type"] == "image/jpeg"
            kept = served.headers["cache-control"]
            assert "max-age=31536000" in kept, kept
            assert "no-store" not in kept, "an image keeps its own cache-control (app.py's headers)"
            # Another brand's history and images, and a photo that is not a prepared image.
            for path in (
                history_path("pomandi"),
                media_path("pomandi", report.media_key),
                media_path("costume", photo),
            ):
                assert (await page.request.get(base + path)).status == 404, path

            await page.select_option("#status", "failed")
            async with page.expect_navigation():
                await page.click("form.history-filter button")
            assert page.url.endswith("/history?status=failed")
            assert await page.locator("article", has_text=report.run_id).count() == 0
            assert problems == [], "the browser's console shows no error (CSP included)"
        finally:
            await browser.close()
