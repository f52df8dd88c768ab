"""Image preparation with Pillow: the Instagram derivative and the copy Claude looks at.

Pure functions on bytes, so they run in a worker thread and are tested without S3. Accepted:
whatever Pillow and pillow-heif read (JPEG, PNG with alpha, WebP, HEIC/HEIF, CMYK, 16-bit),
upright by EXIF orientation. Out: 8-bit sRGB JPEG with no metadata at all.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from dataclasses import dataclass

from PIL import Image

from .image_decoding import (
    MAX_SOURCE_PIXELS,
    InvalidPhoto,
    decode,
    displayed_size,
    open_photo,
    to_srgb_rgb,
)
from .image_facts import PhotoFacts, measure
from .image_framing import INSTAGRAM_MAX_RATIO, INSTAGRAM_MIN_RATIO, frame, framed_size

__all__ = [
    "INSTAGRAM_MAX_RATIO",
    "INSTAGRAM_MIN_RATIO",
    "MAX_SOURCE_PIXELS",
    "InvalidPhoto",
    "PhotoFacts",
    "PreparedImage",
    "claude_copy",
    "instagram_derivative",
    "look",
]

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
    width, _ = framed_size(*displayed_size(header), fit)
    scale = min(1.0, INSTAGRAM_MAX_WIDTH / width)
    image = frame(decode(header, scale), fit, background)
    if image.width > INSTAGRAM_MAX_WIDTH:
        height = max(1, round(image.height * INSTAGRAM_MAX_WIDTH / image.width))
        image = _shrunk(image, (INSTAGRAM_MAX_WIDTH, height))
    image = to_srgb_rgb(image, background)
    for quality in (88, 80, 70):
        prepared = _jpeg(image, quality, optimize=False)
        if len(prepared.data) < INSTAGRAM_MAX_BYTES:
            return prepared
    raise InvalidPhoto(
        "the photo does not fit Instagram's 8 MiB limit even as a JPEG of quality 70",
        "too-large",
    )


def claude_copy(data: bytes) -> PreparedImage:
    """A JPEG no larger than Claude reads without downscaling (≤ 1568 px, ≤ 1.15 MP)."""
    return look(data)[0]


_LOOKED: OrderedDict[bytes, tuple[PreparedImage, PhotoFacts]] = OrderedDict()
_LOOKED_MAX_BYTES = 48 * 1024 * 1024
_looked_lock = threading.Lock()
_looked_bytes = 0


def look(data: bytes) -> tuple[PreparedImage, PhotoFacts]:
    """Claude's copy of the photo and the facts measured on it, from one decode.

    A run looks at its photo twice (the checks, then the captions): the second time, the same
    bytes are found among the recent looks (about 48 MB of copies) and not decoded again.
    """
    digest = hashlib.sha256(data).digest()
    with _looked_lock:
        if (seen := _LOOKED.get(digest)) is not None:
            _LOOKED.move_to_end(digest)
            return seen
    found = _look_once(data)
    global _looked_bytes
    with _looked_lock:
        if digest not in _LOOKED:
            _LOOKED[digest] = found
            _looked_bytes += len(found[0].data)
        while _looked_bytes > _LOOKED_MAX_BYTES:
            _looked_bytes -= len(_LOOKED.popitem(last=False)[1][0].data)
    return found


def _look_once(data: bytes) -> tuple[PreparedImage, PhotoFacts]:
    header = open_photo(data)
    width, height = displayed_size(header)
    scale = min(
        1.0, CLAUDE_MAX_EDGE / max(width, height), (CLAUDE_MAX_PIXELS / (width * height)) ** 0.5
    )
    image = decode(header, scale)
    if scale < 1.0:
        image = _shrunk(image, (max(1, int(width * scale)), max(1, int(height * scale))))
    image = to_srgb_rgb(image, WHITE)
    # Claude's copy is kept among the recent looks and sent base64-encoded: worth optimizing.
    return _jpeg(image, quality=85, optimize=True), measure(image, (width, height))


def _shrunk(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    # After a draft decode the last step is small (1500 → 1440 px): bilinear looks the same
    # there and is faster. A large step (PNG, HEIC, small JPEG) gets LANCZOS.
    small_step = size[0] >= image.width * 0.8
    method = Image.Resampling.BILINEAR if small_step else Image.Resampling.LANCZOS
    return image.resize(size, method, reducing_gap=None if small_step else 3.0)


def _jpeg(image: Image.Image, quality: int, *, optimize: bool) -> PreparedImage:
    out = io.BytesIO()
    # Only pixels leave: no EXIF (GPS tags, camera serials), no comment, no colour profile.
    image.save(out, format="JPEG", quality=quality, optimize=optimize, comment=b"")
    return PreparedImage(out.getvalue(), image.width, image.height)
