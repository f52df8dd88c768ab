"""What can be measured on a photo: size, orientation, colours, light, sharpness, and a
perceptual hash that finds the same picture again after resizing or recompression."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import imagehash
from PIL import Image, ImageFilter, ImageStat

__all__ = ["NEAR_DUPLICATE_DISTANCE", "PhotoFacts", "hash_distance", "measure"]

NEAR_DUPLICATE_DISTANCE = 4
"""Bits (of 64) two perceptual hashes may differ by and still be the same picture. Measured:
a resize, JPEG recompression or 2 % crop moves 0–2 bits; the different (and alike) sample
photos of one brand in examples/photos are 6 or more apart."""
_FLAT_STDDEV = 3.0
"""Below this grey-level spread a photo has no structure, and its hash says nothing."""
_LAPLACIAN = ImageFilter.Kernel((3, 3), (0, 1, 0, 1, -4, 1, 0, 1, 0), scale=1, offset=128)


@dataclass(frozen=True)
class PhotoFacts:
    """Facts measured on the photo, for the caption writer, the report and duplicate checks."""

    width: int
    height: int
    """Size of the original as it is meant to be seen (EXIF orientation applied)."""
    orientation: str
    """``landscape``, ``portrait`` or ``square``."""
    dominant_colours: list[str] = field(default_factory=list)
    """Up to three ``#rrggbb`` colours, the most common first."""
    brightness: float = 0.0
    """Mean lightness, 0 (black) to 1 (white)."""
    sharpness: float = 0.0
    """Variance of the Laplacian on the ≤ 1568 px copy: below about 50 the photo looks soft."""
    phash: str | None = None
    """64-bit perceptual hash in hex; None for a featureless (flat) picture."""

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def measure(image: Image.Image, original_size: tuple[int, int]) -> PhotoFacts:
    """Facts of ``image`` (an RGB copy of the photo) whose original is ``original_size``."""
    width, height = original_size
    ratio = width / height
    orientation = "square" if 0.95 <= ratio <= 1.05 else "landscape" if ratio > 1 else "portrait"
    grey = image.convert("L")
    stats = ImageStat.Stat(grey)
    flat = stats.stddev[0] < _FLAT_STDDEV
    return PhotoFacts(
        width=width,
        height=height,
        orientation=orientation,
        dominant_colours=_dominant_colours(image),
        brightness=round(stats.mean[0] / 255, 3),
        sharpness=round(ImageStat.Stat(grey.filter(_LAPLACIAN)).var[0], 1),
        phash=None if flat else str(imagehash.phash(image)),
    )


def hash_distance(first: str, second: str) -> int:
    """Bits in which two hex perceptual hashes differ."""
    return (int(first, 16) ^ int(second, 16)).bit_count()


def _dominant_colours(image: Image.Image) -> list[str]:
    small = image.convert("RGB").resize((64, 64), Image.Resampling.BOX)
    quantized = small.quantize(colors=4, method=Image.Quantize.MEDIANCUT)
    palette = quantized.getpalette() or []
    counts = sorted(quantized.getcolors() or [], reverse=True)
    colours = []
    for _count, index in counts[:3]:
        assert isinstance(index, int)
        red, green, blue = palette[index * 3 : index * 3 + 3]
        colours.append(f"#{red:02x}{green:02x}{blue:02x}")
    return colours
