"""Stop the embedded stack cleanly on SIGTERM too (``kill``, ``timeout``, a closing terminal).

Python's default for SIGTERM ends the process without running ``finally`` blocks, which would
leave the embedded PostgreSQL (a daemon, not our child) running. SIGTERM is turned into
SIGINT, so it takes the path of Ctrl-C: inside ``asyncio.run`` the main task is cancelled and
its ``finally`` blocks run; outside, KeyboardInterrupt.
"""

from __future__ import annotations

import signal
from types import FrameType

__all__ = ["stop_on_sigterm"]


def _interrupt(signum: int, frame: FrameType | None) -> None:
    signal.raise_signal(signal.SIGINT)


def stop_on_sigterm() -> None:
    signal.signal(signal.SIGTERM, _interrupt)
