"""The overview and a brand's page as its team uses them: the coming slots in the brand's zone,
the planned post with its photo, captions and approval, the photos left, the token; an admin
pauses the brand (its planned post cancelled, as `feedpub schedules pause` does) and unpauses
it; an approver cannot; a dry run opens the run's page, which follows the run by itself."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from temporalio.client import Client, ScheduleHandle, WorkflowHandle
from temporalio.service import RPCError

from devstack.planned_demo import start_planned
from devstack.stack import EmbeddedStack
from feedpub.contract.console import approval_path, brand_path
from feedpub_apps.console.pages.history import media_path
from feedpub_apps.start_post import BRAND_KEY
from temporal_app.schedules import PlannedRun, brand_schedule, planned_runs
from tests.polling import poll

from .console import Console, browser_errors, fits_and_is_shot, login
from .helpers import query, upload_photo

pytestmark = pytest.mark.usefixtures("worker")

BRAND, RUNS_AT_ONCE = "weekshop", "tryshop"
ZONE = ZoneInfo("America/Chicago")
NOBODY_POLLS = "console-overview-nobody-polls"
"""The brand's schedule lives on a queue no worker polls: it starts nothing the test sees."""


@pytest.fixture
async def schedule(stack: EmbeddedStack, client: Client) -> AsyncIterator[ScheduleHandle]:
    """The brand's schedule, running; after the test it is gone, with the runs left planned,
    the brand's alerts and problems, and its token's expiry."""
    brand = stack.brands[BRAND]
    handle = await client.create_schedule(brand.schedule_id, brand_schedule(brand, NOBODY_POLLS))
    yield handle
    await handle.delete()
    runs, _ = await planned_runs(client, BRAND)
    for run in runs:
        with contextlib.suppress(RPCError):
            await client.get_workflow_handle(run.workflow_id, run_id=run.run_id).cancel()
    with psycopg.connect(stack.database_url) as conn:
        conn.execute("DELETE FROM brand_alerts WHERE brand = %s", (BRAND,))
        conn.execute("DELETE FROM notice_conditions WHERE brand = %s", (BRAND,))
    assert stack.meta is not None
    stack.meta.set_token_expiry(stack.meta_tokens[brand.meta_token_env], None)


def next_slots(now: datetime, count: int) -> list[str]:
    """The brand's next posting times (09:00, 13:00, 18:30 in Chicago), as the page writes them."""
    local, found = now.astimezone(ZONE), []
    day = local.date()
    while len(found) < count:
        for hour, minute in ((9, 0), (13, 0), (18, 30)):
            slot = datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)
            if slot > local and len(found) < count:
                found.append(f"{slot:%a %-d %b, %H:%M %Z}")
        day += timedelta(days=1)
    return found


async def planned_with_captions(client: Client, handle: WorkflowHandle) -> PlannedRun:
    async def found() -> PlannedRun | None:
        runs, _ = await planned_runs(client, BRAND)
        ready = (r for r in runs if r.workflow_id == handle.id and r.progress.media_key)
        return next((r for r in ready if r.progress.captions), None)

    return await poll(found, f"{handle.id} to be planned, with its image", timeout=60, every=0.3)


def saved_status(stack: EmbeddedStack, workflow_id: str) -> str | None:
    found = query(
        stack, "SELECT status FROM publication_reports WHERE workflow_id = %s", workflow_id
    )
    return found[0][0] if found else None


def photos_available(stack: EmbeddedStack, brand: str) -> int:
    """The library's own count: photos neither posted, rejected nor held by a run."""
    found = query(
        stack, "SELECT count(*) FROM photos WHERE brand = %s AND status = 'available'", brand
    )
    return int(found[0][0])


async def test_the_overview_shows_a_brands_plan_and_state_and_an_admin_pauses_and_unpauses_it(
    stack: EmbeddedStack,
    client: Client,
    s3: Any,
    page: Page,
    console: Console,
    schedule: ScheduleHandle,
) -> None:
    assert stack.meta is not None
    for _ in range(3):
        upload_photo(stack, s3, BRAND)
    # Half an hour ahead: inside the batch cut-off, so the captions are written at once.
    slot = (datetime.now(UTC) + timedelta(minutes=30)).replace(second=0, microsecond=0)
    planned = await planned_with_captions(client, await start_planned(client, stack, BRAND, slot))
    progress = planned.progress
    assert progress.captions and progress.media_key and progress.photo_key
    # The token runs out in three days, as Meta tells it now (the run checked it valid before).
    token = stack.meta_tokens[stack.brands[BRAND].meta_token_env]
    stack.meta.set_token_expiry(token, stack.meta.state.now() + 3 * 86400 + 3600)
    alert = "Meta refused the permission pages_manage_posts"
    with psycopg.connect(stack.database_url) as conn:
        conn.execute(
            "INSERT INTO brand_alerts (brand, kind, message) VALUES (%s, %s, %s)",
            (BRAND, "meta-token:permission", alert),
        )
        conn.execute(  # the team was told its photos run low, and they have not come back
            "INSERT INTO notice_conditions (brand, condition, kind, opened_at, last_sent_at)"
            " VALUES (%s, 'photos', 'photos_low', now(), now())",
            (BRAND,),
        )
    email = f"olga-{datetime.now(UTC):%H%M%S%f}@example.com"
    await login(page, email, await console.add_person(email, {BRAND: "admin"}))

    card = page.locator(".brand-card", has_text=BRAND)
    shown = await card.inner_text()
    assert [t.strip() for t in await card.locator(".slots time").all_inner_texts()] == (
        next_slots(datetime.now(UTC), 3)
    )
    left = await card.locator(".photos-left").inner_text()
    assert int(left) == photos_available(stack, BRAND) == 2  # one of three is held by the plan
    assert "expiring in 3 days" in shown
    alerts = await card.locator(".alerts").inner_text()
    assert alert in alerts and "photos low since" in alerts
    kinds = query(stack, "SELECT kind FROM brand_alerts WHERE brand = %s", BRAND)
    assert kinds == [("meta-token:permission",)], "reading the token raised no alert"
    assert "running" in shown
    post = card.locator(".post")
    assert await post.count() == 1
    assert f"{slot.astimezone(ZONE):%a %-d %b, %H:%M %Z}" in await post.inner_text()
    assert progress.captions.instagram.split()[0] in await post.inner_text()
    assert "waiting for approval" in await post.inner_text()
    image = post.locator("img")
    assert await image.get_attribute("src") == media_path(BRAND, progress.media_key)
    assert await image.evaluate("(i) => i.decode().then(() => i.naturalWidth)") > 0
    opened = approval_path(planned.workflow_id, planned.run_id)
    assert await post.locator(f'a[href="{opened}"]').count() == 2
    for other in ("pomandi", "costume", RUNS_AT_ONCE):
        assert other not in await page.content()
    await fits_and_is_shot(page, console, "overview-brand")

    async with page.expect_navigation():
        await card.locator("button", has_text="Pause").click()
    told = await page.locator(".flash").inner_text()
    assert f"{BRAND} is paused" in told and "Cancelled the posts planned for" in told
    state = (await schedule.describe()).schedule.state
    assert state.paused and state.note == f"paused by {email} in the console"
    await poll(
        lambda: saved_status(stack, planned.workflow_id) == "cancelled", "a 'cancelled' report"
    )
    assert photos_available(stack, BRAND) == 3  # its photo given back
    assert "paused" in await card.locator(".state").inner_text()

    await page.goto(brand_path(BRAND))
    await fits_and_is_shot(page, console, "brand")
    async with page.expect_navigation():
        await page.click("button:text-is('Unpause')")
    assert page.url == f"{console.url}{brand_path(BRAND)}"
    assert not (await schedule.describe()).schedule.state.paused
    assert "running" in await page.locator(".state").inner_text()
    assert browser_errors(page) == []


async def test_an_approver_sees_no_pause_button_and_a_forged_pause_is_refused_changing_nothing(
    page: Page, console: Console, schedule: ScheduleHandle
) -> None:
    email = f"paul-{datetime.now(UTC):%H%M%S%f}@example.com"
    await login(page, email, await console.add_person(email, {BRAND: "approver"}))
    await page.goto(brand_path(BRAND))
    assert await page.locator("form[action$='/pause'], form[action$='/unpause']").count() == 0
    assert await page.locator("button", has_text="Post now").count() == 1
    csrf = await page.locator("input[name=csrf]").first.get_attribute("value")

    refused = await page.request.post(
        f"{brand_path(BRAND)}/pause", form={"csrf": csrf or ""}, max_redirects=0
    )
    assert refused.status == 403
    assert not (await schedule.describe()).schedule.state.paused


async def test_a_dry_run_from_the_brand_page_opens_its_run_page_which_follows_it_to_its_report(
    stack: EmbeddedStack, client: Client, s3: Any, page: Page, console: Console
) -> None:
    upload_photo(stack, s3, RUNS_AT_ONCE)
    email = f"rita-{datetime.now(UTC):%H%M%S%f}@example.com"
    await login(page, email, await console.add_person(email, {RUNS_AT_ONCE: "approver"}))
    await page.goto(brand_path(RUNS_AT_ONCE))

    async with page.expect_navigation():
        await page.click("button:text-is('Dry run')")
    found = re.fullmatch(
        rf"{console.url}/runs/({RUNS_AT_ONCE}-dry-run-\d{{8}}T\d{{6}}Z)/(.+)", page.url
    )
    assert found, page.url
    described = await client.get_workflow_handle(found[1], run_id=found[2]).describe()
    assert described.typed_search_attributes.get(BRAND_KEY) == RUNS_AT_ONCE
    assert await described.memo_value("trigger") == "dry-run"
    steps = await page.locator(".steps li").all_inner_texts()
    assert steps, "the run's steps are shown while it goes"

    async def report_shown() -> str | None:
        with contextlib.suppress(PlaywrightError):  # the page is loading itself again
            shown = await page.locator("main").inner_text()
            return shown if "This run has ended" in shown else None
        return None

    # The page loads itself again (no reload from here) until the run has ended.
    ended = await poll(report_shown, "the run page to show the report", timeout=60, every=0.5)
    assert "dry run" in ended and "prepare media" in ended
    assert "dry run: not published" in ended
    await fits_and_is_shot(page, console, "run")
    assert browser_errors(page) == []

    await console.store.set_role(email, RUNS_AT_ONCE, None)
    assert (await page.request.get(page.url)).status == 404, "not the person's brand any more"
