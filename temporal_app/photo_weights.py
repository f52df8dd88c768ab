"""How a run's photo is chosen from what its brand's posts taught, as plain rules the reservation
activity follows: most runs pass the reservation one Thompson draw of trait weights (the photo
whose traits weigh most is taken, in the same atomic statement as ever); the brand's
``exploration_percent`` of runs, and every run of a brand whose ``learning`` is ``off``, take
a photo at random. Each way has its words, which the run's report keeps.

No I/O here: the activity reads the tastes and hands in its random draw.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from feedpub.brands import Brand
from feedpub.contract.after_publishing import BrandTastes
from feedpub.learning import sample_weights

__all__ = [
    "AT_RANDOM",
    "LEARNING_OFF",
    "NOTHING_LEARNED",
    "PhotoWeights",
    "exploring",
    "learned_weights",
    "unread",
]

AT_RANDOM = "at random"
LEARNING_OFF = "at random (learning is off)"
NOTHING_LEARNED = "at random (no post's figures to learn from yet)"


@dataclass
class PhotoWeights:
    """What the reservation is given, and how the report tells it."""

    weights: dict[str, float] | None
    """Trait -> weight; None: a photo at random."""
    chosen: str


def exploring(brand: Brand, rng: random.Random) -> PhotoWeights | None:
    """A photo at random for this run, without asking what was learned; None when the run
    takes the photo its brand's tastes point to."""
    if brand.learning == "off":
        return PhotoWeights(None, LEARNING_OFF)
    if rng.random() * 100 < brand.exploration_percent:
        # Still trying other photos keeps what was learned from settling on a first guess.
        return PhotoWeights(None, f"explored: at random, as {brand.exploration_percent} % of runs")
    return None


def learned_weights(tastes: BrandTastes, rng: random.Random) -> PhotoWeights:
    """One draw from the brand's tastes: the weights the reservation orders photos by."""
    if tastes.posts == 0 or not tastes.traits:
        return PhotoWeights(None, NOTHING_LEARNED)
    posts = "1 post" if tastes.posts == 1 else f"{tastes.posts} posts"
    return PhotoWeights(sample_weights(tastes, rng), f"learned from {posts}")


def unread(reason: str) -> PhotoWeights:
    """A photo at random when the tastes could not be read: a run does not stop, nor wait, for
    want of what was learned."""
    return PhotoWeights(None, f"at random (what was learned could not be read: {reason})")
