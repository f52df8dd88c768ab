"""The feed-publisher MCP server: photo library, media preparation and Meta publishing.

It holds the Meta tokens; callers pass brand names, S3 keys and captions, never tokens.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from botocore.exceptions import ClientError
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.utilities.types import Image
from pydantic import BaseModel

from mcp_servers._access import READ_ONLY
from mcp_servers._errors import feed_error

from . import INSTRUCTIONS, media
from .context import FeedPublisherContext, feed_publisher_lifespan
from .photo_library import DERIVED_DIR, NoUnusedPhoto
from .photo_rejections import HALTED_ALERT, ReadmittedPhoto, halted_message
from .publish_tools import register_publishing_tools
from .token_tools import register_token_tools

server = MCPServer(
    "feed-publisher",
    instructions=INSTRUCTIONS,
    lifespan=feed_publisher_lifespan,
)


class Photo(BaseModel):
    brand: str
    key: str
    etag: str | None = None
    size_bytes: int | None = None


class PreparedMedia(BaseModel):
    media_key: str
    width: int
    height: int
    size_bytes: int


def _ctx(ctx: Context[Any, Any]) -> FeedPublisherContext:
    state: FeedPublisherContext = ctx.request_context.lifespan_context
    return state


@server.tool()
async def get_random_unused_photo(brand: str, run_id: str, ctx: Context) -> Photo:
    """Reserve a random never-posted photo of `brand` for run `run_id` (same run, same photo)."""
    app = _ctx(ctx)
    config = app.brand(brand)
    try:
        row = await app.library.reserve(brand, config.s3_prefix, run_id)
    except NoUnusedPhoto as exc:
        raise feed_error("NoUnusedPhoto", str(exc), retryable=False) from None
    return Photo(brand=brand, key=row.key, etag=row.etag, size_bytes=row.size_bytes)


@server.tool()
async def view_image(brand: str, key: str, ctx: Context) -> list[Image | str]:
    """The photo `key` as a JPEG small enough for Claude to look at (≤ 1568 px, ≤ 1.15 MP),
    then the facts measured on it as JSON (size, orientation, colours, brightness, sharpness).

    An unusable photo (unreadable, too small, too many pixels, a near-duplicate of one already
    posted for the brand) is marked rejected with the reason, and the tool fails PhotoRejected.
    """
    app = _ctx(ctx)
    config = app.brand(brand)
    try:
        _publishable_name(config.s3_prefix, key)
        copy, facts = await app.photo_work.run(
            brand,
            app.photo_of(config, key),
            memory=media.look_memory,
            work=media.look,
            proves=False,
        )
        await app.library.record_facts(brand, key, facts)
        twin = await app.library.posted_near_duplicate(brand, key, facts.phash)
        if twin is not None:
            raise media.InvalidPhoto(f"near-duplicate of {twin}", "near-duplicate")
    except media.InvalidPhoto as exc:
        raise await _refused(app, brand, key, str(exc), exc.cause) from None
    if await app.rejections.usable(brand):
        await app.alerts.clear(brand, HALTED_ALERT)
    return [Image(data=copy.data, format="jpeg"), json.dumps(facts.as_json())]


@server.tool()
async def prepare_instagram_media(brand: str, key: str, ctx: Context) -> PreparedMedia:
    """Write the photo's Instagram-ready JPEG (sRGB, ratio, width, no metadata) next to it in S3.

    The brand's `image` settings choose a detail-keeping crop or padding in its colour.
    """
    app = _ctx(ctx)
    config = app.brand(brand)
    fit, background = config.image.fit, config.image.pad_rgb
    try:
        _publishable_name(config.s3_prefix, key)
        prepared = await app.photo_work.run(
            brand,
            app.photo_of(config, key),
            memory=partial(media.derivative_memory, fit=fit),
            work=partial(media.instagram_derivative, fit=fit, background=background),
            proves=True,
        )
    except media.InvalidPhoto as exc:
        raise await _refused(app, brand, key, str(exc), exc.cause) from None
    media_key = prepared_key(config.s3_prefix, key)
    await app.library.write(media_key, prepared.data, "image/jpeg")
    return PreparedMedia(
        media_key=media_key,
        width=prepared.width,
        height=prepared.height,
        size_bytes=len(prepared.data),
    )


def _publishable_name(prefix: str, key: str) -> None:
    """Refuse a photo whose name has an empty, ``.`` or ``..`` part (``a//x.jpg``): its prepared
    image would carry that part too, and only plainly named prepared images are published."""
    if any(part in ("", ".", "..") for part in key.removeprefix(prefix).split("/")):
        raise media.InvalidPhoto(
            f"the file's name '{key}' has an empty, '.' or '..' part, which cannot be "
            "published; rename the file",
            "odd-name",
        )


def prepared_key(prefix: str, key: str) -> str:
    """Where the Instagram-ready JPEG of the photo ``key`` (under ``prefix``) goes: the
    photo's name as it is, extension included and never normalised (S3 keys `a//x.jpg` and
    `a/x.jpg` are two photos), so that no two photos share one."""
    return f"{prefix}{DERIVED_DIR}{key[len(prefix) :]}.instagram.jpg"


@server.tool(annotations=READ_ONLY)
async def get_prepared_media(brand: str, media_key: str, ctx: Context) -> Image:
    """The brand's prepared (Instagram-ready) JPEG `media_key`, as posted, e.g. for a report."""
    app = _ctx(ctx)
    config = app.brand(brand)
    app.prepared_media_of(config, media_key)
    try:
        data = await app.library.read(media_key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in ("NoSuchKey", "404"):
            raise
        raise feed_error("MediaNotFound", f"no media '{media_key}'", retryable=False) from None
    return Image(data=data, format="jpeg")


@server.tool()
async def mark_photo_used(brand: str, key: str, run_id: str, ctx: Context) -> Photo:
    """Record that the run `run_id` posted photo `key`, so it is never offered again."""
    app = _ctx(ctx)
    try:
        await app.library.mark_used(brand, app.photo_of(app.brand(brand), key), run_id)
    except LookupError as exc:
        raise feed_error("PhotoNotReserved", str(exc), retryable=False) from None
    return Photo(brand=brand, key=key)


@server.tool()
async def release_photo(brand: str, key: str, run_id: str, ctx: Context) -> bool:
    """Give back a photo the run reserved but did not post; True if it was still reserved."""
    app = _ctx(ctx)
    return await app.library.release(brand, app.photo_of(app.brand(brand), key), run_id)


@server.tool()
async def reject_photo(
    brand: str, key: str, run_id: str, reason: str, ctx: Context, cause: str = "claude-refused"
) -> bool:
    """Take the photo the run `run_id` holds out of rotation for good, with `reason`: Claude
    declined to caption it (`cause` claude-refused), or text in it steered the captions
    (caption-contacts). True if the run held it."""
    app = _ctx(ctx)
    key = app.photo_of(app.brand(brand), key)
    limit = app.brand(brand).rejections_in_a_row
    outcome = await app.rejections.reject(brand, key, reason, cause, limit=limit, run_id=run_id)
    if outcome == "halted":
        raise await _halted(app, brand, key, cause, reason)
    return outcome == "rejected"


class ReadmittedPhotos(BaseModel):
    readmitted: list[ReadmittedPhoto]
    """The photos put back, each with the reason it had been rejected for."""
    not_rejected: list[str]
    """Keys asked for that were not rejected (unused, used, or not in the ledger)."""


@server.tool()
async def readmit_photos(
    brand: str, ctx: Context, keys: list[str] | None = None, reason_contains: str | None = None
) -> ReadmittedPhotos:
    """Put rejected photos of `brand` back among the unused ones: those named in `keys`, or
    those whose rejection reason contains `reason_contains` (any case). This also ends the
    brand's count of photos refused in a row, and its alert."""
    app = _ctx(ctx)
    config = app.brand(brand)
    if (keys is None) == (reason_contains is None) or reason_contains == "":
        raise feed_error(
            "ReadmitNeedsOne", "name the photos (keys) or a part of their reason", retryable=False
        )
    keys = [app.photo_of(config, key) for key in keys] if keys is not None else None
    readmitted = await app.rejections.readmit(brand, keys=keys, reason_contains=reason_contains)
    await app.alerts.clear(brand, HALTED_ALERT)
    found = {photo.key for photo in readmitted}
    return ReadmittedPhotos(
        readmitted=readmitted, not_rejected=[key for key in keys or [] if key not in found]
    )


async def _refused(
    app: FeedPublisherContext, brand: str, key: str, reason: str, cause: str
) -> ToolError:
    """Reject the unusable photo and say so (PhotoRejected), unless it would be one photo too
    many refused in a row for the same cause."""
    limit = app.brand(brand).rejections_in_a_row
    if await app.rejections.reject(brand, key, reason, cause, limit=limit, run_id=None) == "halted":
        return await _halted(app, brand, key, cause, reason)
    return feed_error("PhotoRejected", f"photo '{key}': {reason}", retryable=False, key=key)


async def _halted(
    app: FeedPublisherContext, brand: str, key: str, cause: str, reason: str
) -> ToolError:
    """The photo is left to the run, which stops and gives it back (PhotoRejectionsHalted);
    the brand's alert tells the operator."""
    message = halted_message(brand, app.brand(brand).rejections_in_a_row, cause, reason)
    await app.alerts.raise_alert(brand, HALTED_ALERT, message)
    return feed_error("PhotoRejectionsHalted", message, retryable=False, key=key)


register_publishing_tools(server, _ctx)
register_token_tools(server, _ctx)
