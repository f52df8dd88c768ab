"""How an MCP server tells the worker why a tool failed, written and read here only.

A failing tool answers one text block holding a JSON object that opens with the marker
``"feedpub-error": 1``, then a stable ``type``, whether a retry can help (``retryable``), the
``reason`` in words a brand manager understands, and ``details`` (for a rate limit,
``retry_after_seconds``). The MCP SDK puts its own words before a tool error's text, so the
reader starts at the marker instead of reading the text as a whole.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ToolFailure", "decode_failure", "encode_failure"]

_MARKER = "feedpub-error"
_OPENING = '{"feedpub-error": 1'


@dataclass(frozen=True)
class ToolFailure:
    type: str
    """Stable name of what went wrong (``NoUnusedPhoto``, ``RateLimited``...)."""
    reason: str
    """What happened, in plain words."""
    retryable: bool
    details: dict[str, Any] = field(default_factory=dict)


def encode_failure(failure: ToolFailure) -> str:
    payload = {
        _MARKER: 1,
        "type": failure.type,
        "reason": failure.reason,
        "retryable": failure.retryable,
        "details": failure.details,
    }
    return json.dumps(payload, ensure_ascii=False, default=str)


def decode_failure(text: str) -> ToolFailure | None:
    """The failure a server encoded in ``text``; None for any other text (a server's crash,
    a proxy's error page), which the caller treats as a passing outage."""
    start = text.find(_OPENING)
    if start < 0:
        return None
    try:
        payload, _end = json.JSONDecoder().raw_decode(text, start)
    except ValueError:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
        return None
    details = payload.get("details")
    return ToolFailure(
        type=payload["type"],
        reason=str(payload.get("reason", "")),
        retryable=payload.get("retryable") is not False,
        details=details if isinstance(details, dict) else {},
    )
