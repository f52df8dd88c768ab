"""Claude activities: look at the photo, then write the captions in the brand's voice.

The SDK's own retries are off (``max_retries=0``): Temporal retries, so every attempt shows
in the run's history.
"""

from __future__ import annotations

from typing import Any, cast

import anthropic
from anthropic.types.user_message_param import UserMessageParam
from mcp_types import ImageContent
from temporalio import activity
from temporalio.exceptions import ApplicationError

from feedpub.brands import Brand

from ..captions import (
    ANALYSIS_PROMPT,
    CAPTION_SCHEMA,
    CaptionProblem,
    caption_system_prompt,
    caption_user_prompt,
    parse_captions,
)
from ..errors import anthropic_failure, claude_output_failure
from ..mcp_sessions import McpConnection
from ..models import CaptionInput, Captions, ClaudeUsage, PhotoAnalysis, PhotoRef
from ..tracing import Tracing


def _usage(model: str, message: Any) -> ClaudeUsage:
    usage = message.usage
    return ClaudeUsage(
        model=model,
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        cache_creation_input_tokens=usage.cache_creation_input_tokens or 0,
        cache_read_input_tokens=usage.cache_read_input_tokens or 0,
    )


def _text(message: Any) -> str:
    if message.stop_reason == "refusal":
        raise claude_output_failure("Claude declined to describe or caption this photo")
    text = "".join(getattr(block, "text", "") for block in message.content).strip()
    if not text:
        raise claude_output_failure("the answer was empty")
    return text


class ClaudeActivities:
    def __init__(
        self,
        feed_publisher: McpConnection,
        claude: anthropic.AsyncAnthropic,
        brands: dict[str, Brand],
        *,
        caption_model: str,
        vision_model: str,
        tracing: Tracing | None = None,
    ) -> None:
        self._mcp = feed_publisher
        self._claude = claude
        self._brands = brands
        self._caption_model = caption_model
        self._vision_model = vision_model
        self._tracing = tracing or Tracing()

    def _brand(self, name: str) -> Brand:
        if name not in self._brands:
            raise ApplicationError(
                f"unknown brand '{name}' in the worker's brands file",
                type="UnknownBrand",
                non_retryable=True,
            )
        return self._brands[name]

    @activity.defn(name="analyze_photo")
    async def analyze_photo(self, photo: PhotoRef) -> PhotoAnalysis:
        """Have Claude describe the photo (it sees a copy ≤ 1568 px from the MCP server)."""
        result = await self._mcp.call("view_image", {"brand": photo.brand, "key": photo.key})
        image = next((b for b in result.content if isinstance(b, ImageContent)), None)
        if image is None:
            raise ApplicationError("view_image returned no image", type="McpToolError")
        look: UserMessageParam = {
            "role": "user",
            "content": [
                {
                    "type": "image",
                    "source": {
                        "type": "base64",
                        "media_type": cast(Any, image.mime_type),
                        "data": image.data,
                    },
                },
                {"type": "text", "text": ANALYSIS_PROMPT},
            ],
        }
        with self._tracing.generation("describe photo", self._vision_model) as generation:
            try:
                message = await self._claude.messages.create(
                    model=self._vision_model, max_tokens=400, messages=[look]
                )
            except anthropic.APIError as exc:
                raise anthropic_failure(exc) from None
            usage = _usage(self._vision_model, message)
            generation.record(usage)
        return PhotoAnalysis(description=_text(message)[:1000], usage=usage)

    @activity.defn(name="generate_caption")
    async def generate_caption(self, request: CaptionInput) -> Captions:
        """Write Facebook and Instagram captions and alt text in the brand's language."""
        brand = self._brand(request.brand)
        with self._tracing.generation("write captions", self._caption_model) as generation:
            message = await self._write(brand, request.description)
            usage = _usage(self._caption_model, message)
            generation.record(usage)
        try:
            captions = parse_captions(_text(message))
        except CaptionProblem as exc:
            raise claude_output_failure(str(exc)) from None
        return Captions(**captions, usage=usage)

    async def _write(self, brand: Brand, description: str) -> Any:
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
                messages=[{"role": "user", "content": caption_user_prompt(description)}],
                output_config={"format": {"type": "json_schema", "schema": CAPTION_SCHEMA}},
            )
        except anthropic.APIError as exc:
            raise anthropic_failure(exc) from None
