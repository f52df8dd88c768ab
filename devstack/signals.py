"""Stop the embedded stack cleanly on SIGTERM (``kill``, ``timeout``, a supervisor) as on Ctrl-C.

Python's default for SIGTERM ends the process without running ``finally`` blocks, which would
leave the embedded PostgreSQL (a daemon, not our child) running. SIGTERM is handled here, not
passed on as SIGINT: under ``nohup``, a shell script's ``&`` and some supervisors SIGINT is
ignored, and a SIGTERM turned into it would be lost.

Outside an event loop SIGTERM raises ``Terminated``, a KeyboardInterrupt, so that what stops
cleanly on Ctrl-C (our ``finally`` blocks, pytest's teardown) stops cleanly on SIGTERM too.
Inside ``run_until_stopped`` it cancels the main task, as asyncio does on Ctrl-C, and
``Terminated`` is raised once the loop has wound down: an exception raised by a signal handler
in a running loop would land in whichever task happens to run. A SIGTERM that arrives while a
stop is under way is ignored so that the stop can finish (SIGKILL is there for one that hangs).
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, TypeVar

__all__ = [
    "Terminated",
    "exit_code",
    "run_until_stopped",
    "stop_on_sigterm",
    "stopping",
    "stops_held",
]

T = TypeVar("T")
_stopping = False


class Terminated(KeyboardInterrupt):
    """The process was asked to stop with SIGTERM."""


def exit_code(interrupt: KeyboardInterrupt) -> int:
    """128 + the signal that stopped the process: 143 for SIGTERM, 130 for Ctrl-C."""
    return 128 + (signal.SIGTERM if isinstance(interrupt, Terminated) else signal.SIGINT)


def _first_request() -> bool:
    global _stopping
    first, _stopping = not _stopping, True
    return first


def stopping() -> None:
    """The process is stopping (on request or at its end): a SIGTERM from now on is ignored."""
    _first_request()


def _terminate(signum: int, frame: FrameType | None) -> None:
    if _first_request():
        raise Terminated


def stop_on_sigterm() -> None:
    """From now on SIGTERM raises ``Terminated`` (outside ``run_until_stopped``)."""
    signal.signal(signal.SIGTERM, _terminate)


def run_until_stopped(main: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(main)``; SIGTERM cancels ``main``, then ``Terminated`` is raised."""

    async def guarded() -> T:
        loop, task = asyncio.get_running_loop(), asyncio.current_task()
        assert task is not None

        def cancel(signum: int, frame: FrameType | None) -> None:
            if _first_request():
                # Thread-safe scheduling also wakes a loop that is waiting in select().
                loop.call_soon_threadsafe(task.cancel)

        # signal.signal rather than loop.add_signal_handler: the loop's removal of its
        # handler would leave SIGTERM at its default (end the process) for a moment.
        signal.signal(signal.SIGTERM, cancel)
        try:
            return await main
        finally:
            stop_on_sigterm()

    try:
        return asyncio.run(guarded())
    except asyncio.CancelledError:
        if _stopping:
            raise Terminated from None
        raise


@contextmanager
def stops_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block ends, then take the first one.

    For starting a daemon (PostgreSQL): interrupted half-way, it would run on with nothing
    recorded to stop it. Outside the main thread, where signals are not handled, it does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    stops = (signal.SIGINT, signal.SIGTERM)
    previous = {
        stop: signal.signal(stop, lambda signum, frame: held.append(signum)) for stop in stops
    }
    try:
        yield
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, signal.SIG_DFL if handler is None else handler)
    if held:
        signal.raise_signal(held[0])  # to the handler restored above (ignored where SIGINT is)
