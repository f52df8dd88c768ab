"""The tests' one way to wait: ask again until an answer comes, and fail by the deadline
naming what never came."""

from __future__ import annotations

import time

import pytest

from tests.polling import poll


async def test_the_first_truthy_answer_is_returned_plain_or_awaited() -> None:
    plain = iter([0, None, 7])
    awaited = iter([None, [], "ready"])

    async def asked() -> str | None:
        return next(awaited) or None

    assert await poll(lambda: next(plain), "seven", every=0) == 7
    assert await poll(asked, "ready", every=0) == "ready"


async def test_a_deadline_fails_the_test_naming_what_was_awaited_and_the_last_error() -> None:
    def starting() -> bool:
        raise ConnectionRefusedError("not listening yet")

    began = time.monotonic()
    with pytest.raises(pytest.fail.Exception) as failed:
        await poll(starting, lambda: "the server", timeout=0.05, every=0.01,
                   ignoring=(ConnectionError,))  # fmt: skip

    assert time.monotonic() - began < 1
    assert "waiting for the server" in str(failed.value)
    assert "not listening yet" in str(failed.value)


async def test_an_error_that_does_not_mean_not_yet_fails_at_once() -> None:
    def broken() -> bool:
        raise AssertionError("the process exited")

    began = time.monotonic()
    with pytest.raises(AssertionError, match="the process exited"):
        await poll(broken, "an answer", timeout=30, ignoring=(ConnectionError,))
    assert time.monotonic() - began < 1
