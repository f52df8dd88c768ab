"""Who may see what in the console, decided at every request from the database; forms from
elsewhere refused; and the console's database role kept out of everything but its schema.

Pages are asked for through the browser's own requests (its cookies, no drawing) where only
their answer matters."""

from __future__ import annotations

import re
import uuid

import psycopg
import pytest
from playwright.async_api import Browser, Page

from .console import Console, login


def _email(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}@example.com"


async def _answer(page: Page, path: str) -> tuple[int, str]:
    """The status and text of ``path`` asked with the page's cookies (redirects followed)."""
    answer = await page.request.get(path)
    return answer.status, await answer.text()


async def test_a_person_sees_only_their_brands_and_the_others_are_not_found(
    page: Page, console: Console
) -> None:
    email = _email("dan")
    await login(page, email, await console.add_person(email, {"pomandi": "viewer"}))

    assert await page.locator(".brands .name").all_inner_texts() == ["pomandi"]
    assert "costume" not in await page.content()
    assert (await _answer(page, "/brands/pomandi"))[0] == 200
    assert (await _answer(page, "/brands/costume"))[0] == 404
    assert (await _answer(page, "/brands/no-such-brand"))[0] == 404


def _role_shown(text: str) -> str | None:
    found = re.search(r'<dd class="role">([^<]*)</dd>', text)
    return found[1] if found else None


async def test_a_lowered_role_or_a_removed_person_takes_effect_at_the_next_request(
    page: Page, console: Console
) -> None:
    email = _email("eva")
    password = await console.add_person(email, {"pomandi": "approver", "costume": "viewer"})
    await login(page, email, password)
    status, text = await _answer(page, "/brands/pomandi")
    assert (status, _role_shown(text)) == (200, "approver")

    await console.store.set_role(email, "pomandi", "viewer")
    status, text = await _answer(page, "/brands/pomandi")
    assert (status, _role_shown(text)) == (200, "viewer")

    await console.store.set_role(email, "pomandi", None)
    assert (await _answer(page, "/brands/pomandi"))[0] == 404
    assert (await _answer(page, "/brands/costume"))[0] == 200

    await console.store.remove_user(email)
    sent_away = await page.request.get("/brands/costume", max_redirects=0)
    assert sent_away.status == 303
    assert sent_away.headers["location"] == "/login?next=/brands/costume"


def _csrf_in(text: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', text)
    assert found, text
    return found[1]


async def _someone_elses_token(browser: Browser, console: Console) -> str:
    """A CSRF token that is valid, for another person's session."""
    someone = _email("gus")
    password = await console.add_person(someone, {"costume": "viewer"})
    other = await browser.new_context(base_url=console.url)
    try:
        form = await other.request.get("/login")
        data = {"csrf": _csrf_in(await form.text()), "email": someone, "password": password}
        overview = await other.request.post("/login", form=data)
        assert overview.url == f"{console.url}/"
        return _csrf_in(await overview.text())
    finally:
        await other.close()


async def test_a_post_without_this_sessions_csrf_token_is_refused_and_changes_nothing(
    page: Page, browser: Browser, console: Console
) -> None:
    email = _email("finn")
    await login(page, email, await console.add_person(email, {"costume": "viewer"}))
    their_token = await _someone_elses_token(browser, console)

    for form in ({}, {"csrf": "forged"}, {"csrf": their_token}):
        refused = await page.request.post("/logout", form=form, max_redirects=0)
        assert refused.status == 403, form
        assert "did not come from this console" in await refused.text()
    still = await page.request.get("/")
    assert still.url == f"{console.url}/"  # still logged in

    mine = _csrf_in(await still.text())
    done = await page.request.post("/logout", form={"csrf": mine})
    assert done.url == f"{console.url}/login"
    assert "You have logged out." in await done.text()
    assert (await page.request.get("/")).url.startswith(f"{console.url}/login")


async def test_the_consoles_database_role_cannot_read_the_ledger_or_the_reports(
    console: Console,
) -> None:
    url = console.settings.console_database_url.get_secret_value()
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        await conn.execute("SELECT count(*) FROM console.users")
        for table in ("photos", "publication_reports", "publications", "notices"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                await conn.execute(f"SELECT 1 FROM {table} LIMIT 1")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            await conn.execute("CREATE TABLE console.extra (x int)")
