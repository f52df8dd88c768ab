"""The emulated audiences: each account's hidden tastes over what its photos truly show.

An account (an Instagram user, a Page) likes a few look traits and dislikes one or two,
drawn from its id unless set through ``/_emulator/audiences``. Its engagement per reach for a
post is a base rate times 1.8 for each liked trait the published image truly shows and 0.6
for each disliked one, times a log-normal noise of σ = 0.5 drawn for the post. The true
traits are read from the image's trait mark (``devstack.trait_marks``); an image without one
shows nothing the audience cares about. These constants are fixed by what the learning must
prove (bench P7): tuning them would tune the goal away.
"""

from __future__ import annotations

import io
import random
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PIL import Image, UnidentifiedImageError

from devstack.trait_marks import read_traits
from feedpub.photo_traits import LOOK_DIMENSIONS

__all__ = [
    "DISLIKED_FACTOR",
    "LIKED_FACTOR",
    "NOISE_SIGMA",
    "Audiences",
    "Tastes",
    "draw_tastes",
    "figures_for",
]

LIKED_FACTOR = 1.8
DISLIKED_FACTOR = 0.6
NOISE_SIGMA = 0.5
LIKED_COUNT, DISLIKED_COUNT = (2, 3), (1, 2)
LOOK_TRAITS = tuple(f"{d}:{v}" for d, values in LOOK_DIMENSIONS.items() for v in values)
BASE_REACH = 600
# Expected actions per account reached by a photo the audience neither likes nor dislikes.
RATES_PER_REACH = {"likes": 0.05, "comments": 0.005, "saved": 0.012, "shares": 0.008}


@dataclass(frozen=True)
class Tastes:
    """The look traits an audience likes and those it dislikes."""

    liked: tuple[str, ...]
    disliked: tuple[str, ...]

    def appeal(self, traits: Iterable[str]) -> float:
        """The factor on expected engagement per reach of a photo truly showing ``traits``."""
        shown = set(traits)
        liked, disliked = len(shown & set(self.liked)), len(shown & set(self.disliked))
        return float(LIKED_FACTOR**liked * DISLIKED_FACTOR**disliked)

    def as_json(self) -> dict[str, list[str]]:
        return {"liked": list(self.liked), "disliked": list(self.disliked)}

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> Tastes:
        """Raises ValueError naming the field that is not a list of look traits."""
        lists = {}
        for name in ("liked", "disliked"):
            value = body.get(name, [])
            if not isinstance(value, list) or any(t not in LOOK_TRAITS for t in value):
                raise ValueError(
                    f"'{name}' must be a list of look traits ({', '.join(LOOK_TRAITS)})"
                )
            lists[name] = tuple(value)
        if set(lists["liked"]) & set(lists["disliked"]):
            raise ValueError("a trait cannot be both in 'liked' and in 'disliked'")
        return cls(lists["liked"], lists["disliked"])


def draw_tastes(seed: str) -> Tastes:
    """An audience's tastes, the same for the same ``seed`` (an account id)."""
    rng = random.Random(f"tastes:{seed}")
    liked, disliked = rng.randint(*LIKED_COUNT), rng.randint(*DISLIKED_COUNT)
    chosen = rng.sample(LOOK_TRAITS, liked + disliked)
    return Tastes(tuple(chosen[:liked]), tuple(chosen[liked:]))


def figures_for(tastes: Tastes, traits: Sequence[str], seed: str) -> dict[str, int]:
    """What the audience did with a post of a photo truly showing ``traits``: a draw seeded by
    ``seed`` (the post), in the metric names the insights endpoints answer."""
    rng = random.Random(f"engagement:{seed}")
    reach = max(1, round(BASE_REACH * rng.lognormvariate(0, NOISE_SIGMA)))
    appeal = tastes.appeal(traits) * rng.lognormvariate(0, NOISE_SIGMA)
    actions = {name: round(reach * rate * appeal) for name, rate in RATES_PER_REACH.items()}
    return {
        "reach": reach,
        "views": round(reach * rng.uniform(1.2, 2.0)),
        **actions,
        "total_interactions": sum(actions.values()),
        "post_total_media_view_unique": reach,
        "reactions": actions["likes"],
    }


class Audiences:
    """Every account's tastes (set, or drawn from its id) and what each published image
    truly shows (read once per image)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._set: dict[str, Tastes] = {}
        self._shown: dict[str, list[str]] = {}

    def reset(self) -> None:
        with self._lock:
            self._set.clear()
            self._shown.clear()

    def tastes_of(self, account_id: str) -> Tastes:
        with self._lock:
            return self._set.get(account_id) or draw_tastes(account_id)

    def set_tastes(self, account_id: str, tastes: Tastes) -> None:
        with self._lock:
            self._set[account_id] = tastes

    def shown_by(self, image_sha256: str | None, data: bytes | None) -> list[str]:
        """The look traits the image's mark says; none without a mark (or an image)."""
        if image_sha256 is None or data is None:
            return []
        with self._lock:
            if image_sha256 in self._shown:
                return self._shown[image_sha256]
        try:
            with Image.open(io.BytesIO(data)) as image:
                marked = read_traits(image)
        except (UnidentifiedImageError, OSError):
            marked = None
        shown = [f"{d}:{v}" for d, v in (marked or {}).items()]
        with self._lock:
            self._shown[image_sha256] = shown
        return shown
