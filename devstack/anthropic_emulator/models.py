"""The model ids the emulator answers for, with the limits the API applies to each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ModelSpec:
    """What the emulator needs to know about one model id."""

    id: str
    """The id sent as `model`."""
    display_name: str
    """The name `GET /v1/models` shows."""
    line: str
    """`haiku`, `sonnet` or `opus`."""
    max_tokens: int
    """The largest `max_tokens` the model accepts."""
    created_at: str
    """Release date, RFC 3339."""
    sampling_parameters: bool = True
    """False for models that refuse `temperature`, `top_p` and `top_k` (the 5.5 generation)."""
    forced_tool_use: bool = True
    """False where `tool_choice` of type `tool` or `any` is refused (Sonnet 5.5)."""
    min_cacheable_tokens: int = 1024
    """The shortest prefix the API caches: a shorter one is neither written nor read."""


def _spec(model_id: str, name: str, max_tokens: int, created: str, **flags: Any) -> ModelSpec:
    line = next(word for word in ("haiku", "sonnet", "opus") if word in model_id)
    created_at = f"{created}T00:00:00Z"
    return ModelSpec(model_id, name, line, max_tokens, created_at, **flags)


# Minimum cacheable lengths as Anthropic's prompt-caching page gives them: 1,024 tokens for
# the Sonnet models (4.5, 4.6, 5.5), 4,096 for Haiku 4.5 and the Opus 4.5/4.6 generation. The
# page names no minimum for Haiku 5.5 or Opus 5.5: they take their line's 4,096, the higher
# (so the emulator never caches what the API might not).
HAIKU_MIN_CACHEABLE = OPUS_MIN_CACHEABLE = 4096

_MODELS = [
    _spec(
        "claude-opus-5-5",
        "Claude Opus 5.5",
        128_000,
        "2026-09-01",
        sampling_parameters=False,
        min_cacheable_tokens=OPUS_MIN_CACHEABLE,
    ),
    _spec(
        "claude-sonnet-5-5",
        "Claude Sonnet 5.5",
        64_000,
        "2026-09-01",
        sampling_parameters=False,
        forced_tool_use=False,
    ),
    _spec(
        "claude-haiku-5-5",
        "Claude Haiku 5.5",
        64_000,
        "2026-09-01",
        sampling_parameters=False,
        min_cacheable_tokens=HAIKU_MIN_CACHEABLE,
    ),
    _spec("claude-sonnet-4-6", "Claude Sonnet 4.6", 64_000, "2026-02-17"),
    _spec(
        "claude-haiku-4-5",
        "Claude Haiku 4.5",
        64_000,
        "2025-10-01",
        min_cacheable_tokens=HAIKU_MIN_CACHEABLE,
    ),
    _spec(
        "claude-haiku-4-5-20251001",
        "Claude Haiku 4.5",
        64_000,
        "2025-10-01",
        min_cacheable_tokens=HAIKU_MIN_CACHEABLE,
    ),
    _spec("claude-sonnet-4-5", "Claude Sonnet 4.5", 64_000, "2025-09-29"),
    _spec("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5", 64_000, "2025-09-29"),
]

KNOWN_MODELS: dict[str, ModelSpec] = {spec.id: spec for spec in _MODELS}
"""Every model id the emulator accepts; any other id gets the API's 404 `not_found_error`."""


def model_list_page() -> dict[str, Any]:
    """The body of `GET /v1/models`: one page holding every known model."""
    data = [
        {
            "type": "model",
            "id": spec.id,
            "display_name": spec.display_name,
            "created_at": spec.created_at,
            "lifecycle": "active",
            "line": spec.line,
            "max_tokens": spec.max_tokens,
        }
        for spec in _MODELS
    ]
    return {"data": data, "has_more": False, "first_id": data[0]["id"], "last_id": data[-1]["id"]}
