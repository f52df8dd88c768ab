"""How a run's photo is chosen from what its brand learned, and how that is told: the report's
words, the weekly digest's line, the console's sentence with the number of posts."""

from __future__ import annotations

import random
from dataclasses import replace

from feedpub.brands import parse_brands
from feedpub.contract.after_publishing import BrandTastes
from feedpub.learning import Outcome, learned_words, tastes_from
from temporal_app.checks.digest import digest_lines
from temporal_app.checks.learned import learned_sentence
from temporal_app.photo_weights import LEARNING_OFF, NOTHING_LEARNED, learned_weights, learning_off

BRAND = parse_brands(
    {
        "brands": {
            "p": {
                "language": "nl", "time_zone": "Europe/Brussels", "posting_times": ["09:00"],
                "s3_prefix": "p/", "facebook_page_id": "1", "instagram_user_id": "2",
                "meta_token_env": "META_ACCESS_TOKEN_P", "voice": "warm",
            }
        }
    }
)["p"]  # fmt: skip
LIKED, DISLIKED = ["people:people", "setting:outdoors"], ["subject:detail", "setting:indoors"]


def taught(posts: int) -> BrandTastes:
    """What ``posts`` posts teach, half of photos its audience likes and half it does not."""
    outcomes = [
        Outcome(LIKED, 0.09) if number % 2 else Outcome(DISLIKED, 0.03) for number in range(posts)
    ]
    return tastes_from("p", outcomes)


def explored_runs(exploration_percent: int, runs: int = 400) -> int:
    brand = replace(BRAND, exploration_percent=exploration_percent)
    tastes = taught(23)
    return sum(
        learned_weights(brand, tastes, random.Random(run)).chosen.startswith("explored")
        for run in range(runs)
    )


def test_a_brand_with_learning_off_takes_every_photo_at_random_and_says_so() -> None:
    choice = learning_off(replace(BRAND, learning="off"))
    assert choice is not None and (choice.weights, choice.chosen) == (None, LEARNING_OFF)
    assert learning_off(BRAND) is None


def test_the_brands_exploration_share_of_runs_tries_the_traits_seen_least() -> None:
    assert 50 <= explored_runs(20) <= 110
    assert explored_runs(0) == 0 and explored_runs(100) == 400
    choice = learned_weights(replace(BRAND, exploration_percent=100), taught(23), random.Random(1))
    assert choice.weights
    assert choice.chosen == "explored: the traits seen least first, as 100 % of runs"


def test_the_other_runs_weigh_the_learned_traits_and_say_from_how_many_posts() -> None:
    tastes = taught(23)
    brand = replace(BRAND, exploration_percent=0)

    choice = learned_weights(brand, tastes, random.Random(7))

    assert choice.chosen == "learned from 23 posts"
    assert choice.weights is not None and set(choice.weights) == set(tastes.traits)
    # Each run draws its own weights: the photo choice keeps trying.
    assert learned_weights(brand, tastes, random.Random(8)).weights != choice.weights


def test_without_any_posts_figures_a_photo_is_taken_at_random() -> None:
    choice = learned_weights(BRAND, BrandTastes("p", 0), random.Random(1))
    assert (choice.weights, choice.chosen) == (None, NOTHING_LEARNED)


def test_what_was_learned_is_told_with_the_number_of_posts_or_that_there_are_too_few() -> None:
    assert learned_sentence(BrandTastes("p", 1)) == (
        "Too few posts with figures yet to say what this audience responds to (1 post)."
    )
    tastes = taught(40)
    words = learned_words(tastes)
    assert words is not None and "(from 40 posts)" in words

    said = learned_sentence(tastes)

    assert said.startswith("This audience responds to: ") and said.endswith("(from 40 posts).")


def test_the_weekly_digest_ends_with_what_was_learned() -> None:
    said = learned_sentence(taught(40))

    lines = digest_lines([], "Europe/Brussels", photos_left=12, days_of_posts=6, learned=said)

    assert lines[-2:] == ["Photos left: 12 (6 days of posts)", f"Learned: {said}"]
    assert not any(line.startswith("Learned") for line in digest_lines([], "Europe/Brussels"))
