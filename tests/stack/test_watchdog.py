"""The watchdog against the stack: real Temporal schedules, the real claims on agent-outputs and
the stack's real SMTP server and webhook receiver. No worker: the watchdog never needs one.

Each test watches brands of its own (fresh names, so their claims are theirs) whose schedules
start runs on a task queue nobody polls, and runs rounds with ``now`` given.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime, timedelta

import pytest
from temporalio.client import Client, ScheduleHandle

from devstack.serve import free_port
from devstack.stack import EmbeddedStack
from feedpub.brands import Brand
from feedpub.contract import tools
from feedpub.contract.notices import Notice
from feedpub.settings import WatchdogSettings
from feedpub_apps.watchdog.rounds import Watchdog
from temporal_app.mcp_client import McpConnection
from temporal_app.notifications import Destinations
from temporal_app.schedules.spec import brand_schedule

pytestmark = pytest.mark.stack

NOBODY_POLLS = "watchdog-tests-nobody-polls"


def watched_brand(stack: EmbeddedStack, role: str, **fields: object) -> Brand:
    """A brand of its own, told by e-mail and at the pomandi webhook."""
    return dataclasses.replace(
        stack.brands["pomandi"],
        name=f"wd-{role}-{uuid.uuid4().hex[:6]}",
        notify_env=("NOTIFY_TEAM_EMAIL", "NOTIFY_POMANDI_WEBHOOK"),
        **fields,
    )


def watchdog_for(stack: EmbeddedStack, brands: Iterable[Brand], **settings: str) -> Watchdog:
    watched = {brand.name: brand for brand in brands}
    values = {
        "TEMPORAL_ADDRESS": stack.temporal_address,
        "AGENT_OUTPUTS_MCP_URL": stack.mcp_urls["agent-outputs"],
        "MCP_NOTIFY_TOKEN": stack.mcp_notify_token,
        **settings,
    }
    return Watchdog(
        WatchdogSettings.model_validate(values),
        watched,
        Destinations.from_env(watched, stack.notify_env),
    )


async def one_round(watchdog: Watchdog, now: datetime) -> list[Notice]:
    try:
        return await watchdog.round(now)
    finally:
        await watchdog.close()


def told(stack: EmbeddedStack, notices: list[Notice], kind: str) -> list[str]:
    """Where the round's notices of ``kind`` arrived: one receiver name per message."""
    return sorted(
        got.to
        for notice in notices
        if notice.kind == kind
        for got in stack.inbox.received(event_id=notice.event_id)
    )


@pytest.fixture
async def schedules(client: Client) -> AsyncIterator[list[ScheduleHandle]]:
    """Schedules a test creates, deleted after it."""
    made: list[ScheduleHandle] = []
    yield made
    for handle in made:
        await handle.delete()


async def schedule_for(
    client: Client, brand: Brand, made: list[ScheduleHandle], *, paused: bool = False
) -> ScheduleHandle:
    schedule = brand_schedule(brand, NOBODY_POLLS)
    schedule.state.paused = paused
    handle = await client.create_schedule(brand.schedule_id, schedule)
    made.append(handle)
    return handle


EVERY_DESTINATION = ["pomandi-webhook", "team@example.com"]


def days_ahead(days: int) -> datetime:
    """A round's moment: each test its own, so that no two tests' rounds share an event id
    (the stack-wide ones have no brand in it)."""
    return datetime.now(UTC) + timedelta(days=days)


async def test_a_paused_schedule_is_told_once_whichever_watchdog_asks_and_unpausing_ends_it(
    stack: EmbeddedStack, client: Client, schedules: list[ScheduleHandle]
) -> None:
    brand = watched_brand(stack, "paused", paused_alert_days=0)
    handle = await schedule_for(client, brand, schedules, paused=True)
    now = days_ahead(10)

    first = await one_round(watchdog_for(stack, [brand]), now)
    # A second watchdog (or this one restarted) remembers nothing: the claims fold its repeat.
    second = await one_round(watchdog_for(stack, [brand]), now + timedelta(minutes=5))
    await handle.unpause()
    third = await one_round(watchdog_for(stack, [brand]), now + timedelta(minutes=10))

    assert told(stack, first, "schedule_paused") == EVERY_DESTINATION
    assert [notice.kind for notice in second] == ["back_to_normal", "schedule_paused"]
    assert told(stack, second, "schedule_paused") == []
    assert told(stack, third, "back_to_normal") == EVERY_DESTINATION
    (message,) = stack.inbox.received(
        receiver="smtp", event_id=next(n.event_id for n in third if n.brand == brand.name)
    )
    assert "schedule" in message.body.lower() and brand.name in message.subject
    # Each delivery is recorded, so that a lost one is told in the next message.
    paused = next(notice for notice in first if notice.kind == "schedule_paused")
    (record,) = [n for n in await notices_of(stack, brand) if n.event_id == paused.event_id]
    assert sorted(record.delivered) == ["NOTIFY_POMANDI_WEBHOOK", "NOTIFY_TEAM_EMAIL"]


async def test_temporal_out_of_reach_is_told_to_every_brand_and_back_to_normal_when_it_answers(
    stack: EmbeddedStack,
) -> None:
    pomandi = watched_brand(stack, "temporal")
    costume = dataclasses.replace(
        watched_brand(stack, "temporal"), notify_env=("NOTIFY_COSTUME_WEBHOOK",)
    )
    closed = f"127.0.0.1:{free_port()}"
    now = days_ahead(20)

    away = await one_round(watchdog_for(stack, [pomandi, costume], TEMPORAL_ADDRESS=closed), now)
    again = await one_round(
        watchdog_for(stack, [pomandi, costume], TEMPORAL_ADDRESS=closed),
        now + timedelta(minutes=5),
    )
    back = await one_round(watchdog_for(stack, [pomandi, costume]), now + timedelta(minutes=10))

    every = ["costume-webhook", *EVERY_DESTINATION]
    assert told(stack, away, "temporal_unreachable") == every
    (message,) = stack.inbox.received(receiver="smtp", event_id=away[0].event_id)
    assert closed in message.body and "connection refused" in message.body
    assert told(stack, again, "temporal_unreachable") == []
    assert told(stack, back, "back_to_normal") == every


async def test_temporal_and_agent_outputs_both_away_are_still_told(stack: EmbeddedStack) -> None:
    brand = watched_brand(stack, "alone")
    watchdog = watchdog_for(
        stack,
        [brand],
        TEMPORAL_ADDRESS=f"127.0.0.1:{free_port()}",
        AGENT_OUTPUTS_MCP_URL=f"http://127.0.0.1:{free_port()}/mcp",
    )

    notices = await one_round(watchdog, days_ahead(30))

    # No claim can decide: told anyway, at least once.
    assert told(stack, notices, "temporal_unreachable") == EVERY_DESTINATION


async def test_a_brand_silent_for_one_and_a_half_intervals_is_told_once_and_its_post_ends_it(
    stack: EmbeddedStack, client: Client, schedules: list[ScheduleHandle]
) -> None:
    brand = watched_brand(stack, "silent", posting_times=("12:00",))  # planned 18 h ahead
    await schedule_for(client, brand, schedules)
    now = days_ahead(0)
    # Its first post is due 18 h after its schedule is set up; then 1.5 times its 24 h
    # interval, and a bit.
    later = now + timedelta(hours=18 + 36, minutes=5)

    in_time = await one_round(watchdog_for(stack, [brand]), now)
    silent = await one_round(watchdog_for(stack, [brand]), later)
    still = await one_round(watchdog_for(stack, [brand]), later + timedelta(minutes=5))
    await save_published_report(stack, brand)
    posted = await one_round(watchdog_for(stack, [brand]), now + timedelta(minutes=1))

    assert [notice.kind for notice in in_time] == ["back_to_normal", "back_to_normal"]
    assert told(stack, silent, "not_posting") == EVERY_DESTINATION
    assert told(stack, still, "not_posting") == []
    assert told(stack, posted, "back_to_normal") == EVERY_DESTINATION


async def notices_of(stack: EmbeddedStack, brand: Brand) -> list[tools.NoticeRecord]:
    server = McpConnection("agent-outputs", stack.mcp_urls["agent-outputs"], stack.mcp_read_token)
    try:
        return (await server.ask(tools.LIST_NOTICES, brand=brand.name)).notices
    finally:
        await server.close()


async def save_published_report(stack: EmbeddedStack, brand: Brand) -> None:
    run_id = str(uuid.uuid4())
    report = {"run_id": run_id, "workflow_id": f"{brand.schedule_id}-now", "brand": brand.name}
    server = McpConnection("agent-outputs", stack.mcp_urls["agent-outputs"], stack.mcp_token)
    try:
        await server.ask(
            tools.SAVE_PUBLICATION_REPORT,
            **report,
            status="published",
            photo_key=f"{brand.s3_prefix}a.jpg",
            report={**report, "status": "published", "started_at": datetime.now(UTC).isoformat()},
        )
    finally:
        await server.close()
