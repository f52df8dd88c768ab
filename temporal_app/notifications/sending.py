"""Sending one message to a brand's destinations with apprise: all at once, none for long.

Each destination gets an apprise object of its own, so each has its own result, and runs in a
thread, so a slow one (an SMTP server that accepts and never answers, a webhook that hangs)
holds up nothing but itself: after ``timeout`` it is reported as not delivered and the
caller goes on. A failure is a ``Delivery`` with a plain reason, never an exception; the
reason names the host at most, never the URL, which holds the destination's secret.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

import apprise

from ._apprise import destination
from .destinations import Destinations
from .message import Message, with_event_line
from .signed_webhook import Outgoing, outgoing

__all__ = ["Delivery", "send_message"]

_GRACE_SECONDS = 1.0
"""How long past ``timeout`` the caller waits for apprise to report the timeout itself."""
_SHORTEST_HIDDEN = 4
"""URL parts shorter than this (``a``, ``443``) are too common in texts to hide usefully."""


@dataclass(frozen=True)
class Delivery:
    """What became of a message at one destination."""

    destination: str
    """The variable naming the destination (``NOTIFY_TEAM_EMAIL``), never its URL."""
    delivered: bool
    reason: str | None = None
    """Why it was not delivered, in plain words."""


async def send_message(
    destinations: Destinations,
    names: Sequence[str],
    message: Message,
    event_id: str,
    *,
    timeout: float = 20.0,
) -> list[Delivery]:
    """Send ``message`` to each destination in ``names`` in parallel; one Delivery each, in
    order, within about ``timeout`` seconds. The body's last line becomes the event line."""
    body = with_event_line(message.body, event_id)
    sending = Outgoing(brand=message.brand, kind=message.kind, timeout=timeout)
    found = await asyncio.gather(
        *(_deliver(destinations, name, message.title, body, sending) for name in names)
    )
    return list(found)


async def _deliver(
    destinations: Destinations, name: str, title: str, body: str, sending: Outgoing
) -> Delivery:
    try:
        url = destinations.url(name)
    except KeyError:
        return Delivery(name, False, f"{name} was not among the destinations read at start-up")
    try:
        async with asyncio.timeout(sending.timeout + _GRACE_SECONDS):
            return await asyncio.to_thread(_notify, name, url, title, body, sending)
    except TimeoutError:
        return Delivery(name, False, _no_answer(sending.timeout))


def _notify(name: str, url: str, title: str, body: str, sending: Outgoing) -> Delivery:
    outgoing.set(sending)  # this thread's copy of the caller's context; apprise copies it on
    plugin = destination(url, timeout=sending.timeout)
    if plugin is None:
        return Delivery(name, False, "not a URL apprise can send to")
    sender = apprise.Apprise()
    sender.add(plugin)
    try:
        result = sender.notify(
            body=body,
            title=title,
            body_format=apprise.NotifyFormat.TEXT,
            timeout=sending.timeout,
        )
    except Exception as exc:  # apprise reports failures in its result; anything else is a bug
        return Delivery(name, False, f"apprise failed ({type(exc).__name__})")
    if result.status == apprise.AppriseResultStatus.SUCCESS:
        return Delivery(name, True)
    if result.status == apprise.AppriseResultStatus.TIMEOUT:
        return Delivery(name, False, _no_answer(sending.timeout))
    said = [entry.message for entry in result.logs() if entry.level in ("WARNING", "ERROR")]
    reason = _hidden(said[0], url) if said else "the destination did not take the message"
    return Delivery(name, False, reason)


def _no_answer(timeout: float) -> str:
    return f"no answer within {timeout:g} s"


def _hidden(text: str, url: str) -> str:
    """``text`` with every part of ``url`` that may be a secret replaced by ``…``."""
    parts = urlsplit(url)
    secrets = {url, parts.netloc, parts.query, parts.fragment, *parts.path.split("/")}
    secrets |= {parts.username or "", parts.password or ""}
    secrets |= {value for _key, value in parse_qsl(parts.query)}
    host = parts.netloc.rpartition("@")[2].partition(":")[0]
    if "." in host:  # a host name or address, shown; a token in the host's place is hidden
        secrets.discard(parts.netloc)
    else:
        secrets.add(host)
    secrets |= {unquote(secret) for secret in secrets}
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= _SHORTEST_HIDDEN:
            text = text.replace(secret, "…")
    return text
