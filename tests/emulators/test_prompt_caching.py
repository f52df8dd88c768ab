"""Prompt caching in the emulator as Anthropic bills it: only prefixes of at least the model's
minimum length are cached, entries live 5 minutes (1 hour with `ttl`) on the emulator's clock,
and batches read and write the same cache as ordinary requests."""

from __future__ import annotations

import math
import uuid
from typing import Any

import anthropic
import pytest

from devstack.anthropic_emulator import AnthropicEmulator

pytestmark = pytest.mark.usefixtures("fresh_emulator")


def rules_of(tokens: int) -> str:
    """A system prompt of about `tokens` tokens (the emulator counts 4 characters a token)."""
    head = f"Brand rules {uuid.uuid4()}: "
    return head + "x" * (tokens * 4 - len(head))


def request(rules: str, model: str = "claude-sonnet-5-5", ttl: str | None = None) -> Any:
    cache_control = {"type": "ephemeral", **({"ttl": ttl} if ttl else {})}
    return {
        "model": model,
        "max_tokens": 50,
        "system": [{"type": "text", "text": rules, "cache_control": cache_control}],
        "messages": [{"role": "user", "content": "Hi"}],
    }


async def cache_use(claude: anthropic.AsyncAnthropic, params: Any) -> tuple[int, int]:
    usage = (await claude.messages.create(**params)).usage
    return usage.cache_creation_input_tokens or 0, usage.cache_read_input_tokens or 0


@pytest.mark.parametrize(
    ("model", "tokens", "cached"),
    [
        pytest.param("claude-sonnet-5-5", 200, False, id="our-200-token-prompt-on-sonnet"),
        pytest.param("claude-sonnet-5-5", 1023, False, id="one-under-sonnets-1024"),
        pytest.param("claude-sonnet-5-5", 1024, True, id="sonnets-1024"),
        pytest.param("claude-haiku-4-5", 2000, False, id="2000-under-haiku-4-5s-4096"),
        pytest.param("claude-haiku-4-5", 4096, True, id="haiku-4-5s-4096"),
    ],
)
async def test_a_prefix_is_cached_only_from_the_models_minimum_length(
    claude: anthropic.AsyncAnthropic, model: str, tokens: int, cached: bool
) -> None:
    params = request(rules_of(tokens), model)

    first, second = await cache_use(claude, params), await cache_use(claude, params)

    assert (first, second) == (((tokens, 0), (0, tokens)) if cached else ((0, 0), (0, 0)))


@pytest.mark.parametrize(
    ("ttl", "lifetime"), [pytest.param(None, 300, id="5m"), pytest.param("1h", 3600, id="1h")]
)
async def test_an_entry_lives_its_ttl_from_its_last_use_on_the_emulators_clock(
    claude: anthropic.AsyncAnthropic, emulator: AnthropicEmulator, ttl: str | None, lifetime: int
) -> None:
    params = request(rules_of(1500), ttl=ttl)
    assert await cache_use(claude, params) == (1500, 0)

    emulator.clock.advance(lifetime - 5)
    read_just_in_time = await cache_use(claude, params)  # and so kept for another lifetime
    emulator.clock.advance(lifetime - 5)
    read_again = await cache_use(claude, params)
    emulator.clock.advance(lifetime + 5)
    written_anew = await cache_use(claude, params)

    assert (read_just_in_time, read_again, written_anew) == ((0, 1500), (0, 1500), (1500, 0))


async def test_a_batch_request_reads_the_cache_an_ordinary_request_wrote(
    claude: anthropic.AsyncAnthropic, emulator: AnthropicEmulator
) -> None:
    emulator.batches.timing.fixed_seconds = 60.0
    params = request(rules_of(1500))
    assert await cache_use(claude, params) == (1500, 0)
    batch = await claude.messages.batches.create(requests=[{"custom_id": "a", "params": params}])

    emulator.clock.advance(61)

    lines = [line async for line in await claude.messages.batches.results(batch.id)]
    assert lines[0].result.type == "succeeded"
    usage = lines[0].result.message.usage
    assert (usage.cache_creation_input_tokens, usage.cache_read_input_tokens) == (0, 1500)
    assert usage.input_tokens == math.ceil(len("Hi") / 4)
