"""Inputs and results of the workflow and its activities.

Each workflow and activity takes one dataclass, so fields can be added later without breaking
running histories. They carry S3 keys, ids and short text: never image bytes, never secrets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from feedpub.contract.run import ClaudeUsage, PhotoFacts


@dataclass
class BrandPolicyInput:
    brand: str


@dataclass
class BrandPolicy:
    """How a run of this brand must behave, read from ``brands.toml`` when the run starts."""

    approval_required: bool = False
    approval_deadline_seconds: float = 0.0
    """How long to wait for a decision: the brand's timeout, cut at the next posting slot."""
    photo_search_seconds: float = 600.0
    """How long the run goes on taking photos while the ones it takes prove unusable."""


@dataclass
class TokenCheckInput:
    brand: str


@dataclass
class TokenCheck:
    """What Meta said of the brand's Page access token when the run started."""

    valid: bool
    problem: str | None = None
    """What is wrong or about to be (an expired token, one that expires within a week)."""
    expires_at: str | None = None


@dataclass
class ReservePhotoInput:
    brand: str
    run_id: str


@dataclass
class PhotoAnalysis:
    """What is measured of the photo (size, colours, sharpness...) before captions are written.

    ``description`` and ``usage`` stay empty: Claude sees the photo in the caption request.
    They remain in the shape because recorded runs whose analysis was a Claude request carry
    them, and those runs replay through it."""

    description: str
    usage: ClaudeUsage = field(default_factory=ClaudeUsage)
    facts: PhotoFacts | None = None


@dataclass
class CaptionInput:
    brand: str
    description: str
    """What is known of the photo in words; Claude reads it when it cannot see the photo."""
    key: str | None = None
    """The photo: Claude looks at it (through view_image) while writing the captions."""


@dataclass
class PrepareMediaInput:
    brand: str
    key: str


@dataclass
class PublishInput:
    brand: str
    run_id: str
    media_key: str
    caption: str
    alt_text: str


@dataclass
class PhotoUseInput:
    brand: str
    key: str
    run_id: str


@dataclass
class RejectPhotoInput:
    brand: str
    key: str
    run_id: str
    reason: str
    cause: str = "claude-refused"
    """Why, in short (``claude-refused``, ``caption-contacts``): photos refused one after
    another for one cause stop the rejecting (the feed-publisher's breaker)."""
