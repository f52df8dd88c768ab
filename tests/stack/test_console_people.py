"""A brand's admin manages its people from the console: gives an account a role, which counts
at that person's next request; cannot leave the brand without an admin; and nobody but an admin
may change a role."""

from __future__ import annotations

import re
import uuid

from playwright.async_api import Browser, Page

from feedpub.contract.console import brand_path, people_path

from .console import Console, fits_and_is_shot, login

BRAND = "emptyshop"
"""No other console test gives a role for it, so this test's admin is its only one."""


def _email(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}@example.com"


async def _submit(page: Page, button: str, within: str = "main") -> int:
    """Click ``button`` in ``within`` and wait for the page the form leads to; its status."""
    async with page.expect_navigation() as landed:
        await page.locator(within).get_by_role("button", name=button).click()
    answer = await landed.value
    assert answer is not None
    return answer.status


async def test_an_admin_gives_roles_but_never_takes_the_last_admin_and_others_may_not(
    page: Page, browser: Browser, console: Console
) -> None:
    admin, vic = _email("ada"), _email("vic")
    await login(page, admin, await console.add_person(admin, {BRAND: "admin"}))
    vic_password = await console.add_person(vic, {BRAND: "viewer"})
    assert await console.store.members(BRAND) == {admin: "admin", vic: "viewer"}
    theirs = await (await browser.new_context(base_url=console.url)).new_page()
    await login(theirs, vic, vic_password)
    await theirs.goto(brand_path(BRAND))
    assert await theirs.get_by_role("button", name="Post now").count() == 0

    await page.goto(brand_path(BRAND))
    await page.get_by_role("link", name="Its people and their roles").click()
    assert page.url.endswith(people_path(BRAND))
    vics_line = f".person:has-text('{vic}')"
    await page.get_by_label(f"Role of {vic}").select_option("approver")
    assert await _submit(page, "Change", vics_line) == 200
    assert f"{vic} is now approver of {BRAND}" in await page.locator(".flash").inner_text()
    assert await page.get_by_label(f"Role of {vic}").input_value() == "approver"

    # Vic's very next request, in the session Vic opened as a viewer.
    await theirs.goto(brand_path(BRAND))
    assert await theirs.get_by_role("button", name="Post now").count() == 1

    await page.get_by_label(f"Role of {admin}").select_option("none")
    assert await _submit(page, "Change", f".person:has-text('{admin}')") == 409
    refusal = await page.locator(".refusal").inner_text()
    assert f"{admin} is the last admin of {BRAND}" in refusal
    assert await page.get_by_label(f"Role of {admin}").input_value() == "admin"
    await fits_and_is_shot(page, console, "people")

    nobody = _email("nobody")
    await page.get_by_label("E-mail address").fill(nobody)
    assert await _submit(page, "Give the role") == 422
    refusal = await page.locator(".refusal").inner_text()
    assert f"No account {nobody}: create it with feedpub users add {nobody}" in refusal
    assert await console.store.members(BRAND) == {admin: "admin", vic: "approver"}

    # Vic, an approver, forges the form with Vic's own valid token: refused, nothing changes.
    token = re.search(r'name="csrf" value="([^"]+)"', await theirs.content())
    assert token, "the brand page carries a form"
    form = {"csrf": token[1], "email": vic, "role": "admin"}
    assert (await theirs.request.post(people_path(BRAND), form=form)).status == 403
    assert (await theirs.request.get(people_path(BRAND))).status == 403
    assert (await theirs.request.get(people_path("costume"))).status == 404
    assert await console.store.members(BRAND) == {admin: "admin", vic: "approver"}
    await theirs.context.close()
