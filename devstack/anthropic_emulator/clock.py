"""The emulator's clock: real time, moved forward (or set) by a test.

Temporal's time skipping moves only Temporal's clock. A test that skips a planned run's 18
hours moves this clock too (``POST /admin/clock``), so that Message Batches end and prompt
cache entries expire as they would have in that time.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime


class EmulatorClock:
    """Seconds since the epoch: the machine's time plus an offset that only grows or is set."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return time.time() + self._offset

    def advance(self, seconds: float) -> float:
        """Move the clock forward by ``seconds`` (≥ 0); returns the new time.

        Raises:
            ValueError: for a negative or non-finite number of seconds.
        """
        if not 0 <= seconds < float("inf"):
            raise ValueError(f"advance_seconds must be a finite number ≥ 0, not {seconds}")
        with self._lock:
            self._offset += seconds
        return self.now()

    def set(self, moment: datetime) -> float:
        """Make the clock show ``moment`` (timezone-aware) from now on; it runs on from there.

        Raises:
            ValueError: for a naive datetime.
        """
        if moment.tzinfo is None:
            raise ValueError("now must carry a UTC offset, such as 2026-11-20T09:00:00Z")
        with self._lock:
            self._offset = moment.timestamp() - time.time()
        return self.now()


def rfc3339(seconds: float) -> str:
    """A moment as the API writes it: ``2026-11-20T09:00:00.123456Z``."""
    return datetime.fromtimestamp(seconds, UTC).isoformat().replace("+00:00", "Z")
