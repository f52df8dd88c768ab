"""What a sample photo truly shows, painted on it so that both emulators can read it.

The emulators cannot see. So that the Anthropic emulator can say what a photo shows (and be
wrong for some photos, as a model is) and the Meta emulator's audiences can respond to what
it truly shows, a photo made for the dev stack carries its true look traits
(``feedpub.photo_traits.LOOK_DIMENSIONS``) as a mark: a 2 × 2 block of pure colours at its
centre, one cell per dimension, the colour standing for the value. The centre survives
Instagram's crop, resizing and JPEG; a photo without a mark has no true traits.
"""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageStat

from feedpub.photo_traits import LOOK_DIMENSIONS

__all__ = ["paint_traits", "read_traits"]

PALETTE: tuple[tuple[int, int, int], ...] = (
    (230, 30, 30),
    (30, 190, 40),
    (30, 40, 230),
    (240, 220, 20),
    (250, 250, 250),
)
"""The colour of each value, by its index in its dimension (at most five values)."""
BLOCK_SHARE = 0.4
"""The block's side, as a share of the photo's shorter side."""
_TOLERANCE = 60  # per channel: JPEG and resizing move a flat cell's colour by a few steps
_DIMENSIONS = tuple(LOOK_DIMENSIONS)


def paint_traits(image: Image.Image, traits: dict[str, str]) -> Image.Image:
    """A copy of ``image`` carrying ``traits`` (``{"subject": "detail", ...}``, every look
    dimension) as its mark."""
    marked = image.convert("RGB")
    pen = ImageDraw.Draw(marked)
    for index, (left, top, right, bottom) in enumerate(_cells(marked.size)):
        dimension = _DIMENSIONS[index]
        value = LOOK_DIMENSIONS[dimension].index(traits[dimension])
        pen.rectangle([left, top, right - 1, bottom - 1], fill=PALETTE[value])
    return marked


def read_traits(image: Image.Image) -> dict[str, str] | None:
    """The true traits a photo's mark says, or None when it carries no mark."""
    small = image.convert("RGB")
    small.thumbnail((96, 96))
    found = {}
    for index, (left, top, right, bottom) in enumerate(_cells(small.size)):
        # The middle third of the cell: its edges blur into the neighbours when resized.
        x0, x1 = left + (right - left) // 3, right - (right - left) // 3
        y0, y1 = top + (bottom - top) // 3, bottom - (bottom - top) // 3
        cell = small.crop((x0, y0, max(x1, x0 + 1), max(y1, y0 + 1)))
        mean = tuple(float(band) for band in ImageStat.Stat(cell).mean)
        value = _value_of(mean, len(LOOK_DIMENSIONS[_DIMENSIONS[index]]))
        if value is None:
            return None
        found[_DIMENSIONS[index]] = LOOK_DIMENSIONS[_DIMENSIONS[index]][value]
    return found


def _cells(size: tuple[int, int]) -> list[tuple[int, int, int, int]]:
    width, height = size
    side = max(2, int(min(width, height) * BLOCK_SHARE))
    left, top, half = (width - side) // 2, (height - side) // 2, side // 2
    return [
        (left + col * half, top + row * half, left + (col + 1) * half, top + (row + 1) * half)
        for row in (0, 1)
        for col in (0, 1)
    ]


def _value_of(colour: tuple[float, ...], values: int) -> int | None:
    for index, known in enumerate(PALETTE[:values]):
        if all(abs(a - b) <= _TOLERANCE for a, b in zip(colour, known, strict=True)):
            return index
    return None
