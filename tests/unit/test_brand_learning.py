"""The brands file's learning settings: defaults, and refusals that name the field."""

from __future__ import annotations

import re

import pytest

from feedpub.brands import BrandsFileError, parse_brands

BASE = {
    "language": "nl", "time_zone": "Europe/Brussels", "posting_times": ["09:00"],
    "s3_prefix": "p/", "facebook_page_id": "1", "instagram_user_id": "2",
    "meta_token_env": "META_ACCESS_TOKEN_P", "voice": "warm",
}  # fmt: skip


def test_a_brand_learns_photos_and_captions_and_explores_a_fifth_by_default() -> None:
    brand = parse_brands({"brands": {"p": BASE}})["p"]
    assert (brand.learning, brand.exploration_percent) == ("photos+captions", 20)


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("learning", "captions", "field 'learning' must be one of off, photos, photos+captions"),
        ("exploration_percent", 120, "field 'exploration_percent' must be between 0 and 100"),
        ("exploration_percent", 0.2, "field 'exploration_percent' must be a whole number"),
    ],
)
def test_a_wrong_learning_setting_is_refused_naming_the_brand_and_field(
    field: str, value: object, said: str
) -> None:
    with pytest.raises(BrandsFileError, match=re.escape(f"brand 'p': {said}")):
        parse_brands({"brands": {"p": {**BASE, field: value}}})
