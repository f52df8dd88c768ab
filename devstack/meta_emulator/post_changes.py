"""Switches that make an account's next post go live other than it was sent, so that checks
of the live post can be tested: its caption cut, another image shown, or the post vanishing
(Meta answers that it does not exist, while the publish call said it was made)."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageOps

from .records import InstagramMedia, PagePost
from .state import GraphState

__all__ = ["POST_CHANGES", "PostChange", "apply_next_change"]

POST_CHANGES = ("cut_caption", "other_image", "vanish")


@dataclass(frozen=True)
class PostChange:
    """What happens to the next post of one account (a Page or an Instagram account)."""

    change: str
    """One of ``POST_CHANGES``."""
    keep_characters: int | None = None
    """For ``cut_caption``: how many characters stay (default: half the caption)."""

    def __post_init__(self) -> None:
        if self.change not in POST_CHANGES:
            raise ValueError(f"change must be one of {POST_CHANGES}, not {self.change!r}")
        if self.keep_characters is not None and self.keep_characters < 0:
            raise ValueError("keep_characters must be 0 or more")


def apply_next_change(state: GraphState, account_id: str, post: InstagramMedia | PagePost) -> None:
    """Change the just-published ``post`` as its account's switch says, once."""
    with state.lock:
        change = state.next_changes.pop(account_id, None)
        if change is None:
            return
        if change.change == "vanish":
            post.vanished = True
        elif change.change == "cut_caption":
            text = post.caption if isinstance(post, InstagramMedia) else post.message
            keep = len(text) // 2 if change.keep_characters is None else change.keep_characters
            if isinstance(post, InstagramMedia):
                post.caption = text[:keep]
            else:
                post.message = text[:keep]
        elif post.image_sha256 is not None:
            other = _other_image(state.images[post.image_sha256])
            sha256 = hashlib.sha256(other).hexdigest()
            state.keep_image(sha256, other)
            post.image_sha256 = sha256
            if isinstance(post, PagePost):
                for photo_id in post.photo_ids:
                    state.photos[photo_id].image_sha256 = sha256


def _other_image(data: bytes) -> bytes:
    """A picture plainly not the one sent: its negative, upside down."""
    with Image.open(io.BytesIO(data)) as image:
        other = ImageOps.invert(image.convert("RGB")).transpose(Image.Transpose.ROTATE_180)
    out = io.BytesIO()
    other.save(out, "JPEG", quality=85)
    return out.getvalue()
