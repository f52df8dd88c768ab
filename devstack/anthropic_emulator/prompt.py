"""The prompt of a request (`system` and `messages`), checked and cut into cacheable blocks."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from .errors import invalid_request
from .images import ImageFacts, oversized_image_error, read_image
from .usage import PromptBlock, image_tokens, text_tokens

MAX_CACHE_BREAKPOINTS = 4


@dataclass
class Prompt:
    """What the request asks about, in the order the API reads it."""

    blocks: list[PromptBlock] = field(default_factory=list)
    """System and message blocks in order: the unit of token counting and prompt caching."""
    instructions: list[str] = field(default_factory=list)
    """System and user texts: where the language of the answer is asked for."""
    images: list[ImageFacts] = field(default_factory=list)


def read_prompt(body: dict[str, Any]) -> Prompt:
    """`system`, `messages` and top-level `cache_control` of a request body.

    Raises:
        ApiError: 400 `invalid_request_error` with the API's wording.
    """
    prompt = Prompt()
    _read_system(body.get("system"), prompt)
    _read_messages(body.get("messages"), prompt)
    if body.get("cache_control") is not None:
        # Top-level cache_control marks the last cacheable block of the request.
        last = prompt.blocks[-1]
        ttl = _cache_ttl(body["cache_control"], "cache_control")
        prompt.blocks[-1] = PromptBlock(last.fingerprint, last.tokens, ttl)
    breakpoints = sum(1 for block in prompt.blocks if block.cache_ttl)
    if breakpoints > MAX_CACHE_BREAKPOINTS:
        raise invalid_request(
            f"A maximum of {MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. "
            f"Found {breakpoints}."
        )
    oversized = oversized_image_error(prompt.images)
    if oversized is not None:
        raise oversized
    return prompt


def _read_system(system: Any, prompt: Prompt) -> None:
    if system is None:
        return
    blocks = [{"type": "text", "text": system}] if isinstance(system, str) else system
    if not isinstance(blocks, list):
        raise invalid_request("system: Input should be a valid string or list of text blocks")
    for index, block in enumerate(blocks):
        where = f"system.{index}"
        if not isinstance(block, dict) or block.get("type") != "text":
            raise invalid_request(f"{where}.type: Input should be 'text'")
        _add_text(block, where, prompt, role="system")


def _read_messages(messages: Any, prompt: Prompt) -> None:
    if messages is None:
        raise invalid_request("messages: Field required")
    if not isinstance(messages, list) or not messages:
        raise invalid_request("messages: at least one message is required")
    for index, message in enumerate(messages):
        where = f"messages.{index}"
        role = message.get("role") if isinstance(message, dict) else None
        if role not in ("user", "assistant"):
            raise invalid_request(f"{where}.role: Input should be 'user' or 'assistant'")
        if index == 0 and role != "user":
            raise invalid_request('messages: first message must use the "user" role')
        # Consecutive turns of one role are allowed: the API merges them into one turn.
        content = message.get("content")
        if isinstance(content, str):
            content = [{"type": "text", "text": content}]
        if not isinstance(content, list) or not content:
            raise invalid_request(f"{where}.content: at least one content block is required")
        for number, block in enumerate(content):
            _read_block(block, f"{where}.content.{number}", prompt, role=str(role))


def _read_block(block: Any, where: str, prompt: Prompt, *, role: str) -> None:
    kind = block.get("type") if isinstance(block, dict) else None
    if kind == "text":
        _add_text(block, where, prompt, role=role)
    elif kind == "image":
        image = read_image(block.get("source"), where)
        prompt.images.append(image)
        digest = hashlib.sha256(str(block["source"]["data"]).encode()).hexdigest()
        tokens = image_tokens(image.width, image.height)
        ttl = _ttl_of(block, where)
        prompt.blocks.append(PromptBlock(f"{role}:image:{digest}", tokens, ttl))
    else:
        raise invalid_request(f"{where}.type: the emulator accepts 'text' and 'image' blocks")


def _add_text(block: dict[str, Any], where: str, prompt: Prompt, *, role: str) -> None:
    text = block.get("text")
    if not isinstance(text, str) or not text:
        raise invalid_request(f"{where}.text: text content blocks must be non-empty")
    if role != "assistant":
        prompt.instructions.append(text)
    fingerprint = json.dumps([role, text])
    prompt.blocks.append(PromptBlock(fingerprint, text_tokens(text), _ttl_of(block, where)))


def _ttl_of(block: dict[str, Any], where: str) -> str | None:
    cache_control = block.get("cache_control")
    return None if cache_control is None else _cache_ttl(cache_control, f"{where}.cache_control")


def _cache_ttl(cache_control: Any, where: str) -> str:
    if not isinstance(cache_control, dict) or cache_control.get("type") != "ephemeral":
        raise invalid_request(f"{where}.type: Input should be 'ephemeral'")
    ttl = cache_control.get("ttl", "5m")
    if ttl not in ("5m", "1h"):
        raise invalid_request(f"{where}.ttl: Input should be '5m' or '1h'")
    return str(ttl)
