"""What a live post is compared on, and its differences in plain words: the caption sent
against the one shown, the prepared image's perceptual hash against the live image's.

Pure functions: the reading of Meta is ``live_post``'s.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import imagehash
from PIL import Image

from feedpub.contract.after_publishing import LiveCheck

from ..imaging.facts import NEAR_DUPLICATE_DISTANCE, hash_distance

__all__ = [
    "MISSING",
    "LivePost",
    "caption_difference",
    "image_difference",
    "image_phash",
    "live_check_of",
    "live_post_of",
    "missing_post",
]

MISSING = "post missing"
HASHED_PIXELS_AT_MOST = 50_000_000
"""A live image larger than this is not decoded (a CDN answers a few megapixels at most)."""
_UNREADABLE = object()
_HASH_SIZE = (256, 256)
"""A perceptual hash looks at a 32 × 32 copy: decoding more than this is wasted work."""


@dataclass
class LivePost:
    """What Meta's answer shows of a post against what was sent, read whatever its shape."""

    differences: list[str] = field(default_factory=list)
    """Found in the answer itself: the caption's, or a field of a shape that cannot be read."""
    image_url: str | None = None
    """The live photo's address to compare; ``""`` when a photo is attached and Meta does not
    say where; None when there is no photo to compare (its absence is a difference)."""


def live_post_of(platform: str, sent_caption: str, post: Mapping[str, Any]) -> LivePost:
    """Meta's answer for the post (Instagram's ``caption`` and ``media_url``, Facebook's
    ``message`` and attached photo) against the caption sent. A field of an unexpected shape
    is a difference in plain words, never an error: asking Meta again gives the same answer."""
    found = LivePost()
    caption = post.get("caption" if platform == "instagram" else "message")
    if caption is None or isinstance(caption, str):
        if difference := caption_difference(sent_caption, caption):
            found.differences.append(difference)
    else:
        found.differences.append("Meta's answer had no readable caption")
    image = post.get("media_url") if platform == "instagram" else _attached_image(post)
    if image is _UNREADABLE:
        found.differences.append("Meta's answer had no readable attachments")
    elif isinstance(image, str):
        found.image_url = image
    elif image is not None:
        found.differences.append("Meta's answer had no readable image address")
    else:
        found.differences.append("no photo shown in the post")
    return found


def _attached_image(post: Mapping[str, Any]) -> object:
    """The address of the post's attached photo (``""`` when Meta does not give it); None when
    no photo is attached; ``_UNREADABLE`` when the attachments have another shape."""
    attachments = post.get("attachments") or {}
    data = (attachments.get("data") or []) if isinstance(attachments, dict) else None
    if not isinstance(data, list):
        return _UNREADABLE
    for attachment in data:
        if isinstance(attachment, dict) and attachment.get("media_type") == "photo":
            media = attachment.get("media")
            image = media.get("image") if isinstance(media, dict) else None
            return (image.get("src") if isinstance(image, dict) else None) or ""
    return None


def _normal(text: str) -> str:
    """Text as a reader sees it: Meta may store other line ends, trailing spaces or another
    Unicode composition of the same letters."""
    lines = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in lines.split("\n")).strip()


def caption_difference(sent: str, live: str | None) -> str | None:
    """None when the live caption is the one sent; else what differs, in plain words."""
    sent_text, live_text = _normal(sent), _normal(live or "")
    if live_text == sent_text:
        return None
    if not live_text:
        return f"caption missing (a caption of {len(sent_text):,} characters was sent)"
    if sent_text.startswith(live_text):
        return f"caption cut after {len(live_text):,} of {len(sent_text):,} characters"
    same = next(
        (i for i, (a, b) in enumerate(zip(sent_text, live_text, strict=False)) if a != b),
        min(len(sent_text), len(live_text)),
    )
    return f"caption differs from the one sent from character {same + 1:,}"


def image_difference(prepared_phash: str, live_phash: str) -> str | None:
    """None when the live image is the prepared one (within ``NEAR_DUPLICATE_DISTANCE``, what
    Meta's resizing and recompression move); else how far apart they are."""
    distance = hash_distance(prepared_phash, live_phash)
    if distance <= NEAR_DUPLICATE_DISTANCE:
        return None
    return f"wrong image (perceptual hashes {distance} bits apart)"


def image_phash(data: bytes) -> str:
    """The perceptual hash of an image file, in hex as ``facts`` writes it. Blocking
    (Pillow): run it in a thread."""
    with Image.open(io.BytesIO(data)) as image:
        if image.width * image.height > HASHED_PIXELS_AT_MOST:
            raise ValueError(f"an image of {image.width} × {image.height} pixels")
        image.draft("RGB", _HASH_SIZE)
        rgb = image.convert("RGB")
    return str(imagehash.phash(rgb))


def live_check_of(differences: Sequence[str | None], *, image_compared: bool = True) -> LiveCheck:
    """``verified`` when nothing differs (``image_compared``: on the image too, not the
    caption alone); else the differences, one after the other."""
    found = [difference for difference in differences if difference]
    if not found:
        return LiveCheck(verified=True, image_compared=image_compared)
    return LiveCheck(verified=False, difference="; ".join(found))


def missing_post() -> LiveCheck:
    """The post could not be found where Meta said it published it."""
    return LiveCheck(verified=False, difference=MISSING, missing=True)
