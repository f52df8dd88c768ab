"""Image preparation with Pillow: the Instagram derivative and the copy Claude looks at.

Pure functions on bytes, so they run in a worker thread and are tested without S3.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

__all__ = [
    "INSTAGRAM_MAX_RATIO",
    "INSTAGRAM_MIN_RATIO",
    "InvalidPhoto",
    "PreparedImage",
    "claude_copy",
    "instagram_derivative",
]

INSTAGRAM_MIN_RATIO = 4 / 5
INSTAGRAM_MAX_RATIO = 1.91
INSTAGRAM_MAX_WIDTH = 1440
INSTAGRAM_MIN_WIDTH = 320
CLAUDE_MAX_EDGE = 1568
CLAUDE_MAX_PIXELS = 1_150_000
MAX_SOURCE_PIXELS = 100_000_000

Image.MAX_IMAGE_PIXELS = MAX_SOURCE_PIXELS


class InvalidPhoto(Exception):
    """The file cannot be used as a photo; the message says why in plain words."""


@dataclass(frozen=True)
class PreparedImage:
    """JPEG bytes with their pixel size."""

    data: bytes
    width: int
    height: int


def _open(data: bytes) -> Image.Image:
    if not data:
        raise InvalidPhoto("the file is empty")
    try:
        image: Image.Image = Image.open(io.BytesIO(data))
        image.load()
    except Image.DecompressionBombError:
        raise InvalidPhoto("the image has too many pixels to process safely") from None
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise InvalidPhoto(f"the file is not a readable image ({exc.__class__.__name__})") from None
    image = ImageOps.exif_transpose(image)
    if image.mode != "RGB":
        background = Image.new("RGB", image.size, (255, 255, 255))
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    return image


def _jpeg(image: Image.Image, quality: int) -> PreparedImage:
    out = io.BytesIO()
    # A fresh image carries no EXIF, so GPS tags and camera serials never leave.
    image.save(out, format="JPEG", quality=quality, optimize=True)
    return PreparedImage(out.getvalue(), image.width, image.height)


def _crop_to_ratio(image: Image.Image) -> Image.Image:
    """Centre crop into Instagram's allowed aspect ratios (4:5 to 1.91:1)."""
    width, height = image.size
    ratio = width / height
    if ratio < INSTAGRAM_MIN_RATIO:
        new_height = int(width / INSTAGRAM_MIN_RATIO)
        top = (height - new_height) // 2
        return image.crop((0, top, width, top + new_height))
    if ratio > INSTAGRAM_MAX_RATIO:
        new_width = int(height * INSTAGRAM_MAX_RATIO)
        left = (width - new_width) // 2
        return image.crop((left, 0, left + new_width, height))
    return image


def instagram_derivative(data: bytes) -> PreparedImage:
    """An sRGB JPEG, width ≤ 1440 px, aspect ratio within 4:5–1.91:1, no metadata."""
    image = _crop_to_ratio(_open(data))
    if image.width < INSTAGRAM_MIN_WIDTH:
        raise InvalidPhoto(
            f"the image is {image.width} px wide; Instagram needs at least {INSTAGRAM_MIN_WIDTH}"
        )
    if image.width > INSTAGRAM_MAX_WIDTH:
        height = round(image.height * INSTAGRAM_MAX_WIDTH / image.width)
        image = image.resize((INSTAGRAM_MAX_WIDTH, height), Image.Resampling.LANCZOS)
    return _jpeg(image, quality=88)


def claude_copy(data: bytes) -> PreparedImage:
    """A JPEG no larger than Claude reads without downscaling (≤ 1568 px, ≤ 1.15 MP)."""
    image = _open(data)
    scale = min(
        1.0,
        CLAUDE_MAX_EDGE / max(image.size),
        (CLAUDE_MAX_PIXELS / (image.width * image.height)) ** 0.5,
    )
    if scale < 1.0:
        size = (max(1, int(image.width * scale)), max(1, int(image.height * scale)))
        image = image.resize(size, Image.Resampling.LANCZOS)
    return _jpeg(image, quality=85)
