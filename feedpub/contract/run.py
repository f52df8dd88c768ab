"""A run of FeedPublisherWorkflow as its callers see it: how to start one, what it answers
while it goes (``progress``), the decisions it takes (``approve``, ``reject``, ``edit``,
``another_photo``), each with who took it (``DecidedBy``), and its report.

The worker, the schedules, the CLI and the agent-outputs server all speak these; a caller
starts runs and sends decisions by these names, without importing the workflow. The shapes
are those of recorded histories: a field may be added with a default, never renamed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .after_publishing import LiveCheck

__all__ = [
    "ANOTHER_PHOTO",
    "APPROVE",
    "EDIT",
    "PROGRESS",
    "REJECT",
    "WORKFLOW_NAME",
    "CaptionEdit",
    "Captions",
    "CaptionsVia",
    "ClaudeUsage",
    "DecidedBy",
    "DecisionVia",
    "PhotoFacts",
    "PlatformResult",
    "PlatformStatus",
    "Progress",
    "PublishReport",
    "PublishRequest",
    "RunStatus",
]

WORKFLOW_NAME = "FeedPublisherWorkflow"
PROGRESS = "progress"
"""Query: where the run is (``Progress``)."""
APPROVE = "approve"
"""Update, with an optional ``DecidedBy``: publish the waiting run as it is."""
REJECT = "reject"
"""Update with a reason and an optional ``DecidedBy``: publish nothing."""
EDIT = "edit"
"""Update with a ``CaptionEdit`` (who made it in its ``by``): publish with the captions a
person changed."""
ANOTHER_PHOTO = "another_photo"
"""Update with a reason and an optional ``DecidedBy``, for a planned run before its slot: give
the reserved photo back, take another and write new captions (a new revision of the plan)."""

PlatformStatus = Literal["published", "failed", "skipped"]
RunStatus = Literal[
    "published", "partial", "failed", "rejected", "expired", "dry_run", "cancelled", "skipped"
]
"""``cancelled``: a planned run stopped before its slot (its brand paused, disabled or its
posting time removed), its photo given back. ``skipped``: a planned run that found its slot
already planned by another run, or its slot gone at the slot; it took nothing."""
DecisionVia = Literal["login", "link", "cli"]
"""How a person reached the run to decide: logged in to the console, through an approval link
(no login), or with the ``feedpub`` command."""
CaptionsVia = Literal["ordinary", "batch", "batch, then ordinary"]
"""How the captions were written: one ordinary request, a Message Batch (half price), or a batch
that did not end by its cut-off (or failed) and then an ordinary request."""


@dataclass
class PublishRequest:
    """Start one post for a brand."""

    brand: str
    """The brand's name in ``brands.toml``."""
    dry_run: bool = False
    """Do every step but publishing and marking the photo used."""
    slot: str | None = None
    """Plan for this slot (ISO 8601, aware) and publish at it. A run the brand's schedule
    starts finds its slot from its scheduled time; None from any other caller publishes now."""


DECIDED_VIA_WORDS: dict[str, str] = {
    "login": "console",
    "link": "approval link",
    "cli": "command line",
}
"""How each way of deciding is named in reports and pages."""


@dataclass
class DecidedBy:
    """Who took a decision on a run, and how they reached it; the run stamps the time."""

    person: str
    """An e-mail address (the console's login), or ``user@host`` (the command line)."""
    via: DecisionVia


@dataclass
class CaptionEdit:
    """Captions a person changed before approving; a field left None keeps Claude's."""

    facebook: str | None = None
    instagram: str | None = None
    by: DecidedBy | None = None
    """Who edited them; None from a caller that does not say."""


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
    batch: bool = False
    """Billed at the Message Batches rate, half the ordinary price. When a batch's answer and
    its regeneration through the ordinary API are added up, True as well, and ``cost_usd`` is
    the sum of what each call cost."""


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
    live: LiveCheck | None = None
    """What was found when the live post was read back (``verified``, or the difference in
    plain words); None when it was not read back (not published, or a run before the check)."""


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
    """The decision in words, when one was taken or asked for: what, who, when in the brand's
    zone and how (``approved by ana@example.com at 2026-12-03 08:12 CET (approval link)``,
    ``rejected by ... : <reason>``, ``expired: nobody decided before ...``)."""
    photo_facts: PhotoFacts | None = None
    analysis_usage: ClaudeUsage | None = None
    """Tokens and cost of looking at the photo (the captions' are in ``captions.usage``)."""
    cost_usd: float | None = None
    """What the run's Claude calls cost together."""
    slot: str | None = None
    """The slot a planned run was planned for (ISO 8601, UTC); None when it published at once."""
    revision: int = 0
    """The revision of the plan that was published (each edit or photo change adds one)."""
    captions_via: CaptionsVia | None = None
    published_at: str | None = None
    """When the publishing step began (the slot's timer fired): slot-to-post delay."""
    set_aside_photos: list[str] = field(default_factory=list)
    """Photos the run gave back unused without trying them (``key: why``): near-duplicates of
    one another run holds, which may yet be given back and posted."""
    photo_choice: str | None = None
    """How the photo was chosen: ``learned from 23 posts`` (the traits its brand's audience
    responded to, sampled), ``explored: the traits seen least first, as 20 % of runs``,
    ``at random (learning is off)``; None in runs recorded before it was told."""


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
    slot: str | None = None
    """For a planned run: the slot it publishes at (ISO 8601, UTC)."""
    revision: int = 0
    """The plan's revision: each edit, approval change or photo change adds one."""
    decision: str | None = None
    """For a planned run: ``approved`` or ``edited`` once a person decided (they can still
    change the plan until the slot); None while nobody has."""
    media_key: str | None = None
    """The prepared (Instagram-ready) image, once made: a planned run's plan, or the image a
    run waiting for approval will post."""
    decided_by: str | None = None
    """The person who took the run's latest decision (approve, edit, reject, another photo);
    None while nobody has, or when the caller did not say who. On a planned run whose
    ``decision`` is None it was taken on an earlier revision."""
    decided_via: DecisionVia | None = None
    """How that person reached the run (``DecidedBy.via``)."""
    decided_at: str | None = None
    """When the latest decision was taken (ISO 8601, UTC), whoever took it."""

    @property
    def awaits_decision(self) -> bool:
        """Nobody has decided yet. A planned run keeps its step for a moment after a decision,
        until it goes on to wait for its slot: its ``decision`` shows first."""
        return self.step == "awaiting_approval" and not (self.slot and self.decision)
