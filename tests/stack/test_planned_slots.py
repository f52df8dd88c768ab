"""One run plans each (brand, slot): the claims of the agent-outputs server, through the
worker's activities and the real server over HTTP."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from temporalio.testing import ActivityEnvironment

from devstack.stack import EmbeddedStack
from feedpub.contract.tools import LIST_PLANNED_SLOTS, SlotClaim
from temporal_app.activities import ReportActivities
from temporal_app.mcp_client import McpConnection
from temporal_app.models import SlotClaimInput


@pytest.fixture(scope="module")
async def outputs(stack: EmbeddedStack) -> AsyncIterator[ReportActivities]:
    """The worker's report activities, on a session with the publish token."""
    connection = McpConnection("agent-outputs", stack.mcp_urls["agent-outputs"], stack.mcp_token)
    yield ReportActivities(connection)
    await connection.close()


def slot_of(run: str, brand: str, slot: datetime) -> SlotClaimInput:
    return SlotClaimInput(brand, slot.isoformat(), f"plan-{brand}-{run}", f"run-{run}")


def fresh_slot() -> tuple[str, datetime]:
    """A brand no other test plans for, and a slot of it tomorrow."""
    tomorrow = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    return f"planned-{uuid.uuid4().hex[:8]}", tomorrow


async def claim(outputs: ReportActivities, request: SlotClaimInput) -> SlotClaim:
    return await ActivityEnvironment().run(outputs.claim_slot, request)


async def release(outputs: ReportActivities, request: SlotClaimInput) -> bool:
    return await ActivityEnvironment().run(outputs.release_slot, request)


async def test_ten_runs_claiming_one_slot_at_once_get_one_claim_and_all_name_its_holder(
    outputs: ReportActivities,
) -> None:
    brand, slot = fresh_slot()
    runs = [slot_of(str(n), brand, slot) for n in range(10)]

    claims = await asyncio.gather(*(claim(outputs, run) for run in runs))

    (holder,) = [run for run, answer in zip(runs, claims, strict=True) if answer.claimed]
    assert {(answer.holder_workflow_id, answer.holder_run_id) for answer in claims} == {
        (holder.workflow_id, holder.run_id)
    }


async def test_the_run_holding_a_slot_claims_it_again_and_still_holds_it(
    outputs: ReportActivities,
) -> None:
    brand, slot = fresh_slot()
    run = slot_of("first", brand, slot)
    # The same instant written in another zone is the same slot.
    in_new_york = slot.astimezone(timezone(timedelta(hours=-5))).isoformat()
    again = SlotClaimInput(brand, in_new_york, run.workflow_id, run.run_id)

    assert (await claim(outputs, run)).claimed
    assert await claim(outputs, again) == SlotClaim(True, run.workflow_id, run.run_id)
    assert not (await claim(outputs, slot_of("second", brand, slot))).claimed


async def test_a_run_that_does_not_hold_a_slot_releases_nothing(
    outputs: ReportActivities,
) -> None:
    brand, slot = fresh_slot()
    holder, other = slot_of("holder", brand, slot), slot_of("other", brand, slot)
    await claim(outputs, holder)

    assert not await release(outputs, other)
    assert await claim(outputs, other) == SlotClaim(False, holder.workflow_id, holder.run_id)


async def test_a_released_slot_is_claimed_by_the_next_run_and_listed_with_it_to_readers(
    stack: EmbeddedStack, outputs: ReportActivities
) -> None:
    brand, slot = fresh_slot()
    first, second = slot_of("first", brand, slot), slot_of("second", brand, slot)
    await claim(outputs, first)

    assert await release(outputs, first)
    assert (await claim(outputs, second)).claimed
    reader = McpConnection("agent-outputs", stack.mcp_urls["agent-outputs"], stack.mcp_read_token)
    try:
        listed = await reader.ask(LIST_PLANNED_SLOTS, brand=brand)
    finally:
        await reader.close()
    assert [(p.slot, p.run_id) for p in listed.slots] == [(slot.isoformat(), second.run_id)]
