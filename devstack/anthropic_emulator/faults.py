"""Faults the emulator can inject on `POST /v1/messages`, for tests and benchmarks."""

from __future__ import annotations

import math
import random
import threading
from dataclasses import asdict, dataclass

from .errors import ApiError

FAULT_KINDS: tuple[str, ...] = ("rate_limit", "server_error", "overloaded", "latency", "refusal")
FAULT_KINDS += ("non_json", "wrong_language", "long_caption", "many_hashtags")
"""HTTP errors (`rate_limit` 429, `server_error` 500, `overloaded` 529), added `latency`, and
answers the product must cope with: `refusal` (200, stop_reason `refusal`, no content),
`non_json` (200, prose although a JSON schema was asked), and JSON that breaks a caption rule
as a model sometimes does: `wrong_language` (English, or French when English was asked; in
every field, or in the one `field` named), `long_caption` (Instagram caption over 2,200
characters), `many_hashtags` (40 hashtags)."""


@dataclass
class Fault:
    """One armed fault."""

    kind: str
    times: int | None
    """How many more requests it hits; None for every request until cleared."""
    probability: float | None
    """Chance that it hits a given request; None for always."""
    seconds: float
    """Added delay for `latency`; the `retry-after` value for `rate_limit`."""
    field: str | None = None
    """For `wrong_language`: the one property of the JSON answer written in the wrong
    language (`facebook_caption`, say); None for every property."""


class FaultPlan:
    """The armed faults, shared by the serving thread and the test that arms them."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._faults: dict[str, Fault] = {}
        self._lock = threading.Lock()

    def arm(
        self,
        kind: str,
        *,
        times: int | None = None,
        probability: float | None = None,
        seconds: float | None = None,
        field: str | None = None,
    ) -> None:
        """Arm `kind`, replacing an earlier fault of the same kind.

        Raises:
            ValueError: for an unknown kind, out-of-range numbers, or a `field` given to a
                kind other than `wrong_language`.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {FAULT_KINDS}")
        if field is not None and kind != "wrong_language":
            raise ValueError("field is for wrong_language only")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1")
        if probability is not None and not 0 <= probability <= 1:
            raise ValueError("probability must be between 0 and 1")
        delay = 1.0 if seconds is None else seconds
        with self._lock:
            self._faults[kind] = Fault(kind, times, probability, delay, field)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def armed(self) -> list[dict[str, object]]:
        with self._lock:
            return [asdict(fault) for fault in self._faults.values()]

    def take(self, kind: str) -> Fault | None:
        """The fault of `kind` if it hits this request, counting the hit."""
        with self._lock:
            fault = self._faults.get(kind)
            if fault is None:
                return None
            if fault.probability is not None and self._rng.random() >= fault.probability:
                return None
            if fault.times is not None:
                fault.times -= 1
                if fault.times == 0:
                    del self._faults[kind]
            return fault

    def take_http_error(self) -> ApiError | None:
        """The first armed HTTP-error fault that hits this request, as the API would send it."""
        if fault := self.take("rate_limit"):
            retry_after = str(max(1, math.ceil(fault.seconds)))
            message = "This request would exceed your organization's rate limit. Try again later."
            return ApiError("rate_limit_error", message, headers={"retry-after": retry_after})
        if self.take("server_error"):
            return ApiError("api_error", "Internal server error")
        if self.take("overloaded"):
            return ApiError("overloaded_error", "Overloaded")
        return None
