"""The feed-publisher's tools on the photo library: reserve, look at, prepare, give back or
take out of rotation a brand's photos, and read the brand alerts.

Plain async functions, registered one by one in ``server.py``: each docstring is the tool's
description, each signature its schema. They check the caller's brand and keys and call into
the rooms (library, imaging), where the rules live.
"""

from __future__ import annotations

import json

from botocore.exceptions import ClientError
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.utilities.types import Image

from feedpub.contract.tools import (
    AlertList,
    Photo,
    PhotoPresence,
    PhotoStock,
    PreparedMedia,
    ReadmittedPhotos,
    ReservedPhotos,
)
from mcp_servers._errors import feed_error

from .context import app_of
from .library.keys import checked_media_key, checked_photo_key
from .library.looks import TwinHeld
from .library.photos import NoUnusedPhoto, is_missing
from .library.weighted import weight_arrays


async def get_random_unused_photo(
    brand: str,
    run_id: str,
    ctx: Context,
    avoid: list[str] | None = None,
    weights: dict[str, float] | None = None,
) -> Photo:
    """Reserve a never-posted photo of `brand` for run `run_id` (same run, same photo), none
    of the keys in `avoid`: a random one, or with `weights` (trait -> weight, e.g.
    `{"setting:outdoors": 0.4}`) the one whose traits' weights sum highest (a photo with no
    traits yet scores 0; ties at random)."""
    app = app_of(ctx)
    config = app.brand(brand)
    try:
        weight_arrays(weights or {})
    except ValueError as exc:
        raise feed_error("BadWeights", f"brand '{brand}': {exc}", retryable=False) from None
    try:
        row = await app.library.reserve(brand, config.s3_prefix, run_id, avoid or (), weights)
    except NoUnusedPhoto as exc:
        raise feed_error("NoUnusedPhoto", str(exc), retryable=False) from None
    return Photo(brand=brand, key=row.key, etag=row.etag, size_bytes=row.size_bytes)


async def view_image(brand: str, key: str, ctx: Context) -> list[Image | str]:
    """The photo `key` as a JPEG small enough for Claude to look at (≤ 1568 px, ≤ 1.15 MP),
    then the facts measured on it as JSON (size, orientation, colours, brightness, sharpness).

    An unusable photo (unreadable, too small, too many pixels, a near-duplicate of one already
    posted for the brand) is marked rejected with the reason, and the tool fails PhotoRejected.
    A near-duplicate of a photo another run holds is left as it is (that run may give its photo
    back), and the tool fails NearDuplicateHeld: the run sets it aside.
    """
    app = app_of(ctx)
    config = app.brand(brand)
    try:
        async with app.refusals.refusing_unusable(config, key):
            copy, facts = await app.photo_work.look(config, key)
    except TwinHeld as exc:
        raise feed_error(
            "NearDuplicateHeld", f"photo '{key}': {exc}", retryable=False, key=key, twin=exc.twin
        ) from None
    await app.refusals.photo_usable(brand)
    return [Image(data=copy, format="jpeg"), json.dumps(facts.as_json())]


async def prepare_instagram_media(brand: str, key: str, ctx: Context) -> PreparedMedia:
    """Write the photo's Instagram-ready JPEG (sRGB, ratio, width, no metadata) next to it in S3.

    The brand's `image` settings choose a detail-keeping crop or padding in its colour.
    """
    app = app_of(ctx)
    config = app.brand(brand)
    async with app.refusals.refusing_unusable(config, key):
        media_key, prepared = await app.photo_work.prepare_for_instagram(config, key)
    return PreparedMedia(
        media_key=media_key,
        width=prepared.width,
        height=prepared.height,
        size_bytes=len(prepared.data),
    )


async def get_prepared_media(brand: str, media_key: str, ctx: Context) -> Image:
    """The brand's prepared (Instagram-ready) JPEG `media_key`, as posted, e.g. for a report."""
    app = app_of(ctx)
    checked_media_key(app.brand(brand), media_key)
    try:
        data = await app.library.read(media_key)
    except ClientError as exc:
        if not is_missing(exc):
            raise
        raise feed_error("MediaNotFound", f"no media '{media_key}'", retryable=False) from None
    return Image(data=data, format="jpeg")


async def mark_photo_used(brand: str, key: str, run_id: str, ctx: Context) -> Photo:
    """Record that the run `run_id` posted photo `key`, so it is never offered again."""
    app = app_of(ctx)
    try:
        await app.library.mark_used(brand, checked_photo_key(app.brand(brand), key), run_id)
    except LookupError as exc:
        raise feed_error("PhotoNotReserved", str(exc), retryable=False) from None
    return Photo(brand=brand, key=key)


async def release_photo(brand: str, key: str, run_id: str, ctx: Context) -> bool:
    """Give back a photo the run reserved but did not post; True if it was still reserved."""
    app = app_of(ctx)
    return await app.library.release(brand, checked_photo_key(app.brand(brand), key), run_id)


async def reject_photo(
    brand: str, key: str, run_id: str, reason: str, ctx: Context, cause: str = "claude-refused"
) -> bool:
    """Take the photo the run `run_id` holds out of rotation for good, with `reason`: Claude
    declined to caption it (`cause` claude-refused), or text in it steered the captions
    (caption-contacts). True if the run held it."""
    app = app_of(ctx)
    config = app.brand(brand)
    key = checked_photo_key(config, key)
    return await app.refusals.reject_held(config, key, reason, cause, run_id=run_id)


async def readmit_photos(
    brand: str, ctx: Context, keys: list[str] | None = None, reason_contains: str | None = None
) -> ReadmittedPhotos:
    """Put rejected photos of `brand` back among the unused ones: those named in `keys`, or
    those whose rejection reason contains `reason_contains` (any case). This also ends the
    brand's count of photos refused in a row, and its alert."""
    app = app_of(ctx)
    config = app.brand(brand)
    if (keys is None) == (reason_contains is None) or reason_contains == "":
        raise feed_error(
            "ReadmitNeedsOne", "name the photos (keys) or a part of their reason", retryable=False
        )
    keys = [checked_photo_key(config, key) for key in keys] if keys is not None else None
    readmitted = await app.refusals.readmit(brand, keys=keys, reason_contains=reason_contains)
    found = {photo.key for photo in readmitted}
    return ReadmittedPhotos(
        readmitted=readmitted, not_rejected=[key for key in keys or [] if key not in found]
    )


async def list_brand_alerts(ctx: Context) -> AlertList:
    """Problems an operator must act on, per brand (e.g. a Meta token that expired)."""
    return AlertList(alerts=await app_of(ctx).alerts.all())


async def count_unused_photos(brand: str, ctx: Context) -> PhotoStock:
    """How many photos of `brand` are left to post (`unused`: never posted, not rejected, not
    held) and how many runs hold (`reserved`). Photos new in S3 are listed first."""
    app = app_of(ctx)
    return await app.stock.count(brand, app.brand(brand).s3_prefix)


async def photo_stored(brand: str, key: str, ctx: Context) -> PhotoPresence:
    """Whether the photo `key` of `brand` is still in S3 (a planned run looks before its slot)."""
    app = app_of(ctx)
    key = checked_photo_key(app.brand(brand), key)
    try:
        await app.library.head(key)
    except ClientError as exc:
        if not is_missing(exc):
            raise
        return PhotoPresence(key=key, stored=False)
    return PhotoPresence(key=key, stored=True)


async def list_reserved_photos(
    ctx: Context, brand: str | None = None, held_for_seconds: float = 0.0
) -> ReservedPhotos:
    """The photos runs hold now (of one `brand`, of a brand no longer in the brands file too),
    each with its run and since when, longest held first; with `held_for_seconds`, only those
    held at least that long (by the database's clock)."""
    return await app_of(ctx).stock.reserved(brand, held_for_seconds)
