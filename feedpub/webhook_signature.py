"""Signing feedpub's webhook messages, and checking them where they arrive.

A signed webhook is a JSON ``POST`` with three headers: the time it was signed (Unix seconds),
the message's event id, and ``sha256=<hex>``, an HMAC-SHA256 with the destination's secret over
``"<timestamp>.<event id>.<body>"``. A receiver that holds the same secret recomputes it: a
mismatch means the message was not ours or was changed on the way; a timestamp older than a
few minutes means it is replayed. The event id, signed too, lets the receiver drop a repeat of
a message it already has (feedpub delivers at least once).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping, Sequence

__all__ = [
    "DEFAULT_TOLERANCE_SECONDS",
    "EVENT_HEADER",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "SignatureRefused",
    "sign",
    "signature",
    "verify",
]

TIMESTAMP_HEADER = "X-Feedpub-Timestamp"
EVENT_HEADER = "X-Feedpub-Event-Id"
SIGNATURE_HEADER = "X-Feedpub-Signature"
DEFAULT_TOLERANCE_SECONDS = 300
"""How old (or how far ahead, for a clock that runs fast) a signed time may be."""


class SignatureRefused(Exception):
    """The message cannot be trusted; the text says why (never a secret)."""


def signature(secret: str, timestamp: str, event_id: str, body: bytes) -> str:
    """``sha256=<hex>`` over ``"<timestamp>.<event id>.<body>"`` with ``secret``."""
    signed = f"{timestamp}.{event_id}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def sign(secret: str, event_id: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    """The headers that let a receiver holding ``secret`` trust ``body``."""
    timestamp = str(int(time.time() if now is None else now))
    return {
        TIMESTAMP_HEADER: timestamp,
        EVENT_HEADER: event_id,
        SIGNATURE_HEADER: signature(secret, timestamp, event_id, body),
    }


def verify(
    secrets: str | Sequence[str],
    headers: Mapping[str, str],
    body: bytes,
    *,
    tolerance: float = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> str:
    """The event id of a message signed with one of ``secrets`` (several while a secret is
    being replaced) within ``tolerance`` seconds of ``now``; SignatureRefused otherwise.

    ``headers`` may be any mapping (a framework's case-insensitive one or a plain dict); the
    body must be the bytes received, before any JSON parsing.
    """
    found = {name.lower(): value for name, value in headers.items()}
    timestamp = found.get(TIMESTAMP_HEADER.lower(), "")
    event_id = found.get(EVENT_HEADER.lower(), "")
    given = found.get(SIGNATURE_HEADER.lower(), "")
    if not (timestamp and event_id and given):
        missing = [
            header
            for header, value in (
                (TIMESTAMP_HEADER, timestamp),
                (EVENT_HEADER, event_id),
                (SIGNATURE_HEADER, given),
            )
            if not value
        ]
        raise SignatureRefused(f"missing header {', '.join(missing)}")
    if not timestamp.isdigit():
        raise SignatureRefused(f"{TIMESTAMP_HEADER} is not a Unix time in seconds")
    age = (time.time() if now is None else now) - int(timestamp)
    if abs(age) > tolerance:
        raise SignatureRefused(
            f"signed {abs(age):.0f} s {'ago' if age > 0 else 'ahead'}, "
            f"more than the {tolerance:g} s allowed: a replay, or a clock that is off"
        )
    keys = [secrets] if isinstance(secrets, str) else list(secrets)
    # Each comparison takes the same time wherever the strings differ: no byte is guessable.
    if not any(
        hmac.compare_digest(given.encode(), signature(key, timestamp, event_id, body).encode())
        for key in keys
    ):
        raise SignatureRefused("signature does not match: another secret, or a changed message")
    return event_id
