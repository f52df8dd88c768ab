"""Meta's answers of an unexpected shape are read as plain differences or notes, never raised:
an error would be retried, and asking Meta again gives the same answer."""

from __future__ import annotations

from typing import Any

import pytest

from mcp_servers.feed_publisher.meta.insights import metric_value, reaction_count
from mcp_servers.feed_publisher.meta.post_comparison import LivePost, live_post_of

SENT = "Linen for the long evenings."
SRC = "https://cdn.example/p.jpg"
PHOTO = {"media_type": "photo", "media": {"image": {"src": SRC}}}


def test_a_post_as_sent_leaves_only_its_image_to_compare() -> None:
    instagram = {"caption": SENT, "media_url": "https://x/1.jpg"}
    assert live_post_of("instagram", SENT, instagram) == LivePost(image_url="https://x/1.jpg")
    facebook = {"message": SENT, "attachments": {"data": [PHOTO]}}
    assert live_post_of("facebook", SENT, facebook) == LivePost(image_url=SRC)


@pytest.mark.parametrize(
    ("platform", "post", "differences"),
    [
        ("instagram", {"caption": {"text": SENT}, "media_url": "https://x/1.jpg"},
         ["Meta's answer had no readable caption"]),
        ("facebook", {"message": ["a"], "attachments": {"data": [PHOTO]}},
         ["Meta's answer had no readable caption"]),
        ("instagram", {"caption": SENT, "media_url": {"url": "x"}},
         ["Meta's answer had no readable image address"]),
        ("facebook", {"message": SENT, "attachments": [PHOTO]},
         ["Meta's answer had no readable attachments"]),
        ("facebook", {"message": SENT, "attachments": {"data": {"0": PHOTO}}},
         ["Meta's answer had no readable attachments"]),
        ("facebook", {"message": SENT, "attachments": {"data": ["photo", 3]}},
         ["no photo shown in the post"]),
    ],
)  # fmt: skip
def test_a_caption_or_photo_of_another_shape_is_a_difference_in_plain_words(
    platform: str, post: dict[str, Any], differences: list[str]
) -> None:
    assert live_post_of(platform, SENT, post).differences == differences


def test_a_photo_whose_address_meta_does_not_give_has_nothing_to_compare() -> None:
    attached = {"media_type": "photo", "media": {"image": "not a mapping"}}
    found = live_post_of("facebook", SENT, {"message": SENT, "attachments": {"data": [attached]}})
    assert found == LivePost(image_url="")


@pytest.mark.parametrize(
    "body",
    [
        {"data": [{"name": "reach", "values": {"value": 5}}]},
        {"data": [{"name": "reach", "values": ["5"]}]},
        {"data": [{"name": "reach", "values": [{"value": True}]}]},
        {"data": {"name": "reach"}},
        {"data": 7},
    ],
)
def test_figures_of_another_shape_are_a_note(body: dict[str, Any]) -> None:
    assert metric_value(body, "reach") == "reach: Meta gave no value"


def test_a_figure_is_read_from_its_last_value() -> None:
    body = {"data": [{"name": "reach", "values": [{"value": 3}, {"value": 41}]}]}
    assert metric_value(body, "reach") == 41


@pytest.mark.parametrize(
    ("body", "count"),
    [
        ({"reactions": {"summary": {"total_count": 12}}}, 12),
        ({}, 0),
        ({"reactions": [1, 2]}, "reactions: Meta gave no readable count"),
        ({"reactions": {"summary": "12"}}, "reactions: Meta gave no readable count"),
        (
            {"reactions": {"summary": {"total_count": "12"}}},
            "reactions: Meta gave no readable count",
        ),
    ],
)
def test_reactions_of_another_shape_are_a_note_not_a_count(
    body: dict[str, Any], count: object
) -> None:
    assert reaction_count(body) == count
