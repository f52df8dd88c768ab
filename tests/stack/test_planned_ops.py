"""A brand's planned runs as operators meet them: `feedpub plan` shows them; pausing the brand,
deleting its schedule, disabling it or removing a posting time cancels them, and a cancelled
run gives its photo back."""

from __future__ import annotations

import asyncio
import contextlib
import textwrap
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle
from temporalio.service import RPCError

from devstack.planned_demo import start_planned
from devstack.stack import EmbeddedStack
from temporal_app.schedules import PlannedRun, apply_schedules, brand_schedule, planned_runs
from tests.polling import poll
from tests.schedules.support import brand_table, write_brands

from .cli import feedpub
from .helpers import query, upload_photo

pytestmark = pytest.mark.usefixtures("worker")

BRAND = "pomandi"
DELETED = "costume"
"""A brand whose schedule a test deletes, while BRAND's is paused."""
NOBODY_POLLS = "planned-runs-tests-nobody-polls"
"""The brand's schedule in these tests lives on a queue no worker polls: it starts nothing."""


def slot_in(minutes: int) -> datetime:
    """A slot on a whole minute, ``minutes`` from now: inside the batch cut-off, so the run
    writes its captions at once, the ordinary way."""
    return (datetime.now(UTC) + timedelta(minutes=minutes)).replace(second=0, microsecond=0)


def local_time(slot: datetime) -> str:
    return f"{slot.astimezone(ZoneInfo('Europe/Brussels')):%H:%M}"


async def planned_with_captions(
    client: Client, handle: WorkflowHandle, brand: str = BRAND
) -> PlannedRun:
    """The run as ``planned_runs`` finds it, once its photo and captions are there."""

    async def found() -> PlannedRun | None:
        runs, _ = await planned_runs(client, brand)
        return next((r for r in runs if r.workflow_id == handle.id and r.progress.captions), None)

    return await poll(found, f"{handle.id} to be planned, with captions", timeout=60, every=0.3)


def saved_status(stack: EmbeddedStack, handle: WorkflowHandle) -> str | None:
    found = query(stack, "SELECT status FROM publication_reports WHERE workflow_id = %s", handle.id)
    return found[0][0] if found else None


def photo_status(stack: EmbeddedStack, key: str) -> str:
    return str(query(stack, "SELECT status FROM photos WHERE key = %s", key)[0][0])


async def running(handle: WorkflowHandle) -> bool:
    return (await handle.describe()).status == WorkflowExecutionStatus.RUNNING


@pytest.fixture
async def planned(client: Client) -> AsyncIterator[list[WorkflowHandle]]:
    """Runs a test plans, and the brands' schedules: all gone after it."""
    handles: list[WorkflowHandle] = []
    yield handles
    for handle in handles:
        with contextlib.suppress(RPCError):
            await handle.cancel()
    for brand in (BRAND, DELETED):
        with contextlib.suppress(RPCError):
            await client.get_schedule_handle(f"{brand}-daily-posts").delete()


async def test_feedpub_plan_shows_a_planned_run_and_pausing_or_deleting_a_schedule_cancels_its_runs(
    stack: EmbeddedStack, client: Client, s3: Any, tmp_path: Path, planned: list[WorkflowHandle]
) -> None:
    for brand in (BRAND, DELETED):
        upload_photo(stack, s3, brand)
        schedule = brand_schedule(stack.brands[brand], NOBODY_POLLS)
        schedule.state.paused = True  # it must start nothing while the test runs
        await client.create_schedule(f"{brand}-daily-posts", schedule)
    slot = slot_in(30)
    planned.append(handle := await start_planned(client, stack, BRAND, slot))
    planned.append(other := await start_planned(client, stack, DELETED, slot))
    progress, other_progress = (
        run.progress
        for run in await asyncio.gather(
            planned_with_captions(client, handle), planned_with_captions(client, other, DELETED)
        )
    )
    assert progress.captions and progress.photo_key and other_progress.photo_key
    assert photo_status(stack, progress.photo_key) == "reserved"

    # The command's own brands file: the slot is one of the brand's posting times there.
    table = brand_table(posting_times=[local_time(slot)], plan_ahead="18h")
    brands = write_brands(tmp_path / "brands.toml", {BRAND: table})
    (code, out), (deleted, deleting) = await asyncio.gather(
        feedpub(stack, "plan", "--brand", BRAND, "--days", "1", "--brands", str(brands)),
        feedpub(stack, "schedules", "delete", DELETED),
    )
    assert code == 0, out
    local = slot.astimezone(ZoneInfo("Europe/Brussels"))
    assert f"{local:%a %Y-%m-%d %H:%M %Z}  planned  revision 0  [{handle.id}]" in out
    assert f"photo      {progress.photo_key}" in out
    assert textwrap.shorten(progress.captions.facebook, 90) in out
    assert textwrap.shorten(progress.captions.instagram, 90) in out

    code, out = await feedpub(stack, "schedules", "pause", BRAND, "holiday")
    assert code == 0, out
    assert f"{BRAND}: cancelled the post planned for {local:%a %Y-%m-%d %H:%M}" in out
    assert f"photo {progress.photo_key} (given back)" in out
    assert deleted == 0, deleting
    assert f"{DELETED}-daily-posts: deleted" in deleting
    assert f"{DELETED}: cancelled the post planned for" in deleting
    assert f"photo {other_progress.photo_key} (given back)  [{other.id}]" in deleting
    for run, key in ((handle, progress.photo_key), (other, other_progress.photo_key)):
        await poll(lambda run=run: saved_status(stack, run) == "cancelled", "a 'cancelled' report")
        assert photo_status(stack, key) == "available"


async def test_removing_a_posting_time_cancels_only_that_slots_run_and_disabling_the_rest(
    stack: EmbeddedStack, client: Client, s3: Any, planned: list[WorkflowHandle]
) -> None:
    for _ in range(2):
        upload_photo(stack, s3, BRAND)
    kept, removed = slot_in(30), slot_in(31)
    brand = replace(stack.brands[BRAND], posting_times=(local_time(kept), local_time(removed)))
    await apply_schedules({BRAND: brand}, task_queue=NOBODY_POLLS, client=client)
    planned.append(stays := await start_planned(client, stack, BRAND, kept))
    planned.append(goes := await start_planned(client, stack, BRAND, removed))
    for handle in (stays, goes):
        await planned_with_captions(client, handle)

    fewer = replace(brand, posting_times=(local_time(kept),))
    [change, *_] = await apply_schedules({BRAND: fewer}, task_queue=NOBODY_POLLS, client=client)
    assert change.cancelled and [run.workflow_id for run in change.cancelled.cancelled] == [goes.id]
    await poll(lambda: saved_status(stack, goes) == "cancelled", "a 'cancelled' report", timeout=30)
    assert await running(stays)

    disabled = replace(fewer, enabled=False)
    [change, *_] = await apply_schedules({BRAND: disabled}, task_queue=NOBODY_POLLS, client=client)
    assert change.cancelled and [run.workflow_id for run in change.cancelled.cancelled] == [
        stays.id
    ]
    assert "cancelled the post planned for" in "\n".join(change.lines())
    await poll(
        lambda: saved_status(stack, stays) == "cancelled", "a 'cancelled' report", timeout=30
    )
