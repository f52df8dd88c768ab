"""Fault injection: rules that make chosen Graph endpoints fail, stall or lose responses."""

from __future__ import annotations

import json
import random
import threading
from collections import Counter
from dataclasses import asdict, dataclass, fields
from typing import Any

from .errors import GraphError, expired_token, unexpected_error

ENDPOINTS = (
    "facebook_photos",
    "facebook_feed",
    "facebook_posts",
    "instagram_media",
    "instagram_media_list",
    "instagram_status",
    "instagram_publish",
    "publishing_limit",
    "debug_token",
)
FAULT_KINDS = (
    "server_error",
    "throttle",
    "token_expired",
    "latency",
    "drop_after_accept",
    "stuck_in_progress",
)
THROTTLE_MESSAGES = {
    4: "(#4) Application request limit reached",
    17: "(#17) User request limit reached",
    32: "(#32) Page request limit reached",
    613: "(#613) Calls to this api have exceeded the rate limit.",
    80001: "(#80001) There have been too many calls to this Page account. "
    "Wait a bit and try again.",
    80002: "(#80002) There have been too many calls to this Instagram account. "
    "Wait a bit and try again.",
}


@dataclass(frozen=True)
class FaultRule:
    """Which requests fail and how; ``times`` and ``probability`` may be combined."""

    kind: str
    """One of ``FAULT_KINDS``."""
    endpoint: str = "*"
    """One of ``ENDPOINTS``, or ``"*"`` for every Graph endpoint."""
    times: int | None = None
    """Fire on the first N matching requests only; ``None`` means no limit."""
    probability: float = 1.0
    """Chance that a matching request is hit, drawn from the emulator's seeded RNG."""
    seconds: float = 0.0
    """Delay added by a ``latency`` rule."""
    code: int | None = None
    """Throttle code (4, 17, 32, 613, 80001, 80002); default 32 on Pages, 80002 on Instagram."""
    regain_minutes: int = 5
    """``estimated_time_to_regain_access`` in the throttle's usage header."""

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"kind must be one of {FAULT_KINDS}, not {self.kind!r}")
        if self.endpoint != "*" and self.endpoint not in ENDPOINTS:
            raise ValueError(f"endpoint must be '*' or one of {ENDPOINTS}, not {self.endpoint!r}")
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError("probability must be between 0 and 1")
        if self.code is not None and self.code not in THROTTLE_MESSAGES:
            raise ValueError(f"throttle code must be one of {sorted(THROTTLE_MESSAGES)}")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FaultRule:
        """Build a rule from the JSON sent to ``POST /_emulator/faults``."""
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"unknown fault rule fields: {sorted(unknown)}")
        return cls(**data)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class FaultBook:
    """The active rules, a seeded RNG, and a count of requests per endpoint."""

    def __init__(self, seed: int | None = None) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._rules: list[tuple[FaultRule, list[int | None]]] = []
        self.request_counts: Counter[str] = Counter()

    def add(self, rule: FaultRule) -> None:
        with self._lock:
            self._rules.append((rule, [rule.times]))

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def reset(self) -> None:
        with self._lock:
            self._rules.clear()
            self.request_counts.clear()

    def draw(self, endpoint: str) -> list[FaultRule]:
        """Count one request to ``endpoint`` and return the rules that hit it."""
        hits: list[FaultRule] = []
        with self._lock:
            self.request_counts[endpoint] += 1
            for rule, remaining in self._rules:
                if rule.endpoint not in ("*", endpoint) or remaining[0] == 0:
                    continue
                if rule.probability < 1.0 and self._rng.random() >= rule.probability:
                    continue
                if remaining[0] is not None:
                    remaining[0] -= 1
                hits.append(rule)
        return hits


def fault_error(rule: FaultRule, endpoint: str, object_id: str, now: float) -> GraphError | None:
    """The error a rule answers with before the request is served, if it is that kind."""
    if rule.kind == "server_error":
        return unexpected_error()
    if rule.kind == "token_expired":
        return expired_token(now - 60, now)
    if rule.kind == "throttle":
        return throttle_error(rule, endpoint, object_id)
    return None


def throttle_error(rule: FaultRule, endpoint: str, object_id: str) -> GraphError:
    instagram = endpoint.startswith("instagram") or endpoint == "publishing_limit"
    code = rule.code or (80002 if instagram else 32)
    usage = {"call_count": 100, "total_cputime": 100, "total_time": 100}
    if code in (4, 17):
        # App- and user-level limits are reported in X-App-Usage, without a regain estimate.
        header = {"X-App-Usage": json.dumps(usage)}
        return GraphError(
            code, THROTTLE_MESSAGES[code], status=403, is_transient=True, headers=header
        )
    business_usage = {
        object_id or "0": [
            {
                "type": "instagram" if instagram else "pages",
                **usage,
                "estimated_time_to_regain_access": rule.regain_minutes,
            }
        ]
    }
    header = {"X-Business-Use-Case-Usage": json.dumps(business_usage)}
    return GraphError(code, THROTTLE_MESSAGES[code], is_transient=True, headers=header)
