"""Waiting for approval in the console: a person of two brands logs in, sees both, opens a
waiting run's image and captions, edits and approves it and finds it published in the brand's
history; the workflow's refusals show beside the field; a viewer decides nothing; an approval
link opens its one run without a login, for approve and reject only. Each page is shot at a
laptop's and a phone's width."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Page
from temporalio.client import Client, WorkflowHandle
from temporalio.common import SearchAttributeKey, SearchAttributePair, TypedSearchAttributes

from devstack.parts import s3_client
from devstack.stack import EmbeddedStack
from feedpub.contract.console import approval_path, history_path
from feedpub.contract.notices import event_id_of
from feedpub.contract.run import Progress, PublishReport, PublishRequest
from feedpub.contract.schedules import BRAND_SEARCH_ATTRIBUTE
from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow
from tests.polling import poll

from .console import Console, browser_errors, fits_and_is_shot, login
from .helpers import awaiting_approval, upload_photo

pytestmark = pytest.mark.usefixtures("worker")
BRAND = "atelier"
"""Its runs wait at the slot for a person, an hour at most."""
Run = WorkflowHandle[Any, PublishReport]


@pytest.fixture(scope="module")
async def runs(stack: EmbeddedStack, client: Client) -> dict[str, Run]:
    """Three waiting runs of the brand, started at once: ``kept`` is never decided on, ``edited``
    and ``linked`` are decided by one test each."""
    s3 = s3_client(stack.s3_env)
    brand = TypedSearchAttributes(
        [SearchAttributePair(SearchAttributeKey.for_keyword(BRAND_SEARCH_ATTRIBUTE), BRAND)]
    )
    handles = {}
    for name in ("kept", "edited", "linked"):
        upload_photo(stack, s3, BRAND)
        handles[name] = await client.start_workflow(
            FeedPublisherWorkflow.run, PublishRequest(brand=BRAND),
            id=f"console-{BRAND}-{name}-{uuid.uuid4().hex[:8]}",
            task_queue=stack.options.task_queue, search_attributes=brand,
        )  # fmt: skip
    await asyncio.gather(*(awaiting_approval(handle) for handle in handles.values()))
    return handles


def page_of(handle: Run) -> str:
    assert handle.first_execution_run_id is not None
    return approval_path(handle.id, handle.first_execution_run_id)


async def progress(handle: Run) -> Progress:
    return await handle.query(FeedPublisherWorkflow.progress)


async def person(console: Console, page: Page, role: str, brand: str = BRAND) -> str:
    email = f"{role}-{uuid.uuid4().hex[:8]}@example.com"
    await login(page, email, await console.add_person(email, {brand: role}))  # type: ignore[dict-item]
    return email


async def decisions(console: Console, handle: Run) -> list[tuple[Any, ...]]:
    async with console.store.pool.connection() as conn:
        cur = await conn.execute(
            "SELECT decision, by_email, via, detail FROM console.decisions WHERE workflow_id = %s",
            (handle.id,),
        )
        return await cur.fetchall()


async def image_shown(page: Page) -> bool:
    """Whether the page's image loaded (a JPEG the browser could draw)."""
    image = page.locator(".post-image img")
    if await image.count() != 1:
        return False
    loaded = "img => img.complete || new Promise(done => img.onload = img.onerror = done)"
    await image.evaluate(loaded)
    return bool(await image.evaluate("img => img.naturalWidth > 0"))


async def test_an_approver_of_two_brands_edits_a_caption_approves_and_finds_it_in_the_history(
    page: Page, console: Console, stack: EmbeddedStack, runs: dict[str, Run]
) -> None:
    handle = runs["edited"]
    email = f"ana-{uuid.uuid4().hex[:8]}@example.com"
    password = await console.add_person(email, {BRAND: "approver", "costume": "viewer"})
    await page.goto("/login")
    await fits_and_is_shot(page, console, "login")
    await login(page, email, password)
    assert await page.locator(".brands .name").all_inner_texts() == [BRAND, "costume"]
    await fits_and_is_shot(page, console, "overview")
    written = (await progress(handle)).captions
    assert written is not None

    listed = page.locator(f".waiting-run:has(a[href='{page_of(handle)}'])")

    async def listed_now() -> int:  # Temporal's visibility store trails a new run a moment
        await page.goto("/approvals")
        return await listed.count()

    await poll(listed_now, "the run among the waiting ones")
    await fits_and_is_shot(page, console, "approvals")
    await listed.locator("a.open").click()
    assert await image_shown(page)
    await fits_and_is_shot(page, console, "approval")
    assert await page.input_value("#facebook") == written.facebook
    assert await page.input_value("#instagram") == written.instagram
    assert written.alt_text in await page.inner_text(".alt-text")

    edited = f"Une veste d'hiver, vue de près. #atelier{uuid.uuid4().hex[:6]}"
    await page.fill("#instagram", edited)
    await page.click("button[value=edit]")
    assert "saved and approved" in await page.inner_text(".flash")
    report = await handle.result()

    assert report.status == "published" and report.captions is not None
    assert report.captions.instagram == edited
    assert stack.meta is not None
    posted = stack.meta.instagram_media(stack.brands[BRAND].instagram_user_id)
    assert [m["caption"] for m in posted if m["id"] == report.instagram.post_id] == [edited]  # type: ignore[union-attr]
    assert (report.approval or "").startswith(f"edited by {email} at ")
    assert (report.approval or "").endswith("(console)")
    assert await decisions(console, handle) == [
        ("edited", email, "login", "changed the instagram caption")
    ]

    await page.goto(history_path(BRAND))
    card = page.locator("article", has_text=report.run_id)
    shown = " ".join((await card.inner_text()).split())
    assert "published" in await card.locator(".status").inner_text()
    assert f"Instagram caption {edited}" in shown
    assert f"Approval {report.approval}" in shown
    await fits_and_is_shot(page, console, "history")
    assert browser_errors(page) == []


async def test_a_caption_too_long_is_refused_beside_it(
    page: Page, console: Console, runs: dict[str, Run]
) -> None:
    handle = runs["kept"]
    await person(console, page, "approver")
    await page.goto(page_of(handle))
    too_long = "Trop long. " * 201

    await page.fill("#instagram", too_long)
    async with page.expect_navigation() as refused:
        await page.click("button[value=edit]")

    assert (await refused.value).status == 409
    await page.screenshot(path=console.screenshots / "approval-refused-1280.png", full_page=True)
    said = await page.inner_text("#instagram-error")
    assert said == "The Instagram caption is longer than 2200 characters."
    assert await page.get_attribute("#instagram", "aria-invalid") == "true"
    assert await page.input_value("#instagram") == too_long.strip()
    still = await progress(handle)
    assert still.step == "awaiting_approval" and still.decided_at is None
    assert await decisions(console, handle) == []
    # The refusal's page is answered 409, which the browser logs; nothing else.
    assert browser_errors(page) == [
        "console: Failed to load resource: the server responded with a status of 409 (Conflict)"
    ]


async def _csrf(page: Page) -> str:
    token = await page.locator("input[name=csrf]").first.get_attribute("value")
    assert token
    return token


async def test_a_viewer_sees_no_button_and_their_forged_decision_is_refused(
    page: Page, console: Console, runs: dict[str, Run]
) -> None:
    handle = runs["kept"]
    email = await person(console, page, "viewer")
    await page.goto(page_of(handle))
    assert await image_shown(page)
    image_path = await page.get_attribute(".post-image img", "src")
    assert image_path is not None
    assert await page.locator(".caption.instagram").count() == 1
    assert await page.locator("button[name=decision], textarea").count() == 0

    for decision in ("approve", "edit", "reject"):
        form: dict[str, str | float | bool] = {
            "csrf": await _csrf(page),
            "decision": decision,
            "reason": "no",
            "instagram": "x",
        }
        refused = await page.request.post(page_of(handle), form=form, max_redirects=0)
        assert refused.status == 403, decision
    still = await progress(handle)
    assert still.step == "awaiting_approval" and still.decided_at is None

    # Without a role for the brand (read at each request), its runs are not found.
    await console.store.set_role(email, BRAND, None)
    for path in (page_of(handle), image_path):
        answer = await page.goto(path)
        assert answer is not None and answer.status == 404, path
    await page.goto("/approvals")
    assert await page.locator(".waiting-run").count() == 0


async def link_in_message(stack: EmbeddedStack, console: Console, handle: Run) -> str:
    """The approval link of the run's "approval waiting" message, on the test's console."""
    event = event_id_of("approval_waiting", BRAND, handle.id)
    [message, *_] = await poll(lambda: stack.inbox.received(event_id=event), f"{event} told")
    [line] = [line for line in message.body.splitlines() if "?link=" in line]
    link = urlsplit(line.split(": ", 1)[1])
    return f"{console.url}{link.path}?{link.query}"


async def test_an_approval_link_opens_its_run_without_a_login_to_approve_or_reject_it_only(
    page: Page, console: Console, stack: EmbeddedStack, runs: dict[str, Run]
) -> None:
    handle = runs["linked"]
    link = await link_in_message(stack, console, handle)

    opened = await page.goto(link)
    assert opened is not None and opened.status == 200
    assert await image_shown(page)
    buttons = await page.locator("button[name=decision]").evaluate_all("bs => bs.map(b => b.value)")
    assert buttons == ["approve", "reject"]
    assert await page.locator("#facebook, #instagram").count() == 0
    assert "/login?next=" in (await page.get_attribute("text=Log in to edit", "href") or "")
    still = await progress(handle)  # opening the link decided nothing
    assert still.step == "awaiting_approval" and still.decided_at is None

    await fits_and_is_shot(page, console, "approval-link")
    another = await page.goto(page_of(runs["kept"]) + "?" + urlsplit(link).query)
    assert another is not None and another.status == 403
    assert "for another post" in await page.inner_text(".refusal")
    await fits_and_is_shot(page, console, "approval-link-refused")
    await page.goto(link)
    edit = {"csrf": await _csrf(page), "link": link.split("link=")[1], "decision": "edit"}
    refused = await page.request.post(page_of(handle), form={**edit, "instagram": "x"})
    assert refused.status == 403 and "log in" in (await refused.text()).lower()

    await page.fill("#reason", "pas cette veste")
    await page.click("button[value=reject]")
    report = await handle.result()
    assert report.status == "rejected"
    assert (report.approval or "").startswith("rejected by approval link at ")
    assert (report.approval or "").endswith("(approval link): pas cette veste")
    assert await decisions(console, handle) == [("rejected", None, "link", "pas cette veste")]
    assert await page.inner_text(".flash") == "Rejected: nothing is published."
    assert "by approval link" in await page.inner_text(".state")
    # The one error the browser logged: the refused link's page is answered 403.
    assert browser_errors(page) == [
        "console: Failed to load resource: the server responded with a status of 403 (Forbidden)"
    ]
