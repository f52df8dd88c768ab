"""Inputs and results of the trait look's workflow and activities (one dataclass each)."""

from __future__ import annotations

from dataclasses import dataclass, field

from feedpub.contract.run import ClaudeUsage

__all__ = [
    "PhotoTraitsReport",
    "PhotoTraitsRequest",
    "PhotosToLookInput",
    "TraitsBatch",
    "TraitsBatchOutcome",
    "TraitsBatchRequest",
]


@dataclass
class PhotoTraitsRequest:
    brand: str
    rounds_before: int = 0
    """Rounds done by the runs this one continues (continue-as-new)."""
    stored_before: int = 0
    """Photos whose traits those runs stored."""


@dataclass
class PhotoTraitsReport:
    brand: str
    rounds: int = 0
    stored: int = 0
    """Photos whose traits were stored, over every round of this look and the runs before."""
    not_stored: list[str] = field(default_factory=list)
    """This run's photos without traits, each with why (asked again after 25 hours)."""


@dataclass
class PhotosToLookInput:
    brand: str
    limit: int


@dataclass
class TraitsBatchRequest:
    """One request of a trait batch: the photo it asks about."""

    custom_id: str
    key: str
    etag: str | None = None


@dataclass
class TraitsBatch:
    """A Message Batch of trait looks, one request a photo."""

    brand: str
    batch_id: str | None
    """None when no photo could be sent (each was found unusable): nothing to look at."""
    requests: list[TraitsBatchRequest] = field(default_factory=list)
    not_sent: list[str] = field(default_factory=list)
    """Photos not sent, each with why (unusable: rejected by the feed-publisher)."""


@dataclass
class TraitsBatchOutcome:
    ended: bool
    stored: int = 0
    not_stored: list[str] = field(default_factory=list)
    usage: ClaudeUsage | None = None
