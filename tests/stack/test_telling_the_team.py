"""A run tells the brand's team what it meets, through the dev stack's real receivers (an SMTP
server and a signed webhook): once per problem, a follow-up with the count for its repeats,
back to normal when it ends, an approval waiting; and a destination that never answers
neither holds up the run nor goes untold."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from temporalio.client import Client

from devstack.inbox import Received
from devstack.run import outcome
from devstack.silent_port import SilentPort
from devstack.stack import EmbeddedStack
from feedpub.approval_links import LinkRefused, read_approval_link
from feedpub.contract.console import approval_path
from feedpub.contract.notices import event_id_of
from temporal_app.worker import run_worker
from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow
from temporal_app.workflows.notifier import notifier_id
from tests.polling import poll

from .helpers import awaiting_approval, publish, query, run_to_the_end, start_run, upload_photo

pytestmark = pytest.mark.usefixtures("worker")

DESTINATIONS = 2
"""Each of these brands is told by e-mail (the team's) and at a signed webhook of its own."""
GIVE_UP_SECONDS = 1.0
"""How long the worker with dead destinations waits for each before it counts as lost."""


def told(stack: EmbeddedStack, event_id: str) -> list[Received]:
    return stack.inbox.received(event_id=event_id)


async def told_everywhere(stack: EmbeddedStack, event_id: str) -> list[Received]:
    """The messages of ``event_id``, once every destination of the brand has one."""

    def everywhere() -> list[Received]:
        got = told(stack, event_id)
        return got if len(got) >= DESTINATIONS else []

    return await poll(
        everywhere,
        lambda: f"{event_id} at {DESTINATIONS} destinations (got {told(stack, event_id)})",
    )


def told_of_brand(stack: EmbeddedStack, brand: str) -> list[str]:
    """The event ids the inbox has of ``brand``, once each, in the order they came."""
    events = (got.event_id or "" for got in stack.inbox.received())
    return list(dict.fromkeys(e for e in events if e.split(":")[1:2] == [brand]))


def decision(stack: EmbeddedStack, event_id: str) -> str | None:
    found = query(stack, "SELECT decision FROM notices WHERE event_id = %s", event_id)
    return str(found[0][0]) if found else None


async def test_an_expired_token_is_told_once_and_back_to_normal_once_it_works_again(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    assert stack.meta is not None
    token = stack.meta_tokens[stack.brands["tokenwatch"].meta_token_env]
    stack.meta.set_token_expiry(token, stack.meta.state.now() - 60)
    try:
        _, refused = await run_to_the_end(client, stack, "tokenwatch")
        first = event_id_of("token_invalid", "tokenwatch", refused.workflow_id)
        await told_everywhere(stack, first)
        _, refused = await run_to_the_end(client, stack, "tokenwatch")
    finally:
        stack.meta.set_token_expiry(token, None)
    again = event_id_of("token_invalid", "tokenwatch", refused.workflow_id)
    await poll(lambda: decision(stack, again) == "folded", "the second refusal to be folded")
    upload_photo(stack, s3, "tokenwatch")
    report = await publish(client, stack, "tokenwatch")
    recovered = event_id_of("back_to_normal", "tokenwatch", report.workflow_id)
    back = await told_everywhere(stack, recovered)

    assert told_of_brand(stack, "tokenwatch") == [first, recovered]
    invalid = told(stack, first)
    assert len(invalid) == DESTINATIONS
    for message in invalid:
        assert "Meta refuses the Page token of tokenwatch" in message.body
        assert "META_ACCESS_TOKEN_TOKENWATCH" in message.body  # which token, where it goes
    for message in back:
        assert "the Meta token works again" in message.body


async def test_five_failing_runs_tell_the_first_at_once_then_one_follow_up_with_the_count(
    stack: EmbeddedStack, client: Client
) -> None:
    window = stack.brands["stormshop"].repeat_window_seconds
    handles = [await start_run(client, stack, "stormshop") for _ in range(5)]
    reports = [(await outcome(stack, handle))[0] for handle in handles]
    failures = {event_id_of("post_failed", "stormshop", r.workflow_id) for r in reports}

    def first_told() -> list[str]:
        return [e for e in told_of_brand(stack, "stormshop") if e in failures]

    await poll(first_told, "the first failure to be told")
    first_at = time.monotonic()
    follow_up = await poll(
        lambda: [e for e in told_of_brand(stack, "stormshop") if e.startswith("follow-up:")],
        "the follow-up",
    )
    waited = time.monotonic() - first_at
    messages = await told_everywhere(stack, follow_up[0])

    assert all(r.status == "failed" for r in reports)
    assert len(first_told()) == 1 and len(told(stack, first_told()[0])) == DESTINATIONS
    assert waited > window / 2, "the follow-up waits for the end of the window"
    assert told_of_brand(stack, "stormshop") == [*first_told(), *follow_up]
    for message in messages:
        assert "Post failed: 4 more times since" in message.body


def failed_deliveries(stack: EmbeddedStack, event: str, *, at_least: int) -> list[Any] | None:
    """The event's failed deliveries once there are ``at_least`` of them: each destination's
    is recorded as soon as it is known, so one can be there before the other."""
    rows = query(
        stack,
        "SELECT destination, reason, at FROM notice_deliveries"
        " WHERE event_id = %s AND NOT delivered",
        event,
    )
    return rows if len(rows) >= at_least else None


async def test_destinations_that_never_answer_neither_slow_a_run_nor_go_untold(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    queue = f"silent-{uuid.uuid4().hex[:8]}"
    settings = stack.worker_settings(
        TEMPORAL_TASK_QUEUE=queue, NOTICE_SEND_TIMEOUT_SECONDS=GIVE_UP_SECONDS
    )
    with SilentPort() as smtp, SilentPort() as webhook:
        hook = urlsplit(stack.notify_env["NOTIFY_QUIETSHOP_WEBHOOK"])
        dead = {
            **stack.notify_env,
            "NOTIFY_TEAM_EMAIL": f"mailto://127.0.0.1:{smtp.port}"
            "?from=feedpub@example.com&to=team@example.com&mode=insecure",
            "NOTIFY_QUIETSHOP_WEBHOOK": hook._replace(netloc=f"127.0.0.1:{webhook.port}").geturl(),
        }
        stop = asyncio.Event()
        worker = asyncio.create_task(run_worker(settings, stop=stop, notify_env=dead))
        try:
            handle = await start_run(client, stack, "quietshop", task_queue=queue)
            report, _ = await outcome(stack, handle)
            closed = (await handle.describe()).close_time
            event = event_id_of("post_failed", "quietshop", report.workflow_id)
            lost = await poll(
                lambda: failed_deliveries(stack, event, at_least=2),
                "both deliveries to be recorded as failed",
                timeout=30,
            )
        finally:
            stop.set()
            await worker

    assert report.status == "failed"
    assert closed is not None and closed < min(at for _, _, at in lost), (
        "the run was over before its message gave up on the destinations"
    )
    assert sorted(destination for destination, _, _ in lost) == [
        "NOTIFY_QUIETSHOP_WEBHOOK",
        "NOTIFY_TEAM_EMAIL",
    ]
    assert all(f"no answer within {GIVE_UP_SECONDS:g} s" in reason for _, reason, _ in lost)
    assert told(stack, event) == []

    upload_photo(stack, s3, "quietshop")
    published = await publish(client, stack, "quietshop")
    back = await told_everywhere(
        stack, event_id_of("back_to_normal", "quietshop", published.workflow_id)
    )
    for message in back:
        assert "Not delivered earlier (2):" in message.body
        assert "post failed" in message.body and "NOTIFY_TEAM_EMAIL" in message.body


def approval_link_token(body: str, page: str) -> str:
    """The signed token of the message's approval link to ``page``."""
    [link] = [line for line in body.splitlines() if f"{page}?link=" in line]
    assert link.startswith("Approve or reject: https://"), body
    [token] = parse_qs(urlsplit(link.split(": ", 1)[1]).query)["link"]
    return token


async def test_a_run_waiting_for_approval_tells_both_captions_and_a_link_signed_for_that_run(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    upload_photo(stack, s3, "signoff")
    handle = await start_run(client, stack, "signoff")
    await awaiting_approval(handle)
    captions = (await handle.query(FeedPublisherWorkflow.progress)).captions
    event = event_id_of("approval_waiting", "signoff", handle.id)
    messages = await told_everywhere(stack, event)
    await handle.execute_update(FeedPublisherWorkflow.reject, "seen in the message")
    report = await handle.result()

    assert captions is not None and report.status == "rejected"
    page = approval_path(handle.id, report.run_id)
    tokens = set()
    for message in messages:
        assert f"caption:\n{captions.facebook}\n" in message.body
        assert f"caption:\n{captions.instagram}\n" in message.body
        tokens.add(approval_link_token(message.body, page))
        assert f"In a terminal: feedpub approve {handle.id}" in message.body
    assert {m.receiver for m in messages} == {"smtp", "webhook"}
    assert all(m.verified for m in messages if m.receiver == "webhook")
    # The link opens this run's approval page (until its deadline), and no other run's.
    secret, now = stack.console_link_secret, datetime.now(UTC)
    for token in tokens:
        read_approval_link(secret, token, handle.id, report.run_id, now)
        with pytest.raises(LinkRefused, match="another post"):
            read_approval_link(secret, token, handle.id, "another-run", now)
    # It is made where the message is sent: neither the run nor its notifier has it in history
    # (searched as recorded, payloads as they are: the notice's event id is found in both).
    for workflow_id in (handle.id, notifier_id(event)):
        history = await client.get_workflow_handle(workflow_id).fetch_history()
        recorded = b"".join(item.SerializeToString() for item in history.events)
        assert event.encode() in recorded
        assert not [token for token in tokens if token.encode() in recorded]
