"""The learning kernel: tastes from outcomes, Thompson draws, exploration, the words for it."""

from __future__ import annotations

import random

import numpy as np

from feedpub.contract.after_publishing import BrandTastes
from feedpub.learning import (
    MIN_POSTS_TO_SAY,
    Outcome,
    exploration_weights,
    learned_words,
    photo_weights,
    sample_weights,
    tastes_from,
)
from feedpub.photo_traits import FACT_DIMENSIONS, LOOK_DIMENSIONS

DIMENSIONS = {**LOOK_DIMENSIONS, **FACT_DIMENSIONS}


def planted(posts: int, seed: int = 7) -> list[Outcome]:
    """Posts of photos with mixed traits to an audience that likes people (×1.8) and
    dislikes close-up details (×0.6), with log-normal noise σ = 0.5."""
    rng = random.Random(seed)
    outcomes = []
    for _ in range(posts):
        traits = [f"{d}:{rng.choice(values)}" for d, values in DIMENSIONS.items()]
        factor = (1.8 if "people:people" in traits else 1) * (
            0.6 if "subject:detail" in traits else 1
        )
        outcomes.append(Outcome(traits, 0.08 * factor * rng.lognormvariate(0, 0.5)))
    return outcomes


def effects(posts: int) -> dict[str, float]:
    tastes = tastes_from("pomandi", planted(posts))
    return dict(zip(tastes.traits, tastes.mean, strict=True))


def test_a_planted_taste_is_recovered_from_the_outcomes() -> None:
    learned = effects(150)
    # The two values of "people" share its effect (log 1.8 ≈ 0.59 between them).
    assert 0.35 < learned["people:people"] - learned["people:no-people"] < 0.85
    others = [v for t, v in learned.items() if t.startswith("subject:") and t != "subject:detail"]
    assert learned["subject:detail"] < min(others) - 0.2
    strongest = {t.trait for t in tastes_from("pomandi", planted(150)).tastes[:3]}
    assert "subject:detail" in strongest and strongest & {"people:people", "people:no-people"}


def test_the_posterior_narrows_as_posts_come_in_and_starts_at_the_prior() -> None:
    prior = tastes_from("pomandi", [])
    assert prior.posts == 0 and set(prior.mean) == {0.0}
    sd = {
        n: {t.trait: t.sd for t in tastes_from("pomandi", planted(n)).tastes}["subject:detail"]
        for n in (20, 200)
    }
    assert sd[200] < 0.75 * sd[20]


def test_a_thompson_draw_varies_from_run_to_run_round_what_was_learned() -> None:
    tastes = tastes_from("pomandi", planted(80))
    rng = np.random.default_rng(1)
    draws = [sample_weights(tastes, rng) for _ in range(200)]
    people = [draw["people:people"] for draw in draws]
    assert len(set(people)) == 200
    mean = dict(zip(tastes.traits, tastes.mean, strict=True))["people:people"]
    assert abs(float(np.mean(people)) - mean) < 0.05
    assert sample_weights(tastes, random.Random(3)) == sample_weights(tastes, random.Random(3))


def test_exploring_favours_the_traits_seen_least() -> None:
    # Every post so far was of a summer photo: the other seasons are the least known.
    summer = [Outcome([*o.traits[:3], "season:summer", *o.traits[4:]], o.engagement_per_reach)
              for o in planted(60)]  # fmt: skip
    weights = exploration_weights(tastes_from("pomandi", summer))
    assert weights["season:winter"] > weights["season:summer"]
    # A photo not looked at yet (score 0) still ranks as an average photo while exploring.
    assert abs(sum(w for trait, w in weights.items() if trait.startswith("season:"))) < 1e-9


def test_the_exploration_share_is_about_the_brands_percent() -> None:
    tastes = tastes_from("pomandi", planted(30))
    rng = np.random.default_rng(2)
    explored = sum(photo_weights(tastes, 20, rng).explored for _ in range(500))
    assert 65 < explored < 135
    assert not any(photo_weights(tastes, 0, rng).explored for _ in range(100))


def test_what_was_learned_is_said_in_words_with_the_posts_it_rests_on() -> None:
    assert learned_words(tastes_from("pomandi", planted(MIN_POSTS_TO_SAY - 1))) is None
    words = learned_words(tastes_from("pomandi", planted(300)))
    assert words is not None
    assert words.startswith("this audience responds to: people in the photo")
    assert "less to: close-up details" in words and words.endswith("(from 300 posts)")
    assert "photos without people" not in words  # the same thing, said once


def test_outcomes_without_a_usable_figure_or_with_unknown_traits_are_left_out() -> None:
    outcomes = [*planted(12), Outcome(["people:people"], float("nan")), Outcome(["x:y"], 0.1)]
    tastes = tastes_from("pomandi", outcomes)
    assert tastes.posts == 13 and "x:y" not in tastes.traits
    empty = BrandTastes(brand="pomandi", posts=0)
    assert sample_weights(empty, random.Random(1)) == {} == exploration_weights(empty)
