"""Reading Claude's caption answer, and what Claude is told about the brand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from feedpub.brands import VoiceSettings, load_brands
from temporal_app.captions.answer import CaptionProblem, compose_captions, read_answer
from temporal_app.captions.checks import caption_problems
from temporal_app.captions.prompt import CAPTION_SCHEMA, caption_system_prompt

SHIPPED_BRANDS_FILE = Path(__file__).parents[2] / "brands.toml"


def parse_captions(
    text: str, voice: VoiceSettings | None = None, *, seed: str = ""
) -> dict[str, str]:
    """The captions Claude's answer ``text`` makes, as the caption activity reads them."""
    return compose_captions(read_answer(text), voice or VoiceSettings(), seed=seed)


def answer(**changes: Any) -> str:
    fields: dict[str, Any] = {
        "facebook_caption": "Klaar voor de grote dag? Ons nieuwe pak in nachtblauw.",
        "instagram_caption": "Klaar voor de grote dag?",
        "hashtags": [],
        "alt_text": "Een man in een nachtblauw pak voor een bakstenen muur.",
    }
    return json.dumps({**fields, **changes})


def test_a_valid_answer_gives_the_three_captions() -> None:
    captions = parse_captions(answer(facebook_caption="  Nieuw binnen.  "))

    assert captions == {
        "facebook": "Nieuw binnen.",
        "instagram": "Klaar voor de grote dag?",
        "alt_text": "Een man in een nachtblauw pak voor een bakstenen muur.",
    }


def test_hashtags_are_appended_to_the_instagram_caption_with_a_hash() -> None:
    captions = parse_captions(answer(hashtags=["trouwpak", "#pomandi", "maat pak"]))

    assert captions["instagram"] == "Klaar voor de grote dag?\n\n#trouwpak #pomandi #maatpak"


def test_hashtags_already_in_the_instagram_caption_are_not_repeated() -> None:
    caption = "Klaar voor de grote dag? #TrouwPak #pomandi"

    captions = parse_captions(answer(instagram_caption=caption, hashtags=["#trouwpak", "pomandi"]))

    assert captions["instagram"] == caption


def test_a_hashtag_listed_twice_is_appended_once() -> None:
    captions = parse_captions(answer(hashtags=["#pomandi", "pomandi"]))

    assert captions["instagram"] == "Klaar voor de grote dag?\n\n#pomandi"


def test_a_longer_hashtag_in_the_caption_does_not_hide_a_shorter_one() -> None:
    caption = "Klaar voor de grote dag? #pakken"

    captions = parse_captions(answer(instagram_caption=caption, hashtags=["#pak"]))

    assert captions["instagram"] == f"{caption}\n\n#pak"


def test_hashtags_are_not_added_to_the_facebook_caption() -> None:
    captions = parse_captions(answer(hashtags=["#pomandi"]))

    assert "#" not in captions["facebook"]


def test_hashtags_that_are_not_words_are_left_out() -> None:
    captions = parse_captions(answer(hashtags=["", 7, None, "#pomandi"]))

    assert captions["instagram"] == "Klaar voor de grote dag?\n\n#pomandi"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Hier zijn je captions: ...", "the answer was not JSON"),
        ("", "the answer was not JSON"),
        ('["Klaar voor de grote dag?"]', "the answer was not a JSON object"),
        (answer(hashtags="#trouwpak #pomandi"), "'hashtags' is not a list"),
    ],
)
def test_an_answer_that_is_not_a_caption_object_is_refused(text: str, reason: str) -> None:
    with pytest.raises(CaptionProblem, match=reason):
        parse_captions(text)


@pytest.mark.parametrize("field", ["facebook_caption", "instagram_caption", "alt_text"])
@pytest.mark.parametrize("value", [None, "", "   ", 42])
def test_a_missing_or_empty_caption_field_is_named(field: str, value: object) -> None:
    data = json.loads(answer())
    if value is None:
        del data[field]
    else:
        data[field] = value

    with pytest.raises(CaptionProblem, match=f"'{field}' is missing or empty"):
        parse_captions(json.dumps(data))


def problems_of(text: str) -> list[str]:
    brand = load_brands(SHIPPED_BRANDS_FILE)["pomandi"]
    return caption_problems(parse_captions(text), {}, brand)


def test_an_instagram_caption_over_2200_characters_is_refused() -> None:
    assert problems_of(answer(instagram_caption="a" * 2201)) == [
        "the Instagram caption has 2201 characters (max 2200)"
    ]


def test_an_instagram_caption_of_exactly_2200_characters_is_accepted() -> None:
    assert problems_of(answer(instagram_caption="a" * 2200)) == []


def test_appended_hashtags_count_towards_the_2200_characters() -> None:
    assert (
        "2210 characters"
        in problems_of(answer(instagram_caption="a" * 2200, hashtags=["#pomandi"]))[0]
    )


def test_more_than_30_hashtags_are_refused() -> None:
    tags = [f"#tag{number}" for number in range(31)]

    assert problems_of(answer(hashtags=tags)) == ["the Instagram caption has 31 hashtags (max 30)"]


def test_thirty_hashtags_are_accepted() -> None:
    tags = [f"#tag{number}" for number in range(30)]

    assert problems_of(answer(hashtags=tags)) == []


def test_alt_text_over_1000_characters_is_refused() -> None:
    assert problems_of(answer(alt_text="b" * 1001)) == [
        "the alt text has 1001 characters (max 1000)"
    ]


def test_the_system_prompt_asks_for_the_brands_language_and_voice() -> None:
    pomandi = load_brands(SHIPPED_BRANDS_FILE)["pomandi"]

    prompt = caption_system_prompt(pomandi)

    assert "brand 'pomandi'" in prompt
    assert "Language code: nl" in prompt
    assert "in Dutch" in prompt
    assert "Brand voice: Warm, stylish and direct." in prompt
    assert "Speak to the reader as 'je'" in prompt


def test_the_system_prompt_for_costume_asks_for_french() -> None:
    costume = load_brands(SHIPPED_BRANDS_FILE)["costume"]

    prompt = caption_system_prompt(costume)

    assert "Language code: fr" in prompt
    assert "in French" in prompt
    assert "Vouvoiement" in prompt


def test_the_caption_schema_asks_for_description_captions_hashtags_and_alt_text_only() -> None:
    assert sorted(CAPTION_SCHEMA["required"]) == [
        "alt_text",
        "description",
        "facebook_caption",
        "hashtags",
        "instagram_caption",
    ]
    assert sorted(CAPTION_SCHEMA["properties"]) == sorted(CAPTION_SCHEMA["required"])
    assert CAPTION_SCHEMA["additionalProperties"] is False
    assert CAPTION_SCHEMA["properties"]["hashtags"]["type"] == "array"
