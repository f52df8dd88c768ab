"""Reading a published post back from Meta and comparing it with what was sent.

Instagram: the media's ``caption`` and ``media_url``, whose image is fetched (without the
token) and hashed against the prepared image. Facebook: the post's ``message`` and its photo
attachment, whose image is compared the same way when Meta gives its address. A post Meta
says does not exist is ``post missing``: the caller decides whether to look again later.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from PIL import UnidentifiedImageError
from PIL.Image import DecompressionBombError

from feedpub.contract.after_publishing import LiveCheck
from mcp_servers._errors import feed_error

from .graph import GraphApiError, GraphClient, GraphUnreachable
from .graph_errors import classify_graph_error
from .post_comparison import (
    image_difference,
    image_phash,
    live_check_of,
    live_post_of,
    missing_post,
)

__all__ = ["verify_live_post"]

INSTAGRAM_FIELDS = "caption,media_url,permalink,timestamp"
FACEBOOK_FIELDS = "message,created_time,permalink_url,attachments{media_type,media,target}"
LIVE_IMAGE_MAX_BYTES = 20 * 1024 * 1024
"""Meta serves a published photo as a JPEG of a few hundred kilobytes."""
_NO_SUCH_OBJECT = (100, 33)
"""Meta's answer for an id that does not exist (or no longer does)."""


async def verify_live_post(
    graph: GraphClient,
    prepared_image: Callable[[], Awaitable[bytes]],
    *,
    token: str,
    platform: str,
    post_id: str,
    caption: str,
) -> LiveCheck:
    """Whether the post ``post_id`` shows ``caption`` and the prepared image (read, when it
    is needed, with ``prepared_image``). Meta's errors are raised as the tool's failures."""
    fields = INSTAGRAM_FIELDS if platform == "instagram" else FACEBOOK_FIELDS
    try:
        live = live_post_of(platform, caption, await graph.get(post_id, token, {"fields": fields}))
        differences: list[str | None] = list(live.differences)
        if live.image_url:
            differences.append(await _image_difference(graph, prepared_image, live.image_url))
    except GraphApiError as exc:
        if (exc.code, exc.subcode) == _NO_SUCH_OBJECT:
            return missing_post()
        failure = classify_graph_error(exc, f"{platform} read-back")
        raise feed_error(failure.type, failure.reason, retryable=failure.retryable) from None
    except GraphUnreachable as exc:
        reason = f"{platform} read-back: {exc}"
        raise feed_error("MetaUnreachable", reason, retryable=True) from None
    # A photo is attached, and Meta does not say where: verified on the caption alone.
    return live_check_of(differences, image_compared=live.image_url != "")


async def _image_difference(
    graph: GraphClient, prepared_image: Callable[[], Awaitable[bytes]], url: str
) -> str | None:
    try:
        live = await graph.download(url, max_bytes=LIVE_IMAGE_MAX_BYTES)
    except ValueError as exc:
        return f"the live image could not be read: {exc}"
    try:
        live_hash = await asyncio.to_thread(image_phash, live)
    except (UnidentifiedImageError, DecompressionBombError, OSError, ValueError):
        # Pillow's words name a memory address: plain words only.
        return "the live image is not a readable image"
    prepared = await prepared_image()
    return image_difference(await asyncio.to_thread(image_phash, prepared), live_hash)
