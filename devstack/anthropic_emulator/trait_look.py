"""The answer to a trait look: what a photo shows, read from its trait mark (``trait_marks``).

A request is a trait look when its JSON schema asks for exactly the look dimensions of
``feedpub.photo_traits``. A model is sometimes wrong: for a fixed 15 % of photos (chosen by
the hash of the image sent) one dimension, also chosen by that hash, is answered with another
value. A photo without a mark gets values chosen by its hash: the same photo, the same answer.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from feedpub.photo_traits import LOOK_DIMENSIONS

__all__ = ["WRONG_SHARE", "is_trait_look", "trait_answer"]

WRONG_SHARE = 0.15
"""The share of photos whose answer is wrong in one dimension."""


def is_trait_look(schema: dict[str, Any] | None) -> bool:
    """Whether ``schema`` asks for a photo's look traits, and nothing else."""
    properties = (schema or {}).get("properties")
    return isinstance(properties, dict) and set(properties) == set(LOOK_DIMENSIONS)


def trait_answer(truth: dict[str, str] | None, image_digest: str) -> str:
    """The JSON answer for a photo whose mark says ``truth`` (None: it has no mark) and whose
    image hashes to ``image_digest`` (hex)."""
    seed = hashlib.sha256(image_digest.encode()).digest()
    if truth is None:
        answer = {
            dimension: values[seed[index] % len(values)]
            for index, (dimension, values) in enumerate(LOOK_DIMENSIONS.items())
        }
        return json.dumps(answer)
    answer = dict(truth)
    if int.from_bytes(seed[4:8], "big") / 2**32 < WRONG_SHARE:
        dimensions = list(LOOK_DIMENSIONS)
        wrong = dimensions[seed[8] % len(dimensions)]
        values = LOOK_DIMENSIONS[wrong]
        others = [value for value in values if value != truth[wrong]]
        answer[wrong] = others[seed[9] % len(others)]
    return json.dumps(answer)
