"""Image facts recovered from a photo description in the prompt, when no image is attached.

feedpub describes the photo in one call and writes captions from that description in the
next, without the image. So that alt text and descriptions still fit the photo, the emulator
reads orientation, colour and brightness back out of the (English) description it was given,
such as its own "A portrait photo (1080×1350), mostly dark red tones, bright."
"""

from __future__ import annotations

import re

from .images import ImageFacts

_COLOURS = "red|orange|yellow|green|teal|blue|purple|pink|brown|black|white|grey|gray"
_OWN_WORDS = re.compile(rf"mostly (?:(dark|light) )?({_COLOURS}) tones, (dark|bright|evenly lit)")
_SIZE = re.compile(r"(\d{2,5})\s*[×x]\s*(\d{2,5})")
_ORIENTATION = re.compile(r"\b(landscape|portrait|square)\b", re.IGNORECASE)
_COLOUR = re.compile(rf"\b(?:(dark|light) )?({_COLOURS})\b", re.IGNORECASE)
_BRIGHTNESS = re.compile(r"\b(bright|dark|dim|sunny|sunlit)\b", re.IGNORECASE)


def facts_from_description(texts: list[str]) -> ImageFacts | None:
    """Facts about the photo a text describes, or None when the texts name none."""
    text = "\n".join(texts)
    orientation, colour = _ORIENTATION.search(text), _COLOUR.search(text)
    if orientation is None and colour is None:
        return None
    width, height = _size(text, orientation.group(1).lower() if orientation else "square")
    shade, family, brightness = "", "grey", "medium"
    if own := _OWN_WORDS.search(text):
        shade, family = own.group(1) or "", own.group(2)
        brightness = {"evenly lit": "medium"}.get(own.group(3), own.group(3))
    elif colour:
        shade, family = (colour.group(1) or "").lower(), colour.group(2).lower()
        if light := _BRIGHTNESS.search(text):
            brightness = "dark" if light.group(1).lower() in ("dark", "dim") else "bright"
    family = "grey" if family == "gray" else family
    return ImageFacts("described", "", width, height, 0, family, shade, brightness)


def _size(text: str, orientation: str) -> tuple[int, int]:
    if size := _SIZE.search(text):
        return int(size.group(1)), int(size.group(2))
    return {"landscape": (1200, 800), "portrait": (1080, 1350)}.get(orientation, (1080, 1080))
