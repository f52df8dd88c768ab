"""Inputs and results of the checks' activities (one dataclass each, as every activity's)."""

from __future__ import annotations

from dataclasses import dataclass, field

from feedpub.contract.checks import FreedPhoto

__all__ = [
    "BrandCheckSettings",
    "BrandsToCheck",
    "BrandsToCheckInput",
    "HeldPhotosSweep",
    "PhotoCountInput",
    "SweepHeldPhotosInput",
    "WeeklyDigest",
    "WeeklyDigestInput",
]


@dataclass
class BrandsToCheckInput:
    brands: list[str] | None = None
    """Names to check; None: every brand of the worker's brands file."""


@dataclass
class BrandCheckSettings:
    """What the checks need to know of a brand, read from the worker's brands file."""

    brand: str
    time_zone: str
    daily_check_time: str
    """Local ``HH:MM`` of the token and runway checks."""
    digest: str
    """``"mon 09:00"``, local, or ``"off"``."""
    posts_per_day: int
    runway_warn_days: int
    learning: str = "photos+captions"
    """What the brand learns from its posts' figures; ``off``: its photos get no trait look."""


@dataclass
class BrandsToCheck:
    brands: list[BrandCheckSettings] = field(default_factory=list)


@dataclass
class PhotoCountInput:
    brand: str


@dataclass
class WeeklyDigestInput:
    brand: str
    time_zone: str
    since: str
    """Start of the week told (ISO 8601): runs that finished at or after it..."""
    until: str
    """... and before this."""
    photos_left: int | None = None
    days_of_posts: float | None = None


@dataclass
class WeeklyDigest:
    lines: list[str] = field(default_factory=list)
    runs: int = 0
    """Runs of the brand that finished in the week."""


@dataclass
class SweepHeldPhotosInput:
    held_for_seconds: float = 600.0
    """Photos held this long or longer are looked at: a run that just reserved one may not be
    visible to Temporal's listing yet."""


@dataclass
class HeldPhotosSweep:
    freed: list[FreedPhoto] = field(default_factory=list)
    """The photos given back."""
    kept: int = 0
    """Photos looked at and left to their runs, which still run."""
