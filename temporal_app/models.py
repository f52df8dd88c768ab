"""Inputs and results of the workflow and its activities.

Each workflow and activity takes one dataclass, so fields can be added later without breaking
running histories. They carry S3 keys, ids and short text: never image bytes, never secrets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from feedpub.contract.after_publishing import InsightsAge, PostFigures
from feedpub.contract.notices import FollowUp, LostNotice, Notice
from feedpub.contract.run import Captions, ClaudeUsage, PhotoFacts
from feedpub.contract.tools import Photo


@dataclass
class BrandPolicyInput:
    brand: str
    scheduled_start: str | None = None
    """When the brand's schedule meant this run to start (its ``TemporalScheduledStartTime``);
    None for a run started by anything else."""
    requested_slot: str | None = None
    """``PublishRequest.slot``: the caller asked to plan for this slot."""


@dataclass
class BrandPolicy:
    """How a run of this brand must behave, read from ``brands.toml`` when the run starts."""

    approval_required: bool = False
    approval_deadline_seconds: float = 0.0
    """How long to wait for a decision: for a planned run, until its slot; else the brand's
    timeout, cut at the next posting slot."""
    photo_search_seconds: float = 600.0
    """How long the run goes on taking photos while the ones it takes prove unusable."""
    slot: str | None = None
    """The slot this run is planned for (ISO 8601, UTC), or None: publish now (a brand with
    ``plan_ahead = "0"``, a trigger, a backfill of a past slot, ``feedpub run``)."""
    jitter_seconds: int = 0
    """For a planned run: the most its slot timer is moved later, drawn by the run."""
    at_slot_unapproved: str = "skip"
    """For a planned run: what happens when the slot comes without a decision (``skip`` or
    ``publish``)."""
    batch_cutoff_seconds: float = 7200.0
    """For a planned run: a caption batch not ended this long before the slot is cancelled and
    the captions written the ordinary way."""
    time_zone: str = "UTC"
    """The brand's zone (IANA name): the report gives the time of a decision in it. Runs
    recorded without it say UTC."""


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
    days_left: float | None = None
    """Days until it expires; None when it does not (or for runs recorded without it)."""


@dataclass
class ReservePhotoInput:
    brand: str
    run_id: str
    avoid: list[str] = field(default_factory=list)
    """Keys not to take: a planned run asking for another photo than the one it gave back."""


@dataclass
class ChosenPhoto(Photo):
    """The photo a run reserved, with how it was chosen."""

    chosen: str | None = None
    """``learned from 23 posts``, ``explored: the traits seen least first, as 20 % of runs``,
    ``at random (learning is off)``... (``photo_weights``); None in runs recorded before it
    was told."""


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
    revision: int = 0
    """The plan's revision: the publication ledger keeps one row per revision, so an Instagram
    container made for an older revision is never published."""


@dataclass
class VerifyPostInput:
    """A published post to read back: where it is and what was sent."""

    brand: str
    platform: Literal["facebook", "instagram"]
    post_id: str
    caption: str
    media_key: str


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
class CaptionBatch:
    """A Message Batch of one caption request, submitted for a planned run."""

    batch_id: str
    custom_id: str
    submitted_at: str


@dataclass
class CaptionBatchOutcome:
    """What a look at a caption batch found."""

    ended: bool
    """False while Anthropic is still processing it."""
    captions: Captions | None = None
    """The checked captions (regenerated once through the ordinary API when the batch's answer
    broke a rule), when the batch ended with an answer."""
    problem: str | None = None
    """Why an ended batch gave no captions (errored, expired, cancelled), in plain words: the
    run writes them the ordinary way."""


@dataclass
class CollectCaptionBatchInput:
    """A look at a planned run's caption batch, with what a regeneration needs of the photo."""

    brand: str
    batch: CaptionBatch
    key: str | None
    """The photo, as in ``CaptionInput``: looked at again only if the answer must be rewritten."""
    description: str = ""


@dataclass
class SlotClaimInput:
    brand: str
    slot: str
    """ISO 8601, UTC."""
    workflow_id: str
    run_id: str


@dataclass
class SlotCheckInput:
    """What a planned run asks before its slot (at the batch cut-off) and at it."""

    brand: str
    slot: str
    """ISO 8601, UTC."""
    photo_key: str | None
    captions: Captions | None
    scheduled: bool = False
    """The run was started by the brand's schedule: its slot must still be a posting time."""


SlotProblemKind = Literal[
    "brand_removed",
    "brand_disabled",
    "slot_removed",
    "schedule_paused",
    "photo_missing",
    "captions_break_rules",
]


@dataclass
class SlotProblem:
    kind: SlotProblemKind
    reason: str
    """In plain words, for the report and the team."""


@dataclass
class SlotCheck:
    """What a planned run found when it looked again: nothing in ``problems``, all is well."""

    problems: list[SlotProblem] = field(default_factory=list)


@dataclass
class SendNoticeInput:
    """A notice the claim (or a closed window) said to send, with what the message adds."""

    notice: Notice
    lost: list[LostNotice] = field(default_factory=list)
    """Earlier messages of the brand that never arrived: the message says so."""
    cleared: list[str] = field(default_factory=list)
    """For ``back_to_normal``: the conditions it ends."""
    follow_up: FollowUp | None = None
    """Set for the follow-up of a window: the repeats folded in it (its own event id)."""
    delivered: list[str] = field(default_factory=list)
    """Destinations that took it already (a notice claimed before, by an earlier notifier)."""


@dataclass
class NoticeWindowInput:
    brand: str
    condition: str
    follow_up_at: datetime


@dataclass
class SentNotice:
    """Where one message went."""

    event_id: str
    delivered: list[str] = field(default_factory=list)
    """Destinations (variable names) that took it, in this attempt or an earlier one."""
    failed: dict[str, str] = field(default_factory=dict)
    """Destination -> why it did not take it (recorded, and told in the next message)."""


@dataclass
class NotifyOutcome:
    """What a notifier did with its notice."""

    event_id: str
    decision: str
    """``sent``, ``folded`` (into a follow-up) or ``not told`` (nothing to tell)."""
    sent: SentNotice | None = None
    follow_up: SentNotice | None = None
    """The follow-up of the window this notice opened, when it was sent."""


@dataclass
class PublishedPost:
    platform: Literal["facebook", "instagram"]
    post_id: str


@dataclass
class PostInsightsInput:
    """A run's post, for the workflow that reads its figures at +24 h and +7 d."""

    run_id: str
    workflow_id: str
    """The run's workflow id: the notices about the post are the run's events."""
    brand: str
    photo_key: str | None
    published_at: str
    """When the post went out (ISO 8601): the ages count from it."""
    posts: list[PublishedPost] = field(default_factory=list)
    """The platforms it went out on, each with its post id."""


@dataclass
class ReadInsightsInput:
    brand: str
    platform: Literal["facebook", "instagram"]
    post_id: str
    age: InsightsAge


@dataclass
class SaveInsightsInput:
    run_id: str
    brand: str
    photo_key: str | None
    figures: PostFigures


@dataclass
class PostInsightsOutcome:
    """What the insights workflow read and kept, age by age."""

    figures: list[PostFigures] = field(default_factory=list)
