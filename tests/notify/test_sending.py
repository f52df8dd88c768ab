"""Sending with apprise to real receivers: each destination on its own, none for longer than
the timeout, reasons in plain words, and no URL (which holds the secret) anywhere."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from devstack.inbox import Inbox
from devstack.silent_port import SilentPort
from feedpub.contract.notices import Notice
from feedpub.webhook_signature import sign
from temporal_app.notifications import Destinations, render, send_message

from .conftest import brand_told_at


def failed_post(event_id: str) -> Notice:
    return Notice(
        event_id=event_id, kind="post_failed", brand="pomandi",
        occurred_at="2026-03-03T08:01:00+00:00", slot="2026-03-03T08:00:00+00:00",
        platform="instagram", reason="Meta refused the image",
    )  # fmt: skip


async def send(env: dict[str, str], event_id: str, *, timeout: float = 5.0) -> list:
    brand = brand_told_at(*env)
    destinations = Destinations.from_env({"pomandi": brand}, env)
    message = render(failed_post(event_id), brand, None)
    return await send_message(destinations, list(env), message, event_id, timeout=timeout)


async def test_a_signed_webhook_arrives_verified_with_its_event_id_brand_and_kind(
    inbox: Inbox,
) -> None:
    [delivery] = await send({"NOTIFY_POMANDI_WEBHOOK": inbox.hook_url("signed")}, "e-signed")
    assert delivery.delivered, delivery
    [got] = inbox.received(event_id="e-signed")
    assert (got.receiver, got.to, got.verified) == ("webhook", "signed", True)
    assert got.subject == "feedpub pomandi: post failed"
    assert {key: got.data[key] for key in ("event_id", "brand", "kind")} == {
        "event_id": "e-signed", "brand": "pomandi", "kind": "post_failed",
    }  # fmt: skip
    assert "did not go out on Instagram" in got.data["message"]


async def test_the_receiver_refuses_a_changed_body_a_wrong_secret_and_an_old_message(
    inbox: Inbox,
) -> None:
    url = inbox.hook_url("guarded").replace("signedhook://", "http://").split("?")[0]
    secret = inbox.hook_secrets["guarded"]
    body = b'{"event_id": "e-guarded", "title": "t", "message": "m"}'
    attempts = {
        "changed": (sign(secret, "e-guarded", body), body.replace(b'"m"', b'"x"')),
        "wrong secret": (sign("another-secret-0123456789", "e-guarded", body), body),
        "old": (sign(secret, "e-guarded", body, now=time.time() - 600), body),
    }
    async with httpx.AsyncClient() as http:
        for what, (headers, sent) in attempts.items():
            answer = await http.post(url, content=sent, headers=headers)
            assert answer.status_code == 401, what
        fresh = sign(secret, "e-guarded", body)
        answers = [await http.post(url, content=body, headers=fresh) for _ in range(2)]
    assert [answer.text for answer in answers] == ["ok", "repeat dropped"]
    refused = [got for got in inbox.received() if got.to == "guarded" and not got.verified]
    assert len(refused) == 3
    assert len(inbox.received(event_id="e-guarded")) == 1


async def test_a_dead_smtp_server_and_a_hanging_webhook_hold_up_nothing_but_themselves(
    inbox: Inbox, silent: SilentPort
) -> None:
    env = {
        "NOTIFY_TEAM_EMAIL": inbox.mailto("team@example.com"),
        "NOTIFY_DEAD_EMAIL": f"mailto://127.0.0.1:{silent.port}?from=f@example.com"
        "&to=t@example.com&mode=insecure",
        "NOTIFY_HANGING_WEBHOOK": f"signedhook://127.0.0.1:{silent.port}/h?secret={'k' * 24}",
        "NOTIFY_POMANDI_WEBHOOK": inbox.hook_url("healthy"),
    }
    started = time.monotonic()
    deliveries = await send(env, "e-dead", timeout=1.0)
    took = time.monotonic() - started
    # In parallel: one timeout and a little, not one per dead destination.
    assert took < 1.9, f"the dead destinations held the call for {took:.1f} s"
    told = {delivery.destination: delivery for delivery in deliveries}
    assert told["NOTIFY_TEAM_EMAIL"].delivered and told["NOTIFY_POMANDI_WEBHOOK"].delivered
    for dead in ("NOTIFY_DEAD_EMAIL", "NOTIFY_HANGING_WEBHOOK"):
        assert (told[dead].delivered, told[dead].reason) == (False, "no answer within 1 s")
    assert {got.receiver for got in inbox.received(event_id="e-dead")} == {"smtp", "webhook"}


@contextmanager
def process_log() -> Iterator[list[str]]:
    """Everything logged at any level to the root logger, as a process's log handler sees it."""
    lines: list[str] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = lambda record: lines.append(record.getMessage())  # type: ignore[method-assign]
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


async def test_a_refused_delivery_is_told_in_plain_words_and_no_log_shows_the_url() -> None:
    closed = SilentPort()
    closed.stop()  # nothing listens there any more
    url = f"json://127.0.0.1:{closed.port}/hooks/Path-Secret-0123456789"
    with process_log() as logged:
        [delivery] = await send({"NOTIFY_REFUSING_WEBHOOK": url}, "e-refused")
    assert not delivery.delivered
    assert delivery.reason and "Connection error" in delivery.reason
    assert "Path-Secret-0123456789" not in delivery.reason
    # apprise logs each URL it loads and posts to; none of that reaches the process's log.
    assert not [line for line in logged if "Path-Secret-0123456789" in line]
