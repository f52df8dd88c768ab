"""Inputs and results of the workflow and its activities.

Each workflow and activity takes one dataclass, so fields can be added later without breaking
running histories. They carry S3 keys, ids and short text: never image bytes, never secrets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

PlatformStatus = Literal["published", "failed", "skipped"]
RunStatus = Literal["published", "partial", "failed", "rejected", "expired", "dry_run"]


@dataclass
class PublishRequest:
    """Start one post for a brand."""

    brand: str
    """The brand's name in ``brands.toml``."""
    dry_run: bool = False
    """Do every step but publishing and marking the photo used."""


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
class CaptionEdit:
    """Captions a person changed before approving; a field left None keeps Claude's."""

    facebook: str | None = None
    instagram: str | None = None


@dataclass
class ReservePhotoInput:
    brand: str
    run_id: str


@dataclass
class PhotoRef:
    """A photo reserved for a run."""

    brand: str
    key: str
    etag: str | None = None


@dataclass
class ClaudeUsage:
    """Tokens and cost of one Claude call."""

    model: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0
    cost_usd: float | None = None
    """From the price table in ``pricing``; None for a model without a known price."""


@dataclass
class PhotoFacts:
    """What was measured on the photo (by the feed-publisher server, on its pixels)."""

    width: int = 0
    height: int = 0
    orientation: str = ""
    dominant_colours: list[str] = field(default_factory=list)
    """Up to three ``#rrggbb``, the most common first."""
    brightness: float = 0.0
    """0 (black) to 1 (white)."""
    sharpness: float = 0.0
    """Variance of the Laplacian; below about 50 the photo looks soft."""
    phash: str | None = None


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
class Captions:
    """Per-platform captions in the brand's language."""

    facebook: str
    instagram: str
    alt_text: str
    usage: ClaudeUsage = field(default_factory=ClaudeUsage)
    """Both requests' tokens and cost when the captions were written twice."""
    regenerated_because: str | None = None
    """What was wrong with the first answer, when Claude had to write them again."""
    description: str = ""
    """What Claude saw in the photo, written in the same request as the captions."""


@dataclass
class PrepareMediaInput:
    brand: str
    key: str


@dataclass
class PreparedMedia:
    """The Instagram-ready derivative of a photo, in S3."""

    media_key: str
    width: int
    height: int


@dataclass
class PublishInput:
    brand: str
    run_id: str
    media_key: str
    caption: str
    alt_text: str


@dataclass
class PlatformResult:
    """What happened on one platform."""

    platform: Literal["facebook", "instagram"]
    status: PlatformStatus
    post_id: str | None = None
    """Facebook post id or Instagram media id."""
    reason: str | None = None
    """Why it failed or was skipped, in plain words."""
    error_type: str | None = None
    permalink: str | None = None


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


@dataclass
class PublishReport:
    """The report of one run, saved in PostgreSQL and returned by the workflow."""

    run_id: str
    workflow_id: str
    brand: str
    status: RunStatus
    started_at: str
    finished_at: str = ""
    photo_key: str | None = None
    media_key: str | None = None
    description: str | None = None
    captions: Captions | None = None
    facebook: PlatformResult | None = None
    instagram: PlatformResult | None = None
    reason: str | None = None
    """Why the run published nothing, when it did not."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent in each step."""
    rejected_photos: list[str] = field(default_factory=list)
    dry_run: bool = False
    warnings: list[str] = field(default_factory=list)
    """Things an operator should act on although the run went through (a token expiring)."""
    approval: str | None = None
    """``approved``, ``edited``, ``rejected: <reason>`` or ``expired`` when approval was asked."""
    photo_facts: PhotoFacts | None = None
    analysis_usage: ClaudeUsage | None = None
    """Tokens and cost of looking at the photo (the captions' are in ``captions.usage``)."""
    cost_usd: float | None = None
    """What the run's Claude calls cost together."""


@dataclass
class Progress:
    """Where a run is, for the ``progress`` query."""

    step: str = "starting"
    done: list[str] = field(default_factory=list)
    brand: str = ""
    photo_key: str | None = None
    captions: Captions | None = None
    awaiting_approval_until: str | None = None
    """ISO time when an unanswered approval request expires."""
