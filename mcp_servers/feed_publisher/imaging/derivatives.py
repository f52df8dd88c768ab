"""Image preparation with Pillow: the Instagram derivative and the copy Claude looks at.

Pure functions on bytes, so they run in a worker thread and are tested without S3. Accepted:
JPEG, PNG (with alpha, 16-bit), WebP and HEIC/HEIF, in RGB, grey or CMYK, upright by EXIF
orientation. Out: 8-bit sRGB JPEG with no metadata at all. The photo is decoded straight at
the size it is needed at, or decoded and shrunk at once: no image larger than the decoded
photo or the output is ever made.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image
from PIL.JpegImagePlugin import JpegImageFile

from .decoding import decode, shrunk, to_srgb_rgb
from .facts import PhotoFacts, measure
from .framing import frame, framed_size
from .headers import InvalidPhoto, displayed_size, open_photo, read_header
from .memory import decode_memory

__all__ = ["PreparedImage", "derivative_memory", "instagram_derivative", "look", "look_memory"]

INSTAGRAM_MAX_WIDTH = 1440
INSTAGRAM_MAX_BYTES = 8 * 1024 * 1024
CLAUDE_MAX_EDGE = 1568
CLAUDE_MAX_PIXELS = 1_150_000
WHITE = (255, 255, 255)


@dataclass(frozen=True)
class PreparedImage:
    """JPEG bytes with their pixel size."""

    data: bytes
    width: int
    height: int


def instagram_derivative(
    data: bytes, *, fit: str = "crop", background: tuple[int, int, int] = WHITE
) -> PreparedImage:
    """An sRGB JPEG, width ≤ 1440 px, ratio within 4:5–1.91:1, < 8 MiB, no metadata.

    Args:
        fit: ``crop`` (keep the detailed part) or ``pad`` (add bands of ``background``).
        background: The padding colour, also under transparent pixels.
    """
    header = open_photo(data)
    image = frame(decode(header, derivative_size(displayed_size(header), fit)), fit, background)
    if image.width > INSTAGRAM_MAX_WIDTH:  # a pixel of rounding in the frame
        height = max(1, round(image.height * INSTAGRAM_MAX_WIDTH / image.width))
        image = shrunk(image, (INSTAGRAM_MAX_WIDTH, height))
    image = to_srgb_rgb(image, background)
    for quality in (88, 80, 70):
        prepared = _jpeg(image, quality, optimize=False)
        if len(prepared.data) < INSTAGRAM_MAX_BYTES:
            return prepared
    raise InvalidPhoto(
        "the photo does not fit Instagram's 8 MiB limit even as a JPEG of quality 70",
        "too-large",
    )


def derivative_size(size: tuple[int, int], fit: str) -> tuple[int, int]:
    """The size the photo (displayed at ``size``) is shrunk to before it is framed: the frame
    (crop or padding) is then at most Instagram's width, and the canvas never larger."""
    scale = min(1.0, INSTAGRAM_MAX_WIDTH / framed_size(*size, fit)[0])
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def derivative_memory(data: bytes, fit: str) -> int:
    """Bytes ``instagram_derivative`` takes at its peak on ``data``, told from its header;
    InvalidPhoto if the header alone is reason to refuse it."""
    return _memory(data, lambda size: derivative_size(size, fit))


def look_memory(data: bytes) -> int:
    """Bytes ``look`` takes at its peak on ``data``, as ``derivative_memory``."""
    return _memory(data, look_size)


def _memory(data: bytes, output: Callable[[tuple[int, int]], tuple[int, int]]) -> int:
    header = read_header(data)
    # Only a JPEG's output size changes what its decode takes (how far libjpeg reduces it),
    # and only a JPEG's EXIF is read without decoding: a PNG's may come after its pixels.
    shown = displayed_size(header) if isinstance(header, JpegImageFile) else header.size
    return decode_memory(data, header, output(shown))


def look(data: bytes) -> tuple[PreparedImage, PhotoFacts]:
    """Claude's copy of the photo and the facts measured on it, from one decode."""
    header = open_photo(data)
    size = displayed_size(header)
    image = to_srgb_rgb(decode(header, look_size(size)), WHITE)
    # Claude's copy is stored in S3 and sent base64-encoded on every look: worth optimizing.
    return _jpeg(image, quality=85, optimize=True), measure(image, size)


def look_size(size: tuple[int, int]) -> tuple[int, int]:
    """The size of Claude's copy of a photo displayed at ``size``: within Claude's limits."""
    width, height = size
    scale = min(
        1.0, CLAUDE_MAX_EDGE / max(width, height), (CLAUDE_MAX_PIXELS / (width * height)) ** 0.5
    )
    return max(1, int(width * scale)), max(1, int(height * scale))


def _jpeg(image: Image.Image, quality: int, *, optimize: bool) -> PreparedImage:
    out = io.BytesIO()
    # Only pixels leave: no EXIF (GPS tags, camera serials), no comment, no colour profile.
    image.save(out, format="JPEG", quality=quality, optimize=optimize, comment=b"")
    return PreparedImage(out.getvalue(), image.width, image.height)
