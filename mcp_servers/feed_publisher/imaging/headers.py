"""Opening photos safely: what a file's header says, before any pixel is decoded.

Every refusal is an ``InvalidPhoto`` with a reason a brand manager understands. Only the
readers of the formats feedpub posts ever parse a file; any other is named from its first
bytes and refused.
"""

from __future__ import annotations

import io
import warnings

import pillow_heif
from PIL import Image, UnidentifiedImageError

from .framing import unusable_shape

__all__ = [
    "MAX_SOURCE_PIXELS",
    "MIN_SHORT_EDGE",
    "TOO_MANY_PIXELS",
    "UNREADABLE",
    "InvalidPhoto",
    "displayed_size",
    "format_name",
    "open_photo",
    "orientation",
    "read_header",
    "unreadable",
]

MAX_SOURCE_PIXELS = 100_000_000
"""Decompression-bomb cap: more pixels are refused, never decoded. A JPEG up to it is decoded
at a reduced size; other formats have lower caps (see memory)."""
MIN_SHORT_EDGE = 320
"""A photo whose shorter side has fewer pixels is too small to post (Instagram's minimum)."""

# Pillow refuses above twice its cap on its own; the explicit check in read_header comes first.
Image.MAX_IMAGE_PIXELS = MAX_SOURCE_PIXELS
pillow_heif.register_heif_opener()

_READERS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WebP", "HEIF": "HEIC"}
"""Pillow's readers of the formats feedpub posts, and the name each is known by. MPO is the
JPEG a camera writes with a second picture inside (a preview, a depth map)."""
_OPENED_BY = ["JPEG", "PNG", "WEBP", "HEIF"]  # the JPEG reader opens MPO files too
_ACCEPTED = "JPEG, PNG, WebP or HEIC"
TOO_MANY_PIXELS = (
    f"the image has more pixels than the {MAX_SOURCE_PIXELS // 1_000_000} MP feedpub "
    "processes safely (a decompression bomb or a scan far larger than a photo)"
)
UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)
"""What Pillow raises on a file it cannot read."""


class InvalidPhoto(Exception):
    """The file cannot be used as a photo; the message says why in plain words."""

    def __init__(self, reason: str, cause: str) -> None:
        super().__init__(reason)
        self.cause = cause
        """A short, stable name of the reason (``unreadable``, ``too-small``...): photos
        refused for the same cause one after another are counted (see library.rejections)."""


def read_header(data: bytes) -> Image.Image:
    """The photo's header, no pixel decoded yet: refused if empty, unreadable, of a format
    feedpub does not post, too large, too small, or a strip no frame makes a post of."""
    if not data:
        raise InvalidPhoto("the file is empty", "empty")
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its cap and twice it: refuse there too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=_OPENED_BY)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidPhoto(TOO_MANY_PIXELS, "too-many-pixels") from None
    except UnidentifiedImageError as exc:
        if (other := _format_by_signature(data)) is not None:
            raise InvalidPhoto(
                f"the file is in the {other} format, not one feedpub posts ({_ACCEPTED})",
                "unsupported-format",
            ) from None
        raise InvalidPhoto(unreadable(exc), "unreadable") from None
    except UNREADABLE as exc:
        raise InvalidPhoto(unreadable(exc), "unreadable") from None
    width, height = image.size
    if width * height > MAX_SOURCE_PIXELS:
        raise InvalidPhoto(TOO_MANY_PIXELS, "too-many-pixels")
    if min(width, height) < MIN_SHORT_EDGE:
        raise InvalidPhoto(
            f"the image is {width}×{height} px, too small to post "
            f"(at least {MIN_SHORT_EDGE} px on each side)",
            "too-small",
        )
    if (problem := unusable_shape(width, height)) is not None:
        raise InvalidPhoto(problem, "unusable-shape")
    return image


def open_photo(data: bytes) -> Image.Image:
    """The photo's header and metadata, refused as ``read_header`` does.

    For a PNG this decodes the pixels: its EXIF may come after them.
    """
    image = read_header(data)
    try:
        image.getexif()  # read and cached now
    except UNREADABLE as exc:
        raise InvalidPhoto(unreadable(exc), "unreadable") from None
    return image


def format_name(image: Image.Image) -> str:
    """The name brand managers know the photo's format by: JPEG, PNG, WebP or HEIC."""
    return _READERS.get(image.format or "", image.format or "unknown")


def orientation(image: Image.Image) -> int:
    """The EXIF orientation, 1 (upright) to 8; 1 when there is none."""
    value = image.getexif().get(0x0112)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def displayed_size(image: Image.Image) -> tuple[int, int]:
    """Width and height as the photo is meant to be seen (EXIF orientation applied)."""
    width, height = image.size
    # Orientations 5 to 8 turn the picture by a quarter: width and height swap.
    return (height, width) if orientation(image) >= 5 else (width, height)


def unreadable(exc: BaseException) -> str:
    return f"the file is not a readable image ({exc.__class__.__name__})"


def _format_by_signature(data: bytes) -> str | None:
    """The format another of Pillow's readers recognises ``data`` as, from its first bytes
    only: the file is never parsed by a reader feedpub does not use."""
    Image.init()
    for name, (_factory, accepts) in Image.OPEN.items():
        if name not in _READERS and accepts is not None and accepts(data[:16]):
            return name
    return None
