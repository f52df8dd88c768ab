"""The signed webhook: an apprise destination that POSTs JSON signed with the brand's secret.

apprise's ``json://`` sends fixed headers only, so this one destination is written here, as
an apprise custom notification: ``signedhook://host:port/path?secret=...`` (plain HTTP, for a
receiver on the same host or network) and ``signedhooks://host/path?secret=...`` (HTTPS). The
body is ``{event_id, brand, kind, title, message, sent_at}``; the headers carry the time, the
event id and an HMAC-SHA256 over both and the body (``feedpub.webhook_signature``), which a
receiver checks with the same secret.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import httpx
from apprise.decorators import notify

from feedpub.contract.notices import split_event_line
from feedpub.webhook_signature import sign

__all__ = ["MARGIN_SECONDS", "SCHEMES", "Outgoing", "outgoing"]

SCHEMES = {"signedhook": "http", "signedhooks": "https"}
"""The URL schemes of the signed webhook and the transport each means."""
MARGIN_SECONDS = 0.5
"""How far past the sender's timeout a destination's own timeouts are set: the sender stops
waiting first and says so plainly, and the call it left behind ends soon after."""
# Messages logged here reach the sender through apprise's per-destination capture: they are
# the reason given when a message is not delivered. They name the host, never the URL.
_log = logging.getLogger("apprise")


@dataclass(frozen=True)
class Outgoing:
    """What the sender knows of the message beyond its title and body."""

    brand: str = ""
    kind: str = ""
    timeout: float = 20.0


outgoing: ContextVar[Outgoing | None] = ContextVar("feedpub_outgoing", default=None)
"""Set by the sender around each apprise call; apprise runs the destination in a copy of the
caller's context."""


@notify(on="signedhook", name="feedpub signed webhook (HTTP)")
def _post_over_http(
    body: str, title: str, notify_type: str, *args: Any, meta: dict[str, Any], **kwargs: Any
) -> bool:
    return _post("http", body, title, meta)


@notify(on="signedhooks", name="feedpub signed webhook (HTTPS)")
def _post_over_https(
    body: str, title: str, notify_type: str, *args: Any, meta: dict[str, Any], **kwargs: Any
) -> bool:
    return _post("https", body, title, meta)


def _post(transport: str, body: str, title: str, meta: dict[str, Any]) -> bool:
    secret = meta.get("qsd", {}).get("secret", "")
    if not secret:
        _log.warning("the signed webhook's URL has no ?secret=")
        return False
    message, event_id = split_event_line(body)
    if not event_id:
        _log.warning("the message has no event line to sign")
        return False
    sending = outgoing.get() or Outgoing()
    payload = json.dumps(
        {
            "event_id": event_id,
            "brand": sending.brand,
            "kind": sending.kind,
            "title": title,
            "message": message,
            "sent_at": datetime.now(UTC).isoformat(timespec="seconds"),
        },
        ensure_ascii=False,
    ).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "feedpub"}
    headers.update(sign(secret, event_id, payload))
    host = meta.get("host", "")
    try:
        answer = httpx.post(
            _target(transport, meta),
            content=payload,
            headers=headers,
            timeout=sending.timeout + MARGIN_SECONDS,
            verify=bool(meta.get("verify", True)),
        )
    except httpx.TimeoutException:
        _log.warning("%s gave no answer within %g s", host, sending.timeout)
        return False
    except httpx.HTTPError as exc:
        _log.warning("could not reach %s (%s)", host, type(exc).__name__)
        return False
    if not answer.is_success:
        _log.warning("%s answered HTTP %s", host, answer.status_code)
        return False
    return True


def _target(transport: str, meta: dict[str, Any]) -> str:
    """The receiver's URL: the destination's, less the secret."""
    port = f":{meta['port']}" if meta.get("port") else ""
    query = {k: v for k, v in meta.get("qsd", {}).items() if k != "secret"}
    tail = f"?{urlencode(query)}" if query else ""
    return f"{transport}://{meta.get('host', '')}{port}{meta.get('fullpath', '/')}{tail}"
