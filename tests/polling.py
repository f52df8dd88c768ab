"""Waiting in a test for something to come true: ask again and again until a deadline, never
sleep for a guessed time."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest

__all__ = ["poll"]

T = TypeVar("T")


async def poll(
    check: Callable[[], T | Awaitable[T]],
    what: str | Callable[[], str],
    *,
    timeout: float = 20.0,
    every: float = 0.1,
    ignoring: tuple[type[Exception], ...] = (),
) -> T:
    """Call ``check`` (plain or async) until it answers something truthy, and return that.

    Args:
        check: asks once; an assertion it raises fails the test at once.
        what: what is awaited, for the failure message ("the run to ask for approval"), or
            a function that says it when the test fails (with what was seen by then).
        timeout: seconds until the test fails.
        every: seconds between two questions (0: just let other tasks run).
        ignoring: errors that mean "not yet" (a server still starting); the last one is
            named in the failure.
    """
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while True:
        try:
            found = check()
            if inspect.isawaitable(found):
                found = await found
        except ignoring as error:
            found, last = None, error
        if found:
            return found
        if time.monotonic() > deadline:
            because = f" (last: {last!r})" if last is not None else ""
            awaited = what() if callable(what) else what
            pytest.fail(f"gave up after {timeout:g} s waiting for {awaited}{because}")
        await asyncio.sleep(every)
