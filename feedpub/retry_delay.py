"""The bound on how long a retry may be put off, applied on both sides of the wire.

A delay asked for by an outside answer (Meta's regain-time header, a ``Retry-After``) is text
that anything between us and the API can write. ``Infinity`` would crash the worker
(``timedelta`` overflows), ``1e12`` would park a run for millennia, ``-5`` would ask for a
retry in the past. The server bounds what it puts in ``retry_after_seconds``; the worker
bounds it again when it turns it into Temporal's next retry delay.
"""

from __future__ import annotations

import math

__all__ = ["MAX_RETRY_DELAY_SECONDS", "bounded_retry_delay"]

MAX_RETRY_DELAY_SECONDS = 3600.0


def bounded_retry_delay(seconds: object) -> float | None:
    """``seconds`` (a number or its text) brought into 0 s – 1 h; None when it is no number."""
    if seconds is None or isinstance(seconds, bool):
        return None
    try:
        value = float(seconds)  # type: ignore[arg-type]
    except OverflowError:  # an integer too large for a float
        return MAX_RETRY_DELAY_SECONDS
    except (TypeError, ValueError):
        return None
    if math.isnan(value):
        return None
    return min(max(value, 0.0), MAX_RETRY_DELAY_SECONDS)
