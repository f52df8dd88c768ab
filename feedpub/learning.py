"""What a brand's audience responds to, learned from its posts' figures, and the next photo's
weights drawn from it.

The model: the log of a post's engagement per reach is a baseline plus one effect per trait
of its photo plus noise (a Bayesian linear regression, with a normal-inverse-gamma prior: each
effect a priori about zero, within about the noise's size; the noise's size is learned too).
Effects multiply engagement, as an audience that likes people in a photo likes them whatever
the season. Within a dimension the prior spreads the effects round zero, so a photo's score
(the sum of its traits' effects) says how much better or worse than an average photo it is,
and a photo not looked at yet scores 0.

The next photo is chosen by Thompson sampling: one draw of the effects from what was learned,
and the photo whose traits score highest under that draw (``sample_weights``). A share of the
runs (the brand's ``exploration_percent``) explores instead, with optimistic weights that
favour the traits least known so far (``exploration_weights``): they try what is uncertain
without throwing away what is known. Pure functions: no clock, no I/O; randomness comes from
the caller.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from feedpub.contract.after_publishing import BrandTastes, TraitTaste
from feedpub.photo_traits import ALL_TRAITS, known_traits, trait_words

__all__ = [
    "MIN_POSTS_TO_SAY",
    "Outcome",
    "PhotoWeights",
    "exploration_weights",
    "learned_words",
    "photo_weights",
    "sample_weights",
    "tastes_from",
]

EFFECT_PRIOR_SCALE = 0.5
"""A trait's effect, a priori: normal round 0 with this sd, in units of the noise's sd."""
BASELINE_PRIOR_SD = 10.0
"""The baseline (log engagement per reach, centred), a priori: all but unknown."""
NOISE_PRIOR = (1.0, 0.5)
"""Inverse-gamma shape and scale of the noise variance, a priori: weak, round 0.25–0.5."""
FLOOR = 1e-3
"""Engagement per reach below this counts as this (a post nobody acted on has a log too)."""
OPTIMISM = 2.0
"""Exploring, a trait counts as its effect plus this many posterior sds."""
MIN_POSTS_TO_SAY = 10
"""Below this many posts with figures, nothing is said to have been learned."""
_CLEAR = 0.1  # an effect under this (about ×1.1) is not worth telling
_SURE = 1.5  # nor one within this many posterior sds of none
_SAY_LIKED, _SAY_DISLIKED = 3, 2


@dataclass(frozen=True)
class Outcome:
    """A post's photo traits and the engagement per reach its figures gave."""

    traits: Sequence[str]
    engagement_per_reach: float


def tastes_from(brand: str, outcomes: Iterable[Outcome]) -> BrandTastes:
    """The posterior over the effects of every trait of the vocabulary, given ``outcomes``."""
    rows = [(known_traits(o.traits), o.engagement_per_reach) for o in outcomes]
    rows = [(traits, value) for traits, value in rows if math.isfinite(value) and value >= 0]
    index = {trait: i for i, trait in enumerate(ALL_TRAITS)}
    x = np.zeros((len(rows), len(ALL_TRAITS) + 1))
    x[:, 0] = 1.0
    for row, (traits, _) in enumerate(rows):
        for trait in traits:
            x[row, index[trait] + 1] = 1.0
    y = np.log(np.maximum([value for _, value in rows], FLOOR)) if rows else np.zeros(0)
    y = y - y.mean() if rows else y
    prior_precision = np.diag([BASELINE_PRIOR_SD**-2] + [EFFECT_PRIOR_SCALE**-2] * len(ALL_TRAITS))
    scale = np.linalg.inv(x.T @ x + prior_precision)
    mean = scale @ (x.T @ y)
    shape, rate = NOISE_PRIOR
    residual = float(y @ y - mean @ (x.T @ x + prior_precision) @ mean)
    noise_variance = (rate + max(residual, 0.0) / 2) / (shape + len(rows) / 2)
    # Kept against the others of each dimension, mean and covariance alike: a draw then
    # carries no level the data cannot tell, which would favour or disfavour photos with
    # traits against those not looked at yet (score 0) at random.
    effects, covariance = _against_the_others(
        list(ALL_TRAITS), mean[1:], noise_variance * scale[1:, 1:]
    )
    sds = np.sqrt(np.maximum(np.diag(covariance), 0.0))
    counts = x[:, 1:].sum(axis=0)
    tastes = [
        TraitTaste(trait, float(effects[i]), float(sds[i]), int(counts[i]))
        for i, trait in enumerate(ALL_TRAITS)
    ]
    tastes.sort(key=lambda taste: -abs(taste.effect))
    return BrandTastes(
        brand=brand,
        posts=len(rows),
        traits=list(ALL_TRAITS),
        mean=[float(v) for v in effects],
        covariance=[[float(v) for v in line] for line in covariance],
        tastes=tastes,
    )


def sample_weights(
    tastes: BrandTastes, rng: random.Random | np.random.Generator
) -> dict[str, float]:
    """One Thompson draw: a weight per trait, drawn from what was learned about it."""
    if not tastes.traits:
        return {}  # nothing learned, not even the prior: every photo at random
    draw = _numpy(rng).multivariate_normal(
        np.asarray(tastes.mean), np.asarray(tastes.covariance), method="eigh"
    )
    return {trait: float(weight) for trait, weight in zip(tastes.traits, draw, strict=True)}


def exploration_weights(tastes: BrandTastes) -> dict[str, float]:
    """Optimistic weights: each trait as good as it may plausibly turn out to be, so that the
    photos whose traits were seen least come first among those not known to do badly."""
    if not tastes.traits:
        return {}
    means, covariance = _against_the_others(
        tastes.traits, np.asarray(tastes.mean), np.asarray(tastes.covariance)
    )
    sds = np.sqrt(np.maximum(np.diag(covariance), 0.0))
    hopes = {
        trait: float(mean + OPTIMISM * sd)
        for trait, mean, sd in zip(tastes.traits, means, sds, strict=True)
    }
    # Centred per dimension, so that a photo not looked at yet still scores an average photo's.
    by_dimension: dict[str, list[float]] = {}
    for trait, hope in hopes.items():
        by_dimension.setdefault(trait.split(":")[0], []).append(hope)
    centre = {dimension: sum(v) / len(v) for dimension, v in by_dimension.items()}
    return {trait: hope - centre[trait.split(":")[0]] for trait, hope in hopes.items()}


@dataclass(frozen=True)
class PhotoWeights:
    """The weights the next reservation orders a brand's photos by, and why."""

    weights: dict[str, float] = field(default_factory=dict)
    explored: bool = False


def photo_weights(
    tastes: BrandTastes, exploration_percent: int, rng: random.Random | np.random.Generator
) -> PhotoWeights:
    """The next photo's weights: ``exploration_percent`` % of the time exploring, else a
    Thompson draw."""
    generator = _numpy(rng)
    if generator.random() * 100 < exploration_percent:
        return PhotoWeights(exploration_weights(tastes), explored=True)
    return PhotoWeights(sample_weights(tastes, generator))


def learned_words(tastes: BrandTastes) -> str | None:
    """What the audience was learned to respond to, for people; None while too few posts."""
    if tastes.posts < MIN_POSTS_TO_SAY:
        return None
    clear, dimensions = [], set()
    for taste in tastes.tastes:  # strongest first, one per dimension
        dimension = taste.trait.split(":")[0]
        if abs(taste.effect) < _CLEAR or abs(taste.effect) <= _SURE * taste.sd:
            continue
        if dimension not in dimensions:
            clear.append(_said_as_liked(taste, tastes.tastes))
            dimensions.add(dimension)
    liked = [trait_words(t.trait) for t in clear if t.effect > 0][:_SAY_LIKED]
    disliked = [trait_words(t.trait) for t in clear if t.effect < 0][:_SAY_DISLIKED]
    basis = f"(from {tastes.posts} posts)"
    if not liked and not disliked:
        return f"no kind of photo stands out yet {basis}"
    parts = []
    if liked:
        parts.append(f"this audience responds to: {', '.join(liked)}")
    if disliked:
        parts.append(f"{'less' if liked else 'this audience responds less'} to: "
                     f"{', '.join(disliked)}")  # fmt: skip
    return f"{'; '.join(parts)} {basis}"


def _against_the_others(
    traits: list[str], mean: np.ndarray, covariance: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each trait's effect against the average of its dimension's values, and their covariance.

    A photo has one value per dimension, so the data tell how values of a dimension compare,
    never the level they share; the prior alone holds that level. Against the average, an
    effect (and how sure it is) is what the data tell. Centring twice changes nothing.
    """
    dimensions = [trait.split(":")[0] for trait in traits]
    contrast = np.eye(len(traits))
    for i, dimension in enumerate(dimensions):
        same = [j for j, other in enumerate(dimensions) if other == dimension]
        contrast[i, same] -= 1.0 / len(same)
    return contrast @ mean, contrast @ covariance @ contrast.T


def _said_as_liked(taste: TraitTaste, tastes: Sequence[TraitTaste]) -> TraitTaste:
    """Of a dimension of two values ("people" or not), the one liked: "responds to people in
    the photo" rather than "less to photos without people", which says the same."""
    dimension = taste.trait.split(":")[0]
    pair = [t for t in tastes if t.trait.split(":")[0] == dimension]
    if taste.effect < 0 and len(pair) == 2:
        return next(t for t in pair if t is not taste)
    return taste


def _numpy(rng: random.Random | np.random.Generator) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng.getrandbits(64))
