"""Image blocks: the API's checks on base64 images, and plain facts read from the pixels."""

from __future__ import annotations

import base64
import binascii
import colorsys
import dataclasses
import hashlib
import io
from collections import Counter
from dataclasses import dataclass
from typing import Any

from PIL import Image

from ..trait_marks import read_traits
from .errors import ApiError, invalid_request
from .signs import sign_on

FORMAT_OF_MEDIA_TYPE = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
}
MAX_BASE64_BYTES = 5 * 1024 * 1024
MAX_SIDE_PIXELS = 8000


@dataclass(frozen=True)
class ImageFacts:
    """What the emulator knows about one decoded image; enough to describe it honestly."""

    path: str
    """Where the block sits in the request, e.g. `messages.0.content.1`."""
    media_type: str
    width: int
    height: int
    byte_size: int
    """Length of the decoded bytes."""
    colour: str = "grey"
    """Most frequent colour family: red, orange, yellow, green, teal, blue, purple, pink, brown,
    black, white or grey."""
    shade: str = ""
    """`dark`, `light` or empty, for the most frequent colour."""
    brightness: str = "medium"
    """`dark`, `medium` or `bright`, from the mean luminance."""
    sign: str = ""
    """The text the photo shows, from its sign mark (see `signs`); empty for most photos."""
    traits: dict[str, str] | None = None
    """What the photo truly shows, from its trait mark (``devstack.trait_marks``); None when it
    has none."""
    digest: str = ""
    """SHA-256 of the decoded bytes, hex: what a deterministic answer about the photo is
    drawn from."""

    @property
    def orientation(self) -> str:
        if self.width == self.height:
            return "square"
        return "landscape" if self.width > self.height else "portrait"


def read_image(source: Any, path: str) -> ImageFacts:
    """Decode an image block's `source` the way the API checks it.

    Raises:
        ApiError: 400 for anything the API refuses (except sides over the limit: the API
            names every such image at once, see `oversized_image_error`).
    """
    if not isinstance(source, dict) or source.get("type") != "base64":
        raise invalid_request(
            f"{path}.source: the emulator accepts base64 image sources only "
            "(url and file sources would need the internet or the Files API)"
        )
    media_type, data = source.get("media_type"), source.get("data")
    where = f"{path}.source.base64"
    if media_type not in FORMAT_OF_MEDIA_TYPE:
        allowed = "'image/jpeg', 'image/png', 'image/gif' or 'image/webp'"
        raise invalid_request(f"{where}.media_type: Input should be {allowed}")
    if not isinstance(data, str) or not data:
        raise invalid_request(f"{where}.data: Field required")
    if len(data) > MAX_BASE64_BYTES:
        raise invalid_request(
            f"{where}: image exceeds 5 MB maximum: {len(data)} bytes > {MAX_BASE64_BYTES} bytes"
        )
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise invalid_request(f"{where}.data: invalid base64 data") from None
    try:
        with Image.open(io.BytesIO(raw)) as image:
            found = image.format
            width, height = image.size
            if found != FORMAT_OF_MEDIA_TYPE[media_type]:
                actual = f"image/{found.lower()}" if found else "an unknown format"
                raise invalid_request(
                    f"{where}.data: The image was specified using the {media_type} media type, "
                    f"but the image appears to be {actual}"
                )
            digest = hashlib.sha256(raw).hexdigest()
            facts = ImageFacts(path, media_type, width, height, len(raw), digest=digest)
            if max(width, height) > MAX_SIDE_PIXELS:
                return facts  # refused later; no point decoding the pixels
            return _with_colours(facts, image)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise invalid_request(f"{where}.data: Could not process image") from None


def oversized_image_error(images: list[ImageFacts]) -> ApiError | None:
    """The API's error naming every image with a side over 8000 px, or None if there is none."""
    paths = [image.path for image in images if max(image.width, image.height) > MAX_SIDE_PIXELS]
    if not paths:
        return None
    return invalid_request(
        f"{paths[0]}.source.base64.data: At least one of the image dimensions exceed max "
        f"allowed size: {MAX_SIDE_PIXELS} pixels",
        details={
            "error_code": "image_dimensions_too_large",
            "max_side_length_pixels": MAX_SIDE_PIXELS,
            "paths": paths,
        },
    )


def _with_colours(facts: ImageFacts, image: Image.Image) -> ImageFacts:
    image.draft("RGB", (64, 64))  # lets JPEG decode at a fraction of full size
    small = image.convert("RGB")
    traits = read_traits(small)  # on its own copy: the mark needs more than 32 pixels a side
    small.thumbnail((32, 32))
    pixels = [small.getpixel((x, y)) for y in range(small.height) for x in range(small.width)]
    families: Counter[tuple[str, str]] = Counter()
    luminance = 0.0
    for red, green, blue in pixels:  # type: ignore[misc]
        families[_colour_family(red / 255, green / 255, blue / 255)] += 1
        luminance += (0.299 * red + 0.587 * green + 0.114 * blue) / 255
    (colour, shade), _ = families.most_common(1)[0]
    mean = luminance / len(pixels)
    brightness = "dark" if mean < 0.35 else "bright" if mean > 0.65 else "medium"
    return dataclasses.replace(
        facts,
        colour=colour,
        shade=shade,
        brightness=brightness,
        sign=sign_on(small),
        traits=traits,
    )


def _colour_family(red: float, green: float, blue: float) -> tuple[str, str]:
    hue, saturation, value = colorsys.rgb_to_hsv(red, green, blue)
    if value < 0.18:
        return "black", ""
    if saturation < 0.18:
        return ("white", "") if value > 0.85 else ("grey", "")
    degrees = hue * 360
    bounds = [(15, "red"), (40, "orange"), (65, "yellow"), (165, "green"), (195, "teal")]
    bounds += [(255, "blue"), (290, "purple"), (345, "pink"), (361, "red")]
    colour = next(name for limit, name in bounds if degrees < limit)
    if colour in ("orange", "yellow") and value < 0.55:
        return "brown", ""
    shade = "dark" if value < 0.6 else "light" if value > 0.85 and saturation < 0.45 else ""
    return colour, shade
