"""The Claude activity: one request in which Claude looks at the photo and writes its
description, both captions, hashtags and alt text in the brand's voice.

The SDK's own retries are off (``max_retries=0``): Temporal retries, so every attempt shows
in the run's history.
"""

from __future__ import annotations

import asyncio
import logging
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
from ..captions.examples import EXAMPLES_SHOWN, examples_prompt
from ..captions.pricing import combined, usage_of
from ..captions.prompt import caption_message, caption_request, regeneration_prompt
from ..mcp_client import McpConnection
from ..models import CaptionInput
from ..observability.tracing import Tracing
from .claude_batch import CaptionBatchActivities
from .claude_errors import anthropic_failure, caption_contacts, caption_invalid, claude_refusal

log = logging.getLogger(__name__)


def _joined(message: Any) -> str:
    return "".join(getattr(block, "text", "") for block in message.content).strip()


class ClaudeActivities(CaptionBatchActivities):
    """Captions written by one ordinary request (``generate_caption``) or, for runs planned
    ahead, through a Message Batch (``CaptionBatchActivities``)."""

    def __init__(
        self,
        feed_publisher: McpConnection,
        claude: anthropic.AsyncAnthropic,
        brands: dict[str, Brand],
        *,
        caption_model: str,
        tracing: Tracing | None = None,
        agent_outputs: McpConnection | None = None,
    ) -> None:
        """``agent_outputs``: where the brands' best recent captions are read (none shown
        without it)."""
        self._mcp = feed_publisher
        self._outputs = agent_outputs
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

    async def _first_message(self, request: CaptionInput) -> UserMessageParam:
        """The photo itself when the run names it, else its description, with the request and
        the brand's examples of tone."""
        examples = await self._examples(self._brand(request.brand))
        if request.key is None:
            return cast(Any, caption_message(None, request.description, examples))
        result = await self._mcp.call(
            tools.VIEW_IMAGE, {"brand": request.brand, "key": request.key}
        )
        image = next((b for b in result.content if isinstance(b, ImageContent)), None)
        if image is None:
            raise ApplicationError("view_image returned no image", type="McpToolError")
        source = {"type": "base64", "media_type": image.mime_type, "data": image.data}
        return cast(Any, caption_message(source, request.description, examples))

    async def _examples(self, brand: Brand) -> str | None:
        """The brand's best recent captions as examples of tone, for ``photos+captions``."""
        if brand.learning != "photos+captions" or self._outputs is None:
            return None
        try:
            found = await self._outputs.ask(
                tools.GET_CAPTION_EXAMPLES, brand=brand.name, limit=EXAMPLES_SHOWN
            )
        except Exception as failure:
            # The agent-outputs server away, say: captions are written without examples rather
            # than later or not at all.
            log.warning("caption examples of %s could not be read: %s", brand.name, failure)
            return None
        return examples_prompt(found.examples, brand.voice_settings)

    @activity.defn(name="generate_caption")
    async def generate_caption(self, request: CaptionInput) -> Captions:
        """Write Facebook and Instagram captions and alt text in the brand's language and voice.

        A first answer that breaks a rule is sent back once with the problems stated; a second
        broken answer fails the step for good (CaptionInvalid): nothing broken is published.
        """
        brand = self._brand(request.brand)
        conversation: list[MessageParam] = [await self._first_message(request)]
        message, usage = await self._write(brand, conversation)
        return await self._captions_of(brand, request, message, usage, conversation)

    async def _captions_of(
        self,
        brand: Brand,
        request: CaptionInput,
        message: Any,
        usage: ClaudeUsage,
        conversation: list[MessageParam] | None,
    ) -> Captions:
        """The captions of Claude's first answer ``message`` (which cost ``usage``), checked; a
        broken answer is sent back once through the ordinary API, after ``conversation`` (the
        first request's messages; None: made again when needed)."""
        first_problems: list[str] | None = None
        seed = request.key or request.description
        while True:
            if message.stop_reason == "refusal":
                raise claude_refusal("write captions for this photo")
            text = _joined(message)
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
            conversation = conversation or [await self._first_message(request)]
            if text:
                conversation.append({"role": "assistant", "content": text})
            conversation.append({"role": "user", "content": regeneration_prompt(problems)})
            message, used = await self._write(brand, conversation)
            usage = combined(usage, used)

    async def _write(
        self, brand: Brand, conversation: list[MessageParam]
    ) -> tuple[Any, ClaudeUsage]:
        with self._tracing.generation("write captions", self._caption_model) as generation:
            params = caption_request(self._caption_model, brand, list(conversation))
            try:
                message = await self._claude.messages.create(**params)
            except anthropic.APIError as exc:
                raise anthropic_failure(exc) from None
            used = usage_of(self._caption_model, message.usage)
            generation.record(used)
        return message, used


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
