"""P5: Claude input tokens per post at the Anthropic emulator, against sending the original.

    .venv/bin/python -m bench.p5_tokens

Runs the real generate_caption activity (one request: the photo, the brand's system prompt,
the JSON schema) through the anthropic SDK against the emulator, which counts tokens as the
API does (image ≈ width × height / 750 after its own downscale, text ≈ characters / 4). The
photo is the P4 24 MP JPEG; the MCP server's view_image is played by
``imaging.derivatives.look``. Then the original is sent as it is. Goal: ≤ 2,500 per post.
The last line is the figure.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import anthropic
from mcp_types import ImageContent, TextContent
from PIL import Image
from temporalio.testing import ActivityEnvironment

from devstack.anthropic_emulator import AnthropicEmulator
from devstack.serve import serve_in_thread
from feedpub.brands import load_brands
from mcp_servers.feed_publisher.imaging.derivatives import look
from temporal_app.activities.claude import ClaudeActivities
from temporal_app.models import CaptionInput

from .p4_derivative import camera_photo

BRANDS = Path(__file__).parents[1] / "brands.toml"
VISION, CAPTIONS = "claude-haiku-5-5", "claude-sonnet-5-5"
"""VISION sends the original photo alone, for comparison."""
ANALYSIS_PROMPT = (
    "Describe this photo for a social-media caption writer in 2 to 4 sentences of English: "
    "the subject, the setting, colours, mood. Facts only, no hashtags."
)
"""What a plain vision request asks, beside the original photo."""


class _ViewImage:
    """The feed-publisher server's view_image, in process: the Claude copy and its facts."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    async def call(self, tool: str, arguments: dict[str, Any]) -> Any:
        copy, facts = look(self._data)
        image = ImageContent(
            type="image", data=base64.b64encode(copy.data).decode(), mime_type="image/jpeg"
        )
        return SimpleNamespace(
            content=[image, TextContent(type="text", text=json.dumps(facts.as_json()))]
        )


async def per_post(client: anthropic.AsyncAnthropic, data: bytes) -> int:
    brands = load_brands(BRANDS)
    activities = ClaudeActivities(
        cast(Any, _ViewImage(data)), client, brands, caption_model=CAPTIONS
    )
    request = CaptionInput(brand="pomandi", description="", key="pomandi/p.jpg")
    captions = await ActivityEnvironment().run(activities.generate_caption, request)
    usage = captions.usage
    return usage.input_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens


async def original(client: anthropic.AsyncAnthropic, data: bytes) -> str:
    encoded = base64.b64encode(data).decode()
    try:
        message = await client.messages.create(
            model=VISION,
            max_tokens=400,
            messages=[
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "image",
                            "source": {
                                "type": "base64",
                                "media_type": "image/jpeg",
                                "data": encoded,
                            },
                        },
                        {"type": "text", "text": ANALYSIS_PROMPT},
                    ],
                }
            ],
        )
    except anthropic.BadRequestError as exc:
        body = exc.body if isinstance(exc.body, dict) else {}
        reason = str(body.get("error", {}).get("message", exc.message))[:90]
        return f"refused, {len(encoded) / 1e6:.1f} MB of base64: {reason}"
    return f"{message.usage.input_tokens} input tokens for {len(encoded) / 1e6:.1f} MB of base64"


def phone_photo(data: bytes) -> bytes:
    out = io.BytesIO()
    Image.open(io.BytesIO(data)).resize((4000, 3000)).save(out, "JPEG", quality=80)
    return out.getvalue()


async def main() -> None:
    key = f"sk-bench-{uuid.uuid4().hex}"
    served = serve_in_thread(AnthropicEmulator(api_key=key).app)
    try:
        async with anthropic.AsyncAnthropic(
            api_key=key, base_url=served.url, max_retries=0
        ) as client:
            data = camera_photo()
            tokens = await per_post(client, data)
            print(
                f"generate_caption: {tokens} input tokens (the ≤ 1568 px, ≤ 1.15 MP copy, the"
                " brand's system prompt, the schema)"
            )
            print(f"original 24 MP JPEG sent as is: {await original(client, data)}")
            print(f"12 MP phone JPEG sent as is: {await original(client, phone_photo(data))}")
            print(f"P5 input tokens per post {tokens} (goal <= 2500), one request")
    finally:
        served.stop()


if __name__ == "__main__":
    asyncio.run(main())
