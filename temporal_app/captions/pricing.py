"""What a Claude call costs, from the model's price per million tokens (USD)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from feedpub.contract.run import ClaudeUsage

__all__ = ["BATCH_RATE", "PRICES_PER_MTOK", "combined", "cost_usd", "priced", "usage_of"]

PRICES_PER_MTOK: dict[str, tuple[float, float]] = {
    "claude-haiku-5-5": (0.10, 0.50),
    "claude-sonnet-5-5": (2.00, 10.00),
    "claude-sonnet-4-6": (3.00, 15.00),
    "claude-haiku-4-5": (1.00, 5.00),
    "claude-sonnet-4-5": (3.00, 15.00),
}
"""(input, output) per million tokens. Cache writes cost 1.25x input (5-minute entries, the
only ones feedpub writes), cache reads 0.1x."""
BATCH_RATE = 0.5
"""Message Batches bill every token, cached or not, at half the price."""


def cost_usd(usage: ClaudeUsage) -> float | None:
    """The call's cost, or None for a model without a known price."""
    prices = PRICES_PER_MTOK.get(usage.model)
    if prices is None:
        return None
    per_input, per_output = prices
    total = (
        usage.input_tokens * per_input
        + usage.cache_creation_input_tokens * per_input * 1.25
        + usage.cache_read_input_tokens * per_input * 0.10
        + usage.output_tokens * per_output
    )
    rate = BATCH_RATE if usage.batch else 1.0
    return round(total * rate / 1_000_000, 6)


def usage_of(model: str, usage: Any, *, batch: bool = False) -> ClaudeUsage:
    """The priced usage of one answer, from the ``usage`` the API sent with it."""
    return priced(
        ClaudeUsage(
            model=model,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            cache_creation_input_tokens=usage.cache_creation_input_tokens or 0,
            cache_read_input_tokens=usage.cache_read_input_tokens or 0,
            batch=batch,
        )
    )


def priced(usage: ClaudeUsage) -> ClaudeUsage:
    """``usage`` with its ``cost_usd`` filled in."""
    return replace(usage, cost_usd=cost_usd(usage))


def combined(first: ClaudeUsage, second: ClaudeUsage) -> ClaudeUsage:
    """Two calls to the same model as one: tokens added, and each call's own cost (a batch
    answer at half price, its regeneration at the full price) added."""
    costs = [
        usage.cost_usd if usage.cost_usd is not None else cost_usd(usage)
        for usage in (first, second)
    ]
    return ClaudeUsage(
        model=first.model or second.model,
        input_tokens=first.input_tokens + second.input_tokens,
        output_tokens=first.output_tokens + second.output_tokens,
        cache_creation_input_tokens=(
            first.cache_creation_input_tokens + second.cache_creation_input_tokens
        ),
        cache_read_input_tokens=first.cache_read_input_tokens + second.cache_read_input_tokens,
        cost_usd=None if None in costs else round(sum(c for c in costs if c is not None), 6),
        batch=first.batch or second.batch,
    )
