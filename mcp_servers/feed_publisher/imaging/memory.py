"""How much memory decoding a photo takes, told from its header before any pixel is decoded.

The feed-publisher keeps the decodes it runs at once within ``DECODE_MEMORY``
(library.photo_work), and refuses a photo whose decode alone would need more: that is the cap
on pixels of each format. Only a JPEG can be decoded at a reduced size (libjpeg skips the
detail it would throw away); every other format is decoded whole, so its cap is far lower
than the 100 MP of a JPEG. The bytes per pixel below are peaks measured on 24 MP photos of
each format and mode (decode, then the shrink to the size needed), rounded up.
"""

from __future__ import annotations

import math

from PIL import Image
from PIL.JpegImagePlugin import JpegImageFile

from .headers import InvalidPhoto, format_name, orientation

__all__ = ["DECODE_MEMORY", "decode_memory"]

MIB = 1024 * 1024
DECODE_MEMORY = 192 * MIB
"""What all the decodes the feed-publisher runs at once may take together."""
_OUTPUT = 16 * MIB
"""Work at the size of the output whatever the photo: the shrunk copy, its sRGB conversion,
the JPEG encoder, the facts measured on it."""
_OUTPUT_PIXELS = 1440 * 1800
"""The largest post: what ``_OUTPUT`` holds."""
_SHRUNK_PER_PIXEL = 5
"""Bytes per pixel of a shrunk photo beyond the post's size: Pillow holds RGB in 4, and the
crop looks for detail on a grey copy."""
_PER_PIXEL = {
    "PNG": {"L": 2.0, "RGB": 6.5, "P": 7.0, "1": 7.0},
    "WebP": {},
    "HEIC": {"L": 4.5, "RGB": 7.0},
    "JPEG": {"L": 6.0, "RGB": 6.0, "CMYK": 6.0},
}
"""Peak bytes per decoded pixel by format and mode; the mode not listed takes the default."""
_DEFAULT_PER_PIXEL = {"PNG": 11.0, "WebP": 17.5, "HEIC": 10.5, "JPEG": 6.0}
"""Alpha, 16-bit grey or a palette with transparency: converted at full size before the
shrink. WebP: libwebp's canvas, its copy handed to Pillow, and Pillow's image."""


def decode_memory(data: bytes, header: Image.Image, size: tuple[int, int]) -> int:
    """Bytes decoding the photo ``data`` (opened as ``header``) at ``size`` takes at its peak;
    InvalidPhoto if more than ``DECODE_MEMORY``, with the most pixels feedpub decodes of such
    a photo."""
    pixels = header.width * header.height
    buffered = _buffered_scans(data, header)
    per_pixel = _per_full_pixel(header, size, buffered=buffered)
    shrunk = _SHRUNK_PER_PIXEL * _shrunk_beyond_the_post(header, size)
    needed = _OUTPUT + shrunk + math.ceil(pixels * per_pixel)
    if needed > DECODE_MEMORY:
        cap = (DECODE_MEMORY - _OUTPUT - shrunk) / per_pixel
        kind = ("progressive " if buffered else "") + format_name(header)
        raise InvalidPhoto(
            f"the {kind} image has {pixels / 1e6:.0f} MP, more pixels than the {cap / 1e6:.0f}"
            f" MP feedpub decodes of such an image within its memory",
            "too-many-pixels",
        )
    return needed


def _shrunk_beyond_the_post(header: Image.Image, size: tuple[int, int]) -> int:
    """Pixels of the shrunk photo beyond the largest post's. A photo is shrunk to the post's
    size, except a strip cropped for Instagram: shrunk whole (to a width just under its
    own) before its window is cut out, it can be nearly as large as the photo decoded."""
    reduced = _draft_factor(header, size) if isinstance(header, JpegImageFile) else 1
    decoded = (header.width // reduced) * (header.height // reduced)
    wanted = size[0] * size[1]
    return 0 if wanted >= decoded else max(0, wanted - _OUTPUT_PIXELS)


def _per_full_pixel(header: Image.Image, size: tuple[int, int], *, buffered: bool) -> float:
    """Peak bytes per pixel of the photo at full size."""
    kind = format_name(header)
    per_decoded = _PER_PIXEL[kind].get(header.mode, _DEFAULT_PER_PIXEL[kind])
    if not isinstance(header, JpegImageFile):
        return per_decoded
    reduced = _draft_factor(header, size)
    # A progressive JPEG (or one whose colours come in separate scans) keeps every DCT
    # coefficient of the whole photo while it decodes, whatever the output size: 2 bytes
    # per sample.
    coefficients = 2 * _samples_per_pixel(header) if buffered else 0.0
    return per_decoded / reduced**2 + coefficients


def _draft_factor(header: JpegImageFile, size: tuple[int, int]) -> int:
    """By how much libjpeg reduces the photo (1, 2, 4 or 8) for an output of ``size`` (as
    displayed), as ``decode`` asks it to."""
    if orientation(header) >= 5:  # stored turned by a quarter
        size = (size[1], size[0])
    fits = min(header.width // max(1, size[0]), header.height // max(1, size[1]))
    return next(factor for factor in (8, 4, 2, 1) if factor <= max(1, fits))


def _samples_per_pixel(header: JpegImageFile) -> float:
    """Colour samples the JPEG stores per pixel: 1.5 for the usual 4:2:0, 3 for 4:4:4."""
    widest = max(h for _id, h, _v, _table in header.layer)
    tallest = max(v for _id, _h, v, _table in header.layer)
    return sum(h * v for _id, h, v, _table in header.layer) / (widest * tallest)


def _buffered_scans(data: bytes, header: Image.Image) -> bool:
    """True if libjpeg keeps the whole photo's coefficients while decoding: a progressive
    JPEG, or one whose first scan carries fewer colour components than the photo has."""
    if not isinstance(header, JpegImageFile):
        return False
    progressive = bool(header.info.get("progressive"))
    return progressive or _first_scan_components(data) < len(header.layer)


def _first_scan_components(data: bytes) -> int:
    """How many colour components the JPEG's first scan carries; 0 if it is not found."""
    position = 2  # after the start-of-image marker
    while position + 4 < len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xFF:  # a fill byte
            position += 1
        elif marker == 0xDA:  # start of scan: its length (2 bytes), then the count
            return data[position + 4]
        else:
            position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
    return 0
