"""Bringing a photo into Instagram's aspect ratios (4:5 to 1.91:1): crop or pad.

The crop keeps the subject by looking for detail: the window along the long side that holds
the most edge energy (outlines, texture, text) wins; a photo with detail spread evenly is
cut in the centre. Product and portrait photos put their subject on detail against a calmer
background, which this finds without a model; it is cheap (a 256 px greyscale copy).
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageFilter

__all__ = [
    "INSTAGRAM_MAX_RATIO",
    "INSTAGRAM_MIN_RATIO",
    "MAX_ELONGATION",
    "frame",
    "framed_size",
    "unusable_shape",
]

INSTAGRAM_MIN_RATIO = 4 / 5
INSTAGRAM_MAX_RATIO = 1.91
MAX_ELONGATION = 40
"""A photo whose long side is more than this many times its short side is a strip no frame
makes a post of: padded, it would be a line under 45 px across in a 1440 px post; cropped,
less than a thirtieth of it would show."""
_PROFILE_EDGE = 256
_CENTRE_PREFERENCE = 1.10
"""The best window must hold 10 % more detail than the centred one to move the crop."""


def framed_size(width: int, height: int, fit: str) -> tuple[int, int]:
    """Size after ``frame`` (``crop`` or ``pad``) of a ``width`` × ``height`` photo."""
    ratio = width / height
    if ratio < INSTAGRAM_MIN_RATIO:
        if fit == "pad":
            return math.ceil(height * INSTAGRAM_MIN_RATIO), height
        return width, int(width / INSTAGRAM_MIN_RATIO)
    if ratio > INSTAGRAM_MAX_RATIO:
        if fit == "pad":
            return width, math.ceil(width / INSTAGRAM_MAX_RATIO)
        return int(height * INSTAGRAM_MAX_RATIO), height
    return width, height


def unusable_shape(width: int, height: int) -> str | None:
    """Why no crop or padding makes a post of a ``width`` × ``height`` photo, or None."""
    long, short = max(width, height), min(width, height)
    if long <= short * MAX_ELONGATION:
        return None
    side = "tall" if height > width else "wide"
    other = "wide" if side == "tall" else "high"
    return (
        f"the image is {width}×{height} px, {long // short} times as {side} as it is {other}: "
        f"no crop or padding makes a post of it (at most {MAX_ELONGATION} times)"
    )


def frame(image: Image.Image, fit: str, colour: tuple[int, int, int]) -> Image.Image:
    """``image`` cropped around its detail, or padded with ``colour``, into Instagram's ratios.

    Give it the photo already shrunk to its size in the post: the padded canvas is then no
    larger than the post, whatever the photo's shape.
    """
    size = framed_size(image.width, image.height, fit)
    if size == image.size:
        return image
    if fit == "pad":
        if image.mode in ("L", "LA"):
            image = image.convert("RGBA" if image.mode == "LA" else "RGB")
        canvas = Image.new(image.mode, size, _fill(image.mode, colour))
        canvas.info = dict(image.info)
        left, top = (size[0] - image.width) // 2, (size[1] - image.height) // 2
        canvas.paste(image, (left, top))
        return canvas
    tall = size[1] < image.height
    length = image.height if tall else image.width
    window = size[1] if tall else size[0]
    start = _busiest_window(image, tall, window / length)
    offset = min(length - window, round(start * length))
    box = (0, offset, size[0], offset + window) if tall else (offset, 0, offset + window, size[1])
    return image.crop(box)


def _busiest_window(image: Image.Image, tall: bool, share: float) -> float:
    """Start of the window (as a share of the long side) holding the most edge energy."""
    small = image.convert("L")
    small.thumbnail((_PROFILE_EDGE, _PROFILE_EDGE))
    edges = np.asarray(small.filter(ImageFilter.FIND_EDGES), dtype=np.float64)
    edges = edges[1:-1, 1:-1]  # the filter invents edges along the border
    profile = edges.sum(axis=1 if tall else 0)
    window = max(1, round(share * len(profile)))
    if window >= len(profile):
        return 0.0
    sums = np.convolve(profile, np.ones(window), mode="valid")
    centre = (len(sums) - 1) // 2
    best = int(np.argmax(sums))
    if sums[best] <= sums[centre] * _CENTRE_PREFERENCE:
        best = centre
    return best / len(profile)


def _fill(mode: str, colour: tuple[int, int, int]) -> tuple[float, ...]:
    if mode == "RGBA":
        return (*colour, 255)
    if mode == "CMYK":
        cmyk = Image.new("RGB", (1, 1), colour).convert("CMYK").getpixel((0, 0))
        assert isinstance(cmyk, tuple)
        return cmyk
    return colour
