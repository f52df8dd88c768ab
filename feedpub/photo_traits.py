"""The observable traits of a photo, which a brand's learning is about.

A trait is one value of one dimension, written ``dimension:value`` (``setting:outdoors``).
Four dimensions come from a short look by Claude (what the photo shows), three from the facts
the feed-publisher measures on the pixels. Each photo has one value per dimension it was
looked at for; a photo not looked at yet has none, and is still chosen (at the prior).

Written once here: the feed-publisher stores them, Claude is asked for them, the learning
weighs them, and the console and the digest put them in words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

__all__ = [
    "ALL_TRAITS",
    "FACT_DIMENSIONS",
    "LOOK_DIMENSIONS",
    "known_traits",
    "trait_words",
    "traits_from_facts",
    "traits_from_look",
]

LOOK_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "subject": ("garment", "detail", "portrait", "scene"),
    "setting": ("outdoors", "indoors", "studio"),
    "people": ("people", "no-people"),
    "season": ("spring", "summer", "autumn", "winter", "any"),
}
"""What Claude is asked about a photo, and the values it may answer (in this order)."""

FACT_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "orientation": ("portrait", "landscape", "square"),
    "colours": ("warm", "cool", "neutral"),
    "light": ("dark", "medium", "bright"),
}
"""What is read from the measured facts: orientation, the main colour's warmth, brightness."""

ALL_TRAITS: tuple[str, ...] = tuple(
    f"{dimension}:{value}"
    for dimensions in (LOOK_DIMENSIONS, FACT_DIMENSIONS)
    for dimension, values in dimensions.items()
    for value in values
)

_WORDS: dict[str, str] = {
    "subject:garment": "the garment on its own",
    "subject:detail": "close-up details",
    "subject:portrait": "portraits",
    "subject:scene": "wide scenes",
    "setting:outdoors": "outdoor settings",
    "setting:indoors": "indoor settings",
    "setting:studio": "studio shots",
    "people:people": "people in the photo",
    "people:no-people": "photos without people",
    "season:spring": "spring",
    "season:summer": "summer",
    "season:autumn": "autumn",
    "season:winter": "winter",
    "season:any": "no particular season",
    "orientation:portrait": "upright photos",
    "orientation:landscape": "wide photos",
    "orientation:square": "square photos",
    "colours:warm": "warm colours",
    "colours:cool": "cool colours",
    "colours:neutral": "neutral colours",
    "light:dark": "dark photos",
    "light:medium": "evenly lit photos",
    "light:bright": "bright photos",
}
DARK_BELOW, BRIGHT_ABOVE = 0.35, 0.65
"""Mean lightness (0–1) under which a photo is dark, over which it is bright."""
_GREYISH_SPREAD = 24
"""A colour whose channels differ by less than this is neutral, whatever its hue."""


def trait_words(trait: str) -> str:
    """``trait`` as a person reads it ("outdoor settings")."""
    return _WORDS.get(trait, trait.replace(":", ": "))


def traits_from_look(answer: Mapping[str, object]) -> list[str]:
    """The traits in Claude's answer (``{"subject": "detail", ...}``), one per dimension.

    Raises ValueError naming the field when a dimension is missing or has a value not in
    ``LOOK_DIMENSIONS``: a look that cannot be read is not stored as half-true.
    """
    traits = []
    for dimension, values in LOOK_DIMENSIONS.items():
        value = answer.get(dimension)
        if not isinstance(value, str) or value.strip().lower() not in values:
            raise ValueError(f"'{dimension}' is {value!r}, not one of: {', '.join(values)}")
        traits.append(f"{dimension}:{value.strip().lower()}")
    return traits


def traits_from_facts(
    orientation: str, dominant_colours: Sequence[str], brightness: float
) -> list[str]:
    """The traits read from measured facts: ``orientation`` as measured, the warmth of the
    most common colour (``#rrggbb``), and the mean lightness."""
    traits = []
    if orientation in FACT_DIMENSIONS["orientation"]:
        traits.append(f"orientation:{orientation}")
    if dominant_colours:
        traits.append(f"colours:{_warmth(dominant_colours[0])}")
    light = "medium"
    if brightness < DARK_BELOW or brightness > BRIGHT_ABOVE:
        light = "dark" if brightness < DARK_BELOW else "bright"
    traits.append(f"light:{light}")
    return traits


def known_traits(traits: Iterable[str]) -> list[str]:
    """``traits`` without any not in the vocabulary (a stored list from an older version)."""
    known = set(ALL_TRAITS)
    return [trait for trait in traits if trait in known]


def _warmth(colour: str) -> str:
    try:
        red, green, blue = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return "neutral"
    if max(red, green, blue) - min(red, green, blue) < _GREYISH_SPREAD:
        return "neutral"
    return "warm" if red >= blue else "cool"
