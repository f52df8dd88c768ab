"""Decoding photos at the size needed, upright and in sRGB.

A JPEG is decoded at a reduced size (``draft``: the decoder skips detail it would throw away)
when the result is smaller anyway, which is most of the time saved on a 24 MP photo. Every
photo is shrunk before it is turned upright or framed, so that no copy of it at full size is
ever made beside the decoded one.
"""

from __future__ import annotations

import io

from PIL import Image, ImageCms
from PIL.JpegImagePlugin import JpegImageFile

from .headers import (
    TOO_MANY_PIXELS,
    UNREADABLE,
    InvalidPhoto,
    orientation,
    unreadable,
)

__all__ = ["decode", "shrunk", "to_srgb_rgb"]

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_WIDE_MODES = {"I;16", "I;16B", "I;16L", "I;16N", "I", "F"}
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
"""How each EXIF orientation is turned upright."""


def decode(header: Image.Image, size: tuple[int, int]) -> Image.Image:
    """The photo's pixels at ``size`` (as displayed), upright, in a mode Pillow resizes well.

    The result is RGB, RGBA, L, LA or CMYK and keeps the source's ICC profile in ``info``.
    """
    icc = header.info.get("icc_profile")
    turn = orientation(header)
    stored = (size[1], size[0]) if turn >= 5 else size
    if isinstance(header, JpegImageFile) and stored[0] < header.width:
        header.draft(None, stored)
    try:
        header.load()
    except Image.DecompressionBombError:
        raise InvalidPhoto(TOO_MANY_PIXELS, "too-many-pixels") from None
    except UNREADABLE as exc:
        raise InvalidPhoto(unreadable(exc), "unreadable") from None
    image = shrunk(_resizable(header), stored)
    if turn in _UPRIGHT:
        image = image.transpose(_UPRIGHT[turn])
    if icc:
        image.info["icc_profile"] = icc
    return image


def shrunk(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """``image`` resized to ``size`` (smaller, or the same)."""
    if image.size == size:
        return image
    # After a draft decode the last step is small (1500 → 1440 px): bilinear looks the same
    # there and is faster. A large step (PNG, HEIC, small JPEG) gets LANCZOS.
    small_step = size[0] >= image.width * 0.8
    method = Image.Resampling.BILINEAR if small_step else Image.Resampling.LANCZOS
    return image.resize(size, method, reducing_gap=None if small_step else 3.0)


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
