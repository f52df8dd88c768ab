"""Token counts the way the API reports them, including prompt caching.

The emulator has no tokenizer: text counts one token per four characters (rounded up) and an
image counts width × height / 750 after the API's own downscale. These are the rules of thumb
Anthropic documents, close enough for budgets, cost estimates and cache checks.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .models import ModelSpec

MAX_LONG_EDGE = 1568
MAX_PIXELS = 1_150_000
TTL_SECONDS = {"5m": 300.0, "1h": 3600.0}


def text_tokens(text: str) -> int:
    """Tokens for a piece of text: one per four characters, rounded up."""
    return math.ceil(len(text) / 4)


def image_tokens(width: int, height: int) -> int:
    """Tokens for an image of this size, after the server-side downscale of large images."""
    scale = min(1.0, MAX_LONG_EDGE / max(width, height), math.sqrt(MAX_PIXELS / (width * height)))
    scaled_width, scaled_height = max(1, int(width * scale)), max(1, int(height * scale))
    return math.ceil(scaled_width * scaled_height / 750)


@dataclass(frozen=True)
class PromptBlock:
    """One cacheable piece of the prompt (a system block or a message content block)."""

    fingerprint: str
    """The block's content without its `cache_control`: equal fingerprints, equal prefix."""
    tokens: int
    cache_ttl: str | None = None
    """`5m` or `1h` when the block carries `cache_control` (a cache breakpoint)."""


@dataclass(frozen=True)
class Usage:
    """The `usage` object of a response."""

    input_tokens: int
    output_tokens: int
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0
    cache_creation_ttl: str = "5m"

    def as_json(self) -> dict[str, Any]:
        created = self.cache_creation_input_tokens
        return {
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cache_creation_input_tokens": created,
            "cache_read_input_tokens": self.cache_read_input_tokens,
            "cache_creation": {
                "ephemeral_5m_input_tokens": created if self.cache_creation_ttl == "5m" else 0,
                "ephemeral_1h_input_tokens": created if self.cache_creation_ttl == "1h" else 0,
            },
            "service_tier": "standard",
        }


class PromptCache:
    """Prefixes written by earlier requests, by hash, with their expiry time.

    A breakpoint whose prefix is shorter than the model's minimum cacheable length is not
    cached at all: neither written (so no 1.25x write premium) nor read, as with the API.
    ``min_tokens`` replaces every model's minimum when given.
    """

    def __init__(self, *, min_tokens: int | None = None, clock: Callable[[], float] = time.time):
        self._min_tokens = min_tokens
        self._clock = clock
        self._expiry: dict[str, float] = {}
        self._lock = threading.Lock()

    def usage_for(
        self,
        model: ModelSpec,
        blocks: list[PromptBlock],
        *,
        extra_input: int,
        output: int,
        now: float | None = None,
    ) -> Usage:
        """Usage of one request whose prompt is `blocks` (plus `extra_input` uncached tokens),
        made at `now` (the cache's clock by default).

        The longest breakpoint prefix seen before (and not expired) is read from the cache; the
        rest up to the last breakpoint is written, and neither counts again in `input_tokens`.
        """
        minimum = model.min_cacheable_tokens if self._min_tokens is None else self._min_tokens
        total = sum(block.tokens for block in blocks) + extra_input
        prefix_hash, cumulative, breakpoints = hashlib.sha256(model.id.encode()), 0, []
        for block in blocks:
            prefix_hash.update(hashlib.sha256(block.fingerprint.encode()).digest())
            cumulative += block.tokens
            if block.cache_ttl and cumulative >= minimum:
                breakpoints.append((prefix_hash.hexdigest(), cumulative, block.cache_ttl))
        if not breakpoints:
            return Usage(input_tokens=total, output_tokens=output)
        now, read = self._clock() if now is None else now, 0
        with self._lock:
            for digest, tokens, _ttl in reversed(breakpoints):
                if self._expiry.get(digest, 0.0) > now:
                    read = tokens
                    break
            for digest, _tokens, ttl in breakpoints:  # a hit refreshes its entry, as reads do
                self._expiry[digest] = now + TTL_SECONDS[ttl]
        cached_through, last_ttl = breakpoints[-1][1], breakpoints[-1][2]
        return Usage(
            input_tokens=total - cached_through,
            output_tokens=output,
            cache_creation_input_tokens=cached_through - read,
            cache_read_input_tokens=read,
            cache_creation_ttl=last_ttl,
        )
