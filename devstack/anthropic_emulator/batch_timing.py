"""How long a Message Batch takes in the emulator: drawn from a fixed distribution, or fixed.

Anthropic says most batches end within an hour and every batch within 24 hours, after which
its unprocessed requests expire. The emulator draws each batch's delay so that 90 % end
within 30 minutes, 8 % within 6 hours and 2 % never (they expire at 24 h). Within each share
the delay is log-uniform (from 1 to 30 minutes, from 30 minutes to 6 hours), so short waits
are the common case. Draws come from a seeded generator: the same seed, the same delays.
"""

from __future__ import annotations

import math
import random
import threading
from dataclasses import dataclass

__all__ = ["BATCH_LIFETIME_SECONDS", "DISTRIBUTION", "BatchTiming", "Share"]

BATCH_LIFETIME_SECONDS = 24 * 3600.0
"""A batch not ended this long after its creation expires."""


@dataclass(frozen=True)
class Share:
    """A share of batches whose delay falls between two bounds (None: they never end)."""

    probability: float
    shortest: float | None
    longest: float | None


DISTRIBUTION = (
    Share(0.90, 60.0, 30 * 60.0),
    Share(0.08, 30 * 60.0, 6 * 3600.0),
    Share(0.02, None, None),
)


class BatchTiming:
    """The delay of each new batch: ``fixed_seconds`` for all of them, or drawn.

    Args:
        seed: Seeds the draws (``None`` draws differently each run).
        fixed_seconds: Every batch ends this long after its creation; ``math.inf`` makes every
            batch expire. None draws from ``DISTRIBUTION``.
    """

    def __init__(self, *, seed: int | None = 0, fixed_seconds: float | None = None) -> None:
        if fixed_seconds is not None and not fixed_seconds >= 0:
            raise ValueError(f"a batch delay is ≥ 0 seconds, not {fixed_seconds}")
        self.fixed_seconds = fixed_seconds
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def next_delay(self) -> float | None:
        """Seconds from creation until the next batch ends; None if it never does."""
        if self.fixed_seconds is not None:
            return None if math.isinf(self.fixed_seconds) else self.fixed_seconds
        with self._lock:
            return draw(self._rng)


def draw(rng: random.Random) -> float | None:
    """One delay from ``DISTRIBUTION``."""
    chance = rng.random()
    for share in DISTRIBUTION:
        if chance < share.probability:
            if share.shortest is None or share.longest is None:
                return None
            low, high = math.log(share.shortest), math.log(share.longest)
            return math.exp(rng.uniform(low, high))
        chance -= share.probability
    return None
