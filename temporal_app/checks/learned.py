"""What a brand's posts taught, in one sentence for its team (the weekly digest, the console's
brand page): the traits its audience responds to and those it responds to less, with the
number of posts that rests on, or that there are too few posts yet. No I/O here."""

from __future__ import annotations

from feedpub.contract.after_publishing import BrandTastes
from feedpub.learning import learned_words

__all__ = ["LEARNING_OFF_WORDS", "learned_sentence"]

LEARNING_OFF_WORDS = "Learning is off for this brand: its photos are taken at random."


def learned_sentence(tastes: BrandTastes) -> str:
    """``This audience responds to: people in the photo...; less to: ... (from 23 posts).``"""
    words = learned_words(tastes)
    if words is None:
        posts = "1 post" if tastes.posts == 1 else f"{tastes.posts} posts"
        return f"Too few posts with figures yet to say what this audience responds to ({posts})."
    return f"{words[:1].upper()}{words[1:].rstrip('.')}."
