"""The Claude activity: one request in which Claude looks at the photo and writes its
description, both captions, hashtags and alt text in the brand's voice.

The SDK's own retries are off (``max_retries=0``): Temporal retries, so every attempt shows
in the run's history.
"""

from __future__ import annotations

import asyncio
from typing import Any, cast

import anthropic
from anthropic.types import MessageParam
from anthropic.types.user_message_param import UserMessageParam
from mcp_types import ImageContent
from temporalio import activity
from temporalio.exceptions import ApplicationError

from feedpub.brands import Brand
from feedpub.contract import tools
from feedpub.contract.run import Captions, ClaudeUsage

from ..captions.answer import CaptionProblem, compose_captions, read_answer
from ..captions.checks import caption_problems, is_contact_problem
from ..captions.pricing import combined, priced
from ..captions.prompt import (
    CAPTION_PROMPT,
    CAPTION_SCHEMA,
    caption_system_prompt,
    caption_user_prompt,
    regeneration_prompt,
)
from ..mcp_client import McpConnection
from ..models import CaptionInput
from ..observability.tracing import Tracing
from .claude_errors import anthropic_failure, caption_contacts, caption_invalid, claude_refusal


def _usage(model: str, message: Any) -> ClaudeUsage:
    usage = message.usage
    return priced(
        ClaudeUsage(
            model=model,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            cache_creation_input_tokens=usage.cache_creation_input_tokens or 0,
            cache_read_input_tokens=usage.cache_read_input_tokens or 0,
        )
    )


def _joined(message: Any) -> str:
    return "".join(getattr(block, "text", "") for block in message.content).strip()


class ClaudeActivities:
    def __init__(
        self,
        feed_publisher: McpConnection,
        claude: anthropic.AsyncAnthropic,
        brands: dict[str, Brand],
        *,
        caption_model: str,
        tracing: Tracing | None = None,
    ) -> None:
        self._mcp = feed_publisher
        self._claude = claude
        self._brands = brands
        self._caption_model = caption_model
        self._tracing = tracing or Tracing()

    def _brand(self, name: str) -> Brand:
        if name not in self._brands:
            raise ApplicationError(
                f"unknown brand '{name}' in the worker's brands file",
                type="UnknownBrand",
                non_retryable=True,
            )
        return self._brands[name]

    async def _look(self, request: CaptionInput) -> list[Any] | str:
        """The first message: the photo itself when the run names it, else its description."""
        if request.key is None:
            return caption_user_prompt(request.description)
        result = await self._mcp.call(
            tools.VIEW_IMAGE, {"brand": request.brand, "key": request.key}
        )
        image = next((b for b in result.content if isinstance(b, ImageContent)), None)
        if image is None:
            raise ApplicationError("view_image returned no image", type="McpToolError")
        source = {"type": "base64", "media_type": image.mime_type, "data": image.data}
        return [{"type": "image", "source": source}, {"type": "text", "text": CAPTION_PROMPT}]

    @activity.defn(name="generate_caption")
    async def generate_caption(self, request: CaptionInput) -> Captions:
        """Write Facebook and Instagram captions and alt text in the brand's language and voice.

        A first answer that breaks a rule is sent back once with the problems stated; a second
        broken answer fails the step for good (CaptionInvalid): nothing broken is published.
        """
        brand = self._brand(request.brand)
        first: UserMessageParam = {"role": "user", "content": cast(Any, await self._look(request))}
        conversation: list[MessageParam] = [first]
        usage, first_problems = ClaudeUsage(model=self._caption_model), None
        for _attempt in range(2):
            with self._tracing.generation("write captions", self._caption_model) as generation:
                message = await self._write(brand, conversation)
                used = _usage(self._caption_model, message)
                generation.record(used)
            usage = combined(usage, used)
            if message.stop_reason == "refusal":
                raise claude_refusal("write captions for this photo")
            text = _joined(message)
            seed = request.key or request.description
            problems, captions, seen = await asyncio.to_thread(_checked, text, brand, seed)
            if not problems:
                reason = "; ".join(first_problems) if first_problems else None
                return Captions(
                    **captions, usage=usage, regenerated_because=reason, description=seen
                )
            if first_problems is not None:
                steered = any(is_contact_problem(problem) for problem in problems)
                raise caption_contacts(problems) if steered else caption_invalid(problems)
            first_problems = problems
            if text:
                conversation.append({"role": "assistant", "content": text})
            conversation.append({"role": "user", "content": regeneration_prompt(problems)})
        raise AssertionError("unreachable")

    async def _write(self, brand: Brand, conversation: list[MessageParam]) -> Any:
        try:
            return await self._claude.messages.create(
                model=self._caption_model,
                max_tokens=1500,
                system=[
                    {
                        "type": "text",
                        "text": caption_system_prompt(brand),
                        "cache_control": {"type": "ephemeral"},
                    }
                ],
                messages=conversation,
                output_config={"format": {"type": "json_schema", "schema": CAPTION_SCHEMA}},
            )
        except anthropic.APIError as exc:
            raise anthropic_failure(exc) from None


def _checked(text: str, brand: Brand, seed: str) -> tuple[list[str], dict[str, str], str]:
    """The rules ``text`` breaks, the captions it makes and the photo's description; runs in a
    thread (the language detector)."""
    try:
        answer = read_answer(text)
    except CaptionProblem as problem:
        return [str(problem)], {}, ""
    captions = compose_captions(answer, brand.voice_settings, seed=seed)
    written = {
        "Facebook caption": answer["facebook_caption"],
        "Instagram caption": answer["instagram_caption"],
        "alt text": answer["alt_text"],
    }
    return caption_problems(captions, written, brand), captions, answer["description"]
