"""Opening photos safely and decoding them at the size needed, upright and in sRGB.

Every refusal is an ``InvalidPhoto`` with a reason a brand manager understands. A JPEG is
decoded at a reduced size (``draft``: the decoder skips detail it would throw away) when
the result is smaller anyway, which is most of the time saved on a 24 MP photo.
"""

from __future__ import annotations

import io
import math
import warnings

import pillow_heif
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

__all__ = [
    "MAX_SOURCE_PIXELS",
    "MIN_SHORT_EDGE",
    "InvalidPhoto",
    "decode",
    "displayed_size",
    "open_photo",
    "to_srgb_rgb",
]

MAX_SOURCE_PIXELS = 100_000_000
"""Decompression-bomb cap: a 100 MP photo decodes to 300 MB; more is refused, never decoded."""
MIN_SHORT_EDGE = 320
"""A photo whose shorter side has fewer pixels is too small to post (Instagram's minimum)."""

# Pillow refuses above twice its cap on its own; the explicit check in open_photo comes first.
Image.MAX_IMAGE_PIXELS = MAX_SOURCE_PIXELS
pillow_heif.register_heif_opener()

_TOO_MANY_PIXELS = (
    f"the image has more pixels than the {MAX_SOURCE_PIXELS // 1_000_000} MP feedpub "
    "processes safely (a decompression bomb or a scan far larger than a photo)"
)
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_WIDE_MODES = {"I;16", "I;16B", "I;16L", "I;16N", "I", "F"}
_UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)


class InvalidPhoto(Exception):
    """The file cannot be used as a photo; the message says why in plain words."""

    def __init__(self, reason: str, cause: str) -> None:
        super().__init__(reason)
        self.cause = cause
        """A short, stable name of the reason (``unreadable``, ``too-small``...): photos
        refused for the same cause one after another are counted (see photo_rejections)."""


def open_photo(data: bytes) -> Image.Image:
    """The photo's header (pixels not decoded yet), refused if empty, unreadable or huge."""
    if not data:
        raise InvalidPhoto("the file is empty", "empty")
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its cap and twice it: refuse there too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidPhoto(_TOO_MANY_PIXELS, "too-many-pixels") from None
    except _UNREADABLE as exc:
        raise InvalidPhoto(_unreadable(exc), "unreadable") from None
    width, height = image.size
    if width * height > MAX_SOURCE_PIXELS:
        raise InvalidPhoto(_TOO_MANY_PIXELS, "too-many-pixels")
    if min(width, height) < MIN_SHORT_EDGE:
        raise InvalidPhoto(
            f"the image is {width}×{height} px, too small to post "
            f"(at least {MIN_SHORT_EDGE} px on each side)",
            "too-small",
        )
    try:
        image.getexif()  # read and cached now: for PNG that means reading past the header
    except _UNREADABLE as exc:
        raise InvalidPhoto(_unreadable(exc), "unreadable") from None
    return image


def _unreadable(exc: BaseException) -> str:
    return f"the file is not a readable image ({exc.__class__.__name__})"


def displayed_size(image: Image.Image) -> tuple[int, int]:
    """Width and height as the photo is meant to be seen (EXIF orientation applied)."""
    width, height = image.size
    # Orientations 5 to 8 turn the picture by a quarter: width and height swap.
    return (height, width) if image.getexif().get(0x0112) in (5, 6, 7, 8) else (width, height)


def decode(image: Image.Image, scale: float = 1.0) -> Image.Image:
    """Decoded pixels at least ``scale`` × full size, upright, in a mode Pillow resizes well.

    The result is RGB, RGBA, L, LA or CMYK and keeps the source's ICC profile in ``info``.
    """
    icc = image.info.get("icc_profile")
    if scale < 1.0 and image.format == "JPEG":
        width, height = image.size
        image.draft(None, (math.ceil(width * scale), math.ceil(height * scale)))
    try:
        image.load()
        ImageOps.exif_transpose(image, in_place=True)
    except Image.DecompressionBombError:
        raise InvalidPhoto(_TOO_MANY_PIXELS, "too-many-pixels") from None
    except _UNREADABLE as exc:
        raise InvalidPhoto(_unreadable(exc), "unreadable") from None
    image = _resizable(image)
    if icc:
        image.info["icc_profile"] = icc
    return image


def _resizable(image: Image.Image) -> Image.Image:
    if image.mode in _WIDE_MODES:
        # 16-bit grey: scale 0–65535 down to 0–255 (a plain convert would clip at 255).
        image = image.convert("I").point(lambda value: value / 257).convert("L")
    elif image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif image.mode in ("1", "PA", "La", "RGBa", "RGBX", "YCbCr", "LAB", "HSV"):
        image = image.convert("RGBA" if "A" in image.mode or "a" in image.mode else "RGB")
    return image


def to_srgb_rgb(image: Image.Image, background: tuple[int, int, int]) -> Image.Image:
    """Opaque 8-bit sRGB: the embedded colour profile converted, transparency on ``background``."""
    icc = image.info.get("icc_profile")
    alpha = image.getchannel("A") if image.mode in ("RGBA", "LA") else None
    base = image.convert({"RGBA": "RGB", "LA": "L"}[image.mode]) if alpha is not None else image
    converted = None
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(base, source, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            # A broken or mismatched profile is ignored, as browsers do: pixels read as sRGB.
            converted = None
    if converted is not None:
        image = converted
    else:
        image = base if base.mode == "RGB" else base.convert("RGB")
    if alpha is not None:
        flat = Image.new("RGB", image.size, background)
        flat.paste(image, mask=alpha)
        image = flat
    image.info.pop("icc_profile", None)
    return image
