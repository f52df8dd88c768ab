"""Where a brand's photos and prepared images lie in S3, and which keys a tool accepts.

A brand's photos are the objects under its prefix; what is made from each (the image prepared
for posting, the copy Claude looks at) is under ``<prefix>.derived/``, named after it. A tool
refuses another brand's key, and publishes or serves only prepared images: only those were
stripped of the original's metadata (GPS, camera serial) and shaped for posting; an original
is never published or served.
"""

from __future__ import annotations

from feedpub.brands import Brand
from mcp_servers._errors import feed_error

from ..imaging.headers import InvalidPhoto

__all__ = [
    "DERIVED_DIR",
    "check_publishable_name",
    "checked_media_key",
    "checked_photo_key",
    "claude_copy_key",
    "prepared_key",
]

DERIVED_DIR = ".derived/"
"""Folder under a brand's prefix where prepared media are written; never offered as photos."""
_PREPARED = ".instagram.jpg"


def checked_photo_key(brand: Brand, key: str) -> str:
    """``key`` if it lies under the brand's prefix; a brand never touches another's photos."""
    if not key.startswith(brand.s3_prefix):
        raise feed_error(
            "ForeignPhoto",
            f"photo '{key}' is not under brand '{brand.name}' prefix '{brand.s3_prefix}'",
            retryable=False,
        )
    return key


def checked_media_key(brand: Brand, media_key: str) -> str:
    """``media_key`` if it is one of the brand's prepared images (under ``<prefix>.derived/``)."""
    checked_photo_key(brand, media_key)  # another brand's key is refused as such first
    prepared = f"{brand.s3_prefix}{DERIVED_DIR}"
    segments = media_key.removeprefix(prepared).split("/")
    if (
        not media_key.startswith(prepared)
        or not media_key.endswith(_PREPARED)
        or any(s in ("", ".", "..") for s in segments)
    ):
        raise feed_error(
            "NotPreparedMedia",
            f"'{media_key}' is not a prepared image of brand '{brand.name}' (those are "
            f"under '{prepared}' and end in '{_PREPARED}'); only prepared images are published",
            retryable=False,
        )
    return media_key


def check_publishable_name(prefix: str, key: str) -> None:
    """Refuse a photo whose name has an empty, ``.`` or ``..`` part (``a//x.jpg``): its prepared
    image would carry that part too, and only plainly named prepared images are published."""
    if any(part in ("", ".", "..") for part in key.removeprefix(prefix).split("/")):
        raise InvalidPhoto(
            f"the file's name '{key}' has an empty, '.' or '..' part, which cannot be "
            "published; rename the file",
            "odd-name",
        )


def prepared_key(prefix: str, key: str) -> str:
    """Where the Instagram-ready JPEG of the photo ``key`` (under ``prefix``) goes: the
    photo's name as it is, extension included and never normalised (S3 keys `a//x.jpg` and
    `a/x.jpg` are two photos), so that no two photos share one."""
    return f"{prefix}{DERIVED_DIR}{key[len(prefix) :]}{_PREPARED}"


def claude_copy_key(prefix: str, key: str) -> str:
    """Where the copy of the photo ``key`` that Claude looks at is kept, beside its prepared
    image; never published, as it is not shaped for posting."""
    return f"{prefix}{DERIVED_DIR}{key[len(prefix) :]}.claude.jpg"
