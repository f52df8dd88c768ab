"""Meta's published limits for Page photos and Instagram images and captions."""

from __future__ import annotations

import re

from .errors import GraphError, instagram_error
from .images import ImageInfo

FACEBOOK_MAX_BYTES = 10_000_000
INSTAGRAM_MAX_BYTES = 8 * 1024 * 1024
INSTAGRAM_MIN_ASPECT = 0.8
INSTAGRAM_MAX_ASPECT = 1.91
CAPTION_MAX_CHARS = 2200
MAX_HASHTAGS = 30
MAX_MENTIONS = 20

HASHTAG = re.compile(r"(?<!\w)#\w+")
MENTION = re.compile(r"(?<!\w)@[\w.]+")


def facebook_photo_problem(info: ImageInfo) -> GraphError | None:
    """Why a Page would refuse this photo, or ``None``."""
    if info.format is None:
        return GraphError(
            324,
            "(#324) Missing or invalid image file",
            user_title="Invalid image",
            user_msg="The uploaded file is not an image.",
        )
    if info.size >= FACEBOOK_MAX_BYTES:
        return GraphError(100, f"(#100) Photos must be smaller than 10 MB (got {info.size} bytes)")
    if info.animated:
        return GraphError(100, "(#100) Animated images are not supported")
    return None


def photo_download_failed(url: str, reason: str) -> GraphError:
    return GraphError(
        324,
        f"(#324) Missing or invalid image file: the photo could not be fetched from {url} "
        f"({reason})",
    )


def instagram_image_problem(info: ImageInfo) -> GraphError | None:
    """Why Instagram would refuse this image, or ``None``; size is checked before format."""
    if info.size > INSTAGRAM_MAX_BYTES:
        return instagram_error(
            36000,
            2207004,
            "The image is too large to download. It should be less than 8 MiB.",
            "Image size too large",
            "The image is too large to download. It should be less than 8 MiB.",
        )
    if info.format != "JPEG":
        return instagram_error(
            36001,
            2207005,
            "The image format is not supported.",
            "Unsupported format",
            "The image format is not supported. Supported formats are: JPEG",
        )
    ratio = info.width / info.height
    if not INSTAGRAM_MIN_ASPECT <= ratio <= INSTAGRAM_MAX_ASPECT:
        return instagram_error(
            36003,
            2207009,
            f"The submitted image with aspect ratio ('{info.width}/{info.height}') cannot be "
            "published. Please submit an image with a valid aspect ratio.",
            "Aspect ratio not supported",
            "The aspect ratio must be between 4:5 and 1.91:1.",
        )
    return None


def instagram_caption_problem(caption: str) -> GraphError | None:
    """Why Instagram would refuse this caption, or ``None``."""
    if len(caption) > CAPTION_MAX_CHARS:
        return instagram_error(
            36004,
            2207010,
            "The submitted caption was too long. "
            f"Please shorten it to {CAPTION_MAX_CHARS} characters or less.",
            "Caption exceeded max length",
            f"The caption has {len(caption)} characters; at most {CAPTION_MAX_CHARS} are allowed.",
        )
    for pattern, limit, what in (
        (HASHTAG, MAX_HASHTAGS, "hashtags"),
        (MENTION, MAX_MENTIONS, "@-mentions"),
    ):
        found = len(pattern.findall(caption))
        if found > limit:
            return instagram_error(
                100,
                2207040,
                f"Cannot use more than {limit} {what} per created media.",
                "Too many tags",
                f"The caption has {found} {what}; at most {limit} are allowed.",
            )
    return None


def instagram_download_failed(url: str, reason: str) -> GraphError:
    return instagram_error(
        9004,
        2207052,
        f"The media could not be fetched from this URI: {url}. Please check the following "
        "conditions: the URI is publicly reachable, points to a media file and does not redirect.",
        "Media download has failed",
        f"The media could not be fetched ({reason}).",
    )
