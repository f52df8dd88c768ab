"""Message Batches as the emulator keeps them: created, ended on the emulator's clock, results.

A batch ends ``BatchTiming.next_delay()`` after its creation: then every request is answered
(``succeeded``, or ``errored`` when its params fail the Messages API's checks, which the API
also makes only while processing). A batch not ended 24 hours after its creation ends with
its requests ``expired``; a cancelled one with its requests ``canceled``. The state is worked
out from the clock whenever a batch is looked at, so moving the clock ends batches.

Requests are answered when the batch ends, so the answer faults armed then (`refusal`,
`non_json`, `wrong_language`, ...) change a batch's answers as they would an ordinary one;
the HTTP-error and `latency` faults are for `POST /v1/messages` only.
"""

from __future__ import annotations

import re
import secrets
import string
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .batch_timing import BATCH_LIFETIME_SECONDS, BatchTiming
from .clock import EmulatorClock
from .errors import ApiError, invalid_request

__all__ = ["MAX_BATCH_REQUESTS", "Batch", "BatchStore"]

MAX_BATCH_REQUESTS = 100_000
_CUSTOM_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
_ID_ALPHABET = string.ascii_letters + string.digits

Answer = Callable[[Any, float], dict[str, Any]]
"""Processes one request's params at a moment: a ``succeeded`` or ``errored`` result."""


@dataclass
class Batch:
    id: str
    requests: list[tuple[str, Any]]
    """(custom_id, params) in the order they were sent."""
    created_at: float
    ends_at: float | None
    """When processing ends, from the batch timing; None: never (the batch expires)."""
    cancel_initiated_at: float | None = None
    ended_at: float | None = None
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Each request's result by custom_id, once the batch has ended."""

    @property
    def expires_at(self) -> float:
        return self.created_at + BATCH_LIFETIME_SECONDS

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("processing", "succeeded", "errored", "canceled", "expired"), 0)
        if self.ended_at is None:
            counts["processing"] = len(self.requests)
        for result in self.results.values():
            counts[result["type"]] += 1
        return counts


class BatchStore:
    """Every batch created on the emulator, newest last."""

    def __init__(self, clock: EmulatorClock, timing: BatchTiming, answer: Answer) -> None:
        self.clock = clock
        self.timing = timing
        self._answer = answer
        self._batches: dict[str, Batch] = {}
        self._lock = threading.RLock()

    def create(self, body: Any) -> Batch:
        """A new batch from a ``POST /v1/messages/batches`` body.

        Raises:
            ApiError: 400 for a body the API refuses at once (its shape, custom ids).
        """
        requests = _requests_of(body)
        now = self.clock.now()
        delay = self.timing.next_delay()
        batch_id = "msgbatch_01" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(22))
        batch = Batch(batch_id, requests, now, None if delay is None else now + delay)
        with self._lock:
            self._batches[batch_id] = batch
        return batch

    def get(self, batch_id: str) -> Batch:
        """The batch as it stands now on the clock. Raises ApiError 404 for an unknown id."""
        with self._lock:
            batch = self._batches.get(batch_id)
            if batch is None:
                raise ApiError("not_found_error", f"message batch {batch_id} not found")
            self._settle(batch, self.clock.now())
            return batch

    def cancel(self, batch_id: str) -> Batch:
        """Cancel a batch still in progress: its requests end ``canceled``.

        Raises:
            ApiError: 404 for an unknown id, 400 for a batch that has already ended.
        """
        with self._lock:
            batch = self.get(batch_id)
            if batch.ended_at is not None:
                raise invalid_request(f"message batch {batch_id} has ended and cannot be canceled")
            batch.cancel_initiated_at = self.clock.now()
            self._settle(batch, batch.cancel_initiated_at)
            return batch

    def delete(self, batch_id: str) -> None:
        """Raises ApiError 404 for an unknown id, 400 for a batch still in progress."""
        with self._lock:
            if self.get(batch_id).ended_at is None:
                raise invalid_request(f"message batch {batch_id} is in progress: cancel it first")
            del self._batches[batch_id]

    def newest_first(self) -> list[Batch]:
        with self._lock:
            return [self.get(batch_id) for batch_id in reversed(self._batches)]

    def _settle(self, batch: Batch, now: float) -> None:
        if batch.ended_at is not None:
            return
        ends_at = batch.ends_at
        if batch.cancel_initiated_at is not None:
            batch.ended_at = batch.cancel_initiated_at
            batch.results = {cid: {"type": "canceled"} for cid, _ in batch.requests}
        elif ends_at is not None and ends_at < batch.expires_at and now >= ends_at:
            batch.results = {cid: self._answer(params, ends_at) for cid, params in batch.requests}
            batch.ended_at = ends_at
        elif now >= batch.expires_at:
            batch.ended_at = batch.expires_at
            batch.results = {cid: {"type": "expired"} for cid, _ in batch.requests}


def _requests_of(body: Any) -> list[tuple[str, Any]]:
    if not isinstance(body, dict):
        raise invalid_request("body: Input should be a valid dictionary")
    for name in body:
        if name != "requests":
            raise invalid_request(f"{name}: Extra inputs are not permitted")
    requests = body.get("requests")
    if not isinstance(requests, list) or not requests:
        raise invalid_request("requests: at least one request is required")
    if len(requests) > MAX_BATCH_REQUESTS:
        raise invalid_request(f"requests: at most {MAX_BATCH_REQUESTS:,} requests per batch")
    seen: dict[str, int] = {}
    checked = []
    for index, request in enumerate(requests):
        where = f"requests.{index}"
        if not isinstance(request, dict):
            raise invalid_request(f"{where}: Input should be a valid dictionary")
        custom_id, params = request.get("custom_id"), request.get("params")
        if not isinstance(custom_id, str) or not _CUSTOM_ID.match(custom_id):
            raise invalid_request(
                f"{where}.custom_id: 1 to 64 characters of letters, digits, '_' and '-'"
            )
        if custom_id in seen:
            raise invalid_request(
                f"{where}.custom_id: '{custom_id}' is already used by requests.{seen[custom_id]}"
            )
        if not isinstance(params, dict):
            raise invalid_request(f"{where}.params: Input should be a valid dictionary")
        seen[custom_id] = index
        checked.append((custom_id, params))
    return checked
