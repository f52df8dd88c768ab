"""A brand's history in the console, in Chromium: a viewer sees the runs newest first, each as
its card with the image the console serves from the feed-publisher server, a page at a time,
filtered by status; the page fits a phone; images of runs the person may not see are not
served."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from playwright.async_api import Page
from temporalio.client import Client

from devstack.stack import EmbeddedStack
from feedpub.contract.console import history_path
from feedpub_apps.console.pages import history
from feedpub_apps.console.pages.history import media_path

from .console import Console, browser_errors, login
from .helpers import publish, upload_photo

pytestmark = pytest.mark.usefixtures("worker")


async def test_a_viewer_sees_the_runs_newest_first_with_their_images_a_page_at_a_time(
    stack: EmbeddedStack,
    client: Client,
    s3: Any,
    console: Console,
    page: Page,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The console serves in a thread of this process: one run a page shows the pages' links.
    monkeypatch.setattr(history, "RUNS_PER_PAGE", 1)
    upload_photo(stack, s3, "costume")
    earlier = await asyncio.wait_for(publish(client, stack, "costume"), 120)
    photo = upload_photo(stack, s3, "costume")
    report = await asyncio.wait_for(publish(client, stack, "costume"), 120)
    assert report.status == "published" and report.media_key and report.captions
    email = f"vera-{uuid.uuid4().hex[:8]}@example.com"
    await login(page, email, await console.add_person(email, {"costume": "viewer"}))

    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(history_path("costume"))
    card = page.locator("article", has_text=report.run_id)
    assert await card.count() == 1
    shown = " ".join((await card.inner_text()).split())
    assert " ".join(report.captions.instagram.split()) in shown
    image = card.locator("img")
    assert await image.get_attribute("src") == media_path("costume", report.media_key)
    assert await image.evaluate("(i) => i.complete && i.naturalWidth") > 0
    assert await page.evaluate("document.scrollingElement.scrollWidth") <= 390

    async with page.expect_navigation():
        await page.click("text=older runs")
    assert await page.locator("article", has_text=earlier.run_id).count() == 1
    assert await page.locator("article", has_text=report.run_id).count() == 0
    assert await page.locator("a", has_text="newer runs").count() == 1

    served = await page.request.get(media_path("costume", report.media_key))
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
        assert (await page.request.get(path)).status == 404, path
    unknown = await page.request.get(history_path("costume") + "?status=posted")
    assert unknown.status == 400 and "no run status &#39;posted&#39;" in await unknown.text()

    await page.set_viewport_size({"width": 1280, "height": 800})
    await page.select_option("#status", "failed")
    async with page.expect_navigation():
        await page.click("form.history-filter button")
    assert page.url.endswith("/history?status=failed")
    assert await page.locator("article", has_text=report.run_id).count() == 0
    assert browser_errors(page) == [], "no error in the browser (a CSP refusal is one)"
