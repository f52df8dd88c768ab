"""The trait vocabulary, and the dev stack's trait marks surviving Instagram's crop and JPEG."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from devstack.trait_marks import paint_traits, read_traits
from feedpub.photo_traits import (
    ALL_TRAITS,
    LOOK_DIMENSIONS,
    trait_words,
    traits_from_facts,
    traits_from_look,
)


def test_a_look_answer_becomes_one_trait_per_dimension() -> None:
    answer = {"subject": "Detail", "setting": "outdoors", "people": "people", "season": "any"}
    assert traits_from_look(answer) == [
        "subject:detail", "setting:outdoors", "people:people", "season:any",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("answer", "named"),
    [
        ({"subject": "cat", "setting": "studio", "people": "people", "season": "any"}, "subject"),
        ({"subject": "detail", "setting": "studio", "people": "people"}, "season"),
    ],
)
def test_a_look_answer_out_of_the_vocabulary_is_refused_naming_the_field(
    answer: dict[str, str], named: str
) -> None:
    with pytest.raises(ValueError, match=f"'{named}'"):
        traits_from_look(answer)


def test_facts_give_orientation_warmth_and_light() -> None:
    assert traits_from_facts("portrait", ["#c08040"], 0.7) == [
        "orientation:portrait", "colours:warm", "light:bright",
    ]  # fmt: skip
    assert traits_from_facts("square", ["#3050c0"], 0.2)[1:] == ["colours:cool", "light:dark"]
    assert traits_from_facts("landscape", ["#808484"], 0.5)[1:] == [
        "colours:neutral",
        "light:medium",
    ]


def test_every_trait_has_words() -> None:
    assert all(":" not in trait_words(trait) for trait in ALL_TRAITS)


def test_a_trait_mark_survives_the_crop_resize_and_jpeg() -> None:
    for seed in range(12):
        rng = random.Random(seed)
        width, height = rng.choice([(1080, 1350), (2400, 1600), (1000, 2200)])
        photo = Image.new("RGB", (width, height), tuple(rng.randrange(256) for _ in range(3)))
        truth = {dimension: rng.choice(values) for dimension, values in LOOK_DIMENSIONS.items()}
        marked = paint_traits(photo, truth)
        if height / width > 1.25:  # Instagram's 4:5, cut from the middle
            kept = int(width * 1.25)
            marked = marked.crop((0, (height - kept) // 2, width, (height - kept) // 2 + kept))
        marked = marked.resize((1080, round(1080 * marked.height / marked.width)))
        encoded = io.BytesIO()
        marked.save(encoded, "JPEG", quality=80)
        assert read_traits(Image.open(io.BytesIO(encoded.getvalue()))) == truth


def test_a_photo_without_a_mark_has_no_true_traits() -> None:
    assert read_traits(Image.new("RGB", (800, 1000), (40, 30, 20))) is None
