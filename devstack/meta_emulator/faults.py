"""Fault injection: rules that make chosen Graph endpoints fail, stall or lose responses."""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import asdict, dataclass, fields
from typing import Any

from .fault_answers import PERMISSION_CODES, PROXY_STATUS, THROTTLE_MESSAGES

ENDPOINTS = (
    "facebook_photos",
    "facebook_feed",
    "facebook_posts",
    "instagram_media",
    "instagram_media_list",
    "instagram_status",
    "instagram_publish",
    "publishing_limit",
    "insights",
    "debug_token",
)
FAULT_KINDS = (
    "server_error",
    "throttle",
    "token_expired",
    "latency",
    "drop_after_accept",
    "stuck_in_progress",
    "temporarily_blocked",
    "permission_denied",
    "proxy_html",
    "no_body",
)


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
    """Throttle code (4, 17, 32, 613, 80001, 80002), default 32 on Pages, 80002 on Instagram;
    or permission code (10, the default, or 200)."""
    regain_minutes: float = 5
    """``estimated_time_to_regain_access`` in the throttle's usage header: any number, also
    ``inf`` (written ``Infinity``) or a negative one, as a hostile header would say."""
    is_transient: bool | None = True
    """The throttle's ``is_transient`` flag; None leaves it out, as in Meta's documented
    error bodies: a client cannot count on it."""
    status: int | None = None
    """HTTP status of a ``proxy_html`` (default 403) or ``no_body`` (default 429) answer."""
    retry_after: str | None = None
    """``Retry-After`` header of a ``proxy_html`` or ``no_body`` answer, as sent (``"30"``,
    ``"Infinity"``, ``"-5"``)."""

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"kind must be one of {FAULT_KINDS}, not {self.kind!r}")
        if self.endpoint != "*" and self.endpoint not in ENDPOINTS:
            raise ValueError(f"endpoint must be '*' or one of {ENDPOINTS}, not {self.endpoint!r}")
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError("probability must be between 0 and 1")
        codes = {"throttle": tuple(THROTTLE_MESSAGES), "permission_denied": PERMISSION_CODES}
        allowed = codes.get(self.kind, ())
        if self.code is not None and self.code not in allowed:
            raise ValueError(f"code of a {self.kind} rule must be one of {sorted(allowed)}")
        if self.status is not None and (
            self.kind not in PROXY_STATUS or not 400 <= self.status < 600
        ):
            raise ValueError("status is for proxy_html and no_body rules, between 400 and 599")

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
