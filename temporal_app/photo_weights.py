"""How a run's photo is chosen from what its brand's posts taught, as plain rules the reservation
activity follows: the reservation is given trait weights (the photo whose traits weigh most is
taken, in the same atomic statement as ever). Most runs pass one Thompson draw from the
brand's tastes; the brand's ``exploration_percent`` of runs pass optimistic weights instead,
which put first the photos whose traits were seen least (``feedpub.learning.photo_weights``).
A brand whose ``learning`` is ``off``, or with no post's figures yet, takes a photo at random.
Each way has its words, which the run's report keeps.

No I/O here: the activity reads the tastes and hands in its random draw.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from feedpub.brands import Brand
from feedpub.contract.after_publishing import BrandTastes
from feedpub.learning import photo_weights

__all__ = [
    "AT_RANDOM",
    "LEARNING_OFF",
    "NOTHING_LEARNED",
    "PhotoWeights",
    "learned_weights",
    "learning_off",
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


def learning_off(brand: Brand) -> PhotoWeights | None:
    """A photo at random, without asking what was learned, for a brand that learns nothing;
    None for the others."""
    return PhotoWeights(None, LEARNING_OFF) if brand.learning == "off" else None


def learned_weights(brand: Brand, tastes: BrandTastes, rng: random.Random) -> PhotoWeights:
    """The weights the reservation orders photos by: one draw from the brand's tastes, or, for
    its exploration share of runs, the traits seen least first."""
    if tastes.posts == 0 or not tastes.traits:
        return PhotoWeights(None, NOTHING_LEARNED)
    drawn = photo_weights(tastes, brand.exploration_percent, rng)
    if drawn.explored:
        # Still trying other photos keeps what was learned from settling on a first guess.
        chosen = f"explored: the traits seen least first, as {brand.exploration_percent} % of runs"
        return PhotoWeights(drawn.weights, chosen)
    posts = "1 post" if tastes.posts == 1 else f"{tastes.posts} posts"
    return PhotoWeights(drawn.weights, f"learned from {posts}")


def unread(reason: str) -> PhotoWeights:
    """A photo at random when the tastes could not be read: a run does not stop, nor wait, for
    want of what was learned."""
    return PhotoWeights(None, f"at random (what was learned could not be read: {reason})")
