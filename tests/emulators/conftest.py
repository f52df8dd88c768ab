"""The Anthropic emulator served over HTTP, and the real SDK pointed at it, for the emulator
tests; each test that uses them starts with no faults armed and an empty request log."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import anthropic
import pytest

from devstack.anthropic_emulator import AnthropicEmulator
from devstack.serve import ServedApp, serve_in_thread

API_KEY = f"sk-test-{uuid.uuid4().hex}"


@pytest.fixture(scope="module")
def emulator() -> AnthropicEmulator:
    return AnthropicEmulator(api_key=API_KEY, seed=7)


@pytest.fixture(scope="module")
def served(emulator: AnthropicEmulator) -> Iterator[ServedApp]:
    running = serve_in_thread(emulator.app)
    yield running
    running.stop()


@pytest.fixture
def fresh_emulator(emulator: AnthropicEmulator) -> AnthropicEmulator:
    emulator.clear_faults()
    emulator.request_log.clear()
    return emulator


@pytest.fixture
async def claude(
    served: ServedApp, fresh_emulator: AnthropicEmulator
) -> AsyncIterator[anthropic.AsyncAnthropic]:
    async with anthropic.AsyncAnthropic(api_key=API_KEY, base_url=served.url, max_retries=0) as c:
        yield c
