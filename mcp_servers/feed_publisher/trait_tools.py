"""The feed-publisher's tools on the traits of a brand's unused photos: which photos still need
a short look by Claude, and storing what it said.

Registered in ``server.py`` like the library tools; the rules live in ``library.traits``.
"""

from __future__ import annotations

from mcp.server.mcpserver import Context

from feedpub.contract.tools import PhotosToLook, PhotoTraits
from mcp_servers._errors import feed_error

from .context import app_of
from .library.keys import checked_photo_key
from .library.traits import UnknownPhoto


async def photos_to_look_at(brand: str, ctx: Context, limit: int = 50) -> PhotosToLook:
    """Up to `limit` (at most 100) unused photos of `brand` with no traits and no look under
    way, marked as asked about: another call leaves them out for 25 hours. Photos new in S3
    are listed first."""
    app = app_of(ctx)
    config = app.brand(brand)
    if limit < 1:
        raise feed_error("BadLimit", f"limit must be at least 1, not {limit}", retryable=False)
    return await app.traits.to_look_at(brand, config.s3_prefix, limit)


async def save_photo_traits(
    brand: str, key: str, etag: str | None, look: dict[str, str], ctx: Context
) -> PhotoTraits:
    """Store what a short look says photo `key` (its version `etag`) shows: `look` gives one
    value for each of subject, setting, people and season. The traits of its measured facts
    (orientation, colours, light) are added. A look that cannot be read is refused
    (TraitsRefused), naming the photo and the field."""
    app = app_of(ctx)
    key = checked_photo_key(app.brand(brand), key)
    try:
        return await app.traits.save(brand, key, etag, look)
    except ValueError as exc:
        reason = f"brand '{brand}', photo '{key}': traits not stored: {exc}"
        raise feed_error("TraitsRefused", reason, retryable=False, key=key) from None
    except UnknownPhoto as exc:
        raise feed_error("PhotoNotFound", str(exc), retryable=False, key=key) from None
