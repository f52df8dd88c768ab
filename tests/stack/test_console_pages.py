"""The console's pages as a phone and a laptop show them: nothing wider than a 390 px screen, no
error in the browser (a CSP refusal is one), a screenshot of each to look at."""

from __future__ import annotations

import uuid

from playwright.async_api import Page

from .console import Console, browser_errors, login

PHONE = {"width": 390, "height": 844}


async def _fits_and_is_shot(page: Page, console: Console, name: str) -> None:
    for label, size in (("1280", {"width": 1280, "height": 800}), ("390", PHONE)):
        await page.set_viewport_size(size)
        await page.screenshot(path=console.screenshots / f"{name}-{label}.png", full_page=True)
    width = await page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} is {width} px wide on a {PHONE['width']} px screen"


async def test_the_login_page_and_the_overview_fit_a_phone_with_no_browser_error(
    page: Page, console: Console
) -> None:
    email = f"hana-{uuid.uuid4().hex[:8]}@example.com"
    password = await console.add_person(email, {"pomandi": "admin", "costume": "approver"})

    await page.goto("/login")
    await _fits_and_is_shot(page, console, "login")
    await login(page, email, password)
    assert await page.locator(".brands .name").all_inner_texts() == ["costume", "pomandi"]
    await _fits_and_is_shot(page, console, "overview")

    assert browser_errors(page) == []
