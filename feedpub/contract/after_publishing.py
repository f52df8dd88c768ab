"""What happens to a post after it went out, on the wire: the check of the live post, its
insights at +24 h and +7 d, and what a brand's audience was learned to respond to.

The feed-publisher reads Meta (it holds the tokens); the agent-outputs server keeps the
figures beside the run's report; the worker carries them between the two.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "FACEBOOK_METRICS",
    "INSIGHTS_AGES",
    "INSIGHTS_WORKFLOW_NAME",
    "INSTAGRAM_METRICS",
    "RETIRED_METRICS",
    "BrandTastes",
    "CaptionExample",
    "CaptionExamples",
    "InsightsAge",
    "LiveCheck",
    "PostFigures",
    "TraitTaste",
    "engagement_per_reach",
    "insights_workflow_id",
]

INSIGHTS_WORKFLOW_NAME = "PostInsightsWorkflow"
InsightsAge = Literal["24h", "7d"]
INSIGHTS_AGES: tuple[tuple[InsightsAge, int], ...] = (("24h", 24 * 3600), ("7d", 7 * 24 * 3600))
"""When a post's insights are read, as seconds after it went out."""

INSTAGRAM_METRICS = ("views", "reach", "saved", "shares", "total_interactions", "likes", "comments")
"""Asked one per call: a metric Meta retires then fails alone."""
FACEBOOK_METRICS = ("post_total_media_view_unique",)
"""Asked per call as Instagram's are; reactions come from the post's ``reactions.summary``."""
RETIRED_METRICS = ("impressions", "plays", "video_views")
"""Retired by Meta (Graph v22+): never asked; an answer saying one is retired is a note."""


def insights_workflow_id(run_id: str) -> str:
    """One insights workflow per run: a retried start finds the one already there."""
    return f"feedpub-insights-{run_id}"


def engagement_per_reach(platform: str, figures: Mapping[str, int]) -> float | None:
    """What the learning weighs: on Instagram, saves, shares and interactions over reach; on
    Facebook, reactions over the people who saw the post. None without reach (no figures yet,
    or Meta's data still late)."""
    if platform == "instagram":
        reach = figures.get("reach", 0)
        acted = sum(figures.get(name, 0) for name in ("saved", "shares", "total_interactions"))
    else:
        reach = figures.get("post_total_media_view_unique", 0)
        acted = figures.get("reactions", 0)
    return acted / reach if reach > 0 else None


@dataclass
class LiveCheck:
    """What was found when the live post was read back."""

    verified: bool
    difference: str | None = None
    """In plain words, when not verified: ``caption cut after 1,800 of 2,150 characters``,
    ``wrong image (perceptual hashes 23 bits apart)``, ``post missing``."""
    missing: bool = False
    """The post could not be found after a "published" answer: told as a failure."""
    checked: bool = True
    """False when the post could not be read back (``not checked: <why>``): nothing is known
    to differ."""
    image_compared: bool = True
    """False when verified on the caption alone: Meta gave no address for the post's photo."""


@dataclass
class PostFigures:
    """One platform's figures for a post at one age, as read from Meta."""

    platform: Literal["facebook", "instagram"]
    post_id: str
    age: InsightsAge
    figures: dict[str, int] = field(default_factory=dict)
    """Metric name -> value (``reach``, ``saved``, ``reactions``...)."""
    notes: list[str] = field(default_factory=list)
    """What was skipped and why (a metric Meta says is retired), in plain words."""
    permission_missing: str | None = None
    """The permission Meta says the token lacks (``instagram_manage_insights``,
    ``read_insights``): no figure could be read."""
    read_at: str = ""
    """ISO 8601, UTC."""


@dataclass
class TraitTaste:
    """How a brand's audience responds to one trait, as learned."""

    trait: str
    effect: float
    """The posterior mean of the trait's effect on log engagement per reach (0: none)."""
    sd: float
    """Its posterior standard deviation."""
    posts: int
    """Posts with figures that had this trait."""


@dataclass
class BrandTastes:
    """What a brand's posts taught so far: the posterior the next photo choice samples from."""

    brand: str
    posts: int
    """Posts with figures the learning rests on."""
    traits: list[str] = field(default_factory=list)
    mean: list[float] = field(default_factory=list)
    """Posterior mean of each trait's effect, in ``traits`` order."""
    covariance: list[list[float]] = field(default_factory=list)
    """Posterior covariance, in ``traits`` order (Thompson sampling draws from it)."""
    tastes: list[TraitTaste] = field(default_factory=list)
    """The same, trait by trait, for people: strongest first."""


@dataclass
class CaptionExample:
    platform: Literal["facebook", "instagram"]
    caption: str
    engagement_per_reach: float


@dataclass
class CaptionExamples:
    """A brand's best-performing recent captions: examples of tone for the caption writer."""

    examples: list[CaptionExample] = field(default_factory=list)
