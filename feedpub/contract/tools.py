"""The MCP servers' tools as their callers know them: each tool's server, name, arguments and
result, written once.

A server's tool function takes these arguments as its parameters (its signature is the tool's
input schema) and returns the result type; a client calls ``Tool`` with the arguments and reads
the answer back as the result type. ``tests/stack/test_tool_registry.py`` checks that what each
server lists agrees with this module. Results are plain dataclasses: the MCP SDK derives the
output schema from them, and the worker can hand them to Temporal as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from .after_publishing import BrandTastes, CaptionExamples, LiveCheck, PostFigures
from .notices import FollowUp, NoticeClaim
from .run import RunStatus

__all__ = [
    "ALL_TOOLS",
    "NOTICE_TOOLS",
    "AlertList",
    "BrandAlert",
    "FacebookPost",
    "InstagramMedia",
    "NoticeList",
    "NoticeRecord",
    "OpenProblem",
    "OpenProblems",
    "Photo",
    "PhotoPresence",
    "PhotoStock",
    "PhotoToLook",
    "PhotoTraits",
    "PhotosToLook",
    "PlannedSlot",
    "PlannedSlots",
    "PreparedMedia",
    "ReadmittedPhoto",
    "ReadmittedPhotos",
    "ReportList",
    "ReservedPhoto",
    "ReservedPhotos",
    "SlotClaim",
    "StoredReport",
    "TokenHealth",
    "Tool",
]


FEED_PUBLISHER = "feed-publisher"
AGENT_OUTPUTS = "agent-outputs"

R = TypeVar("R")


@dataclass(frozen=True)
class Tool(Generic[R]):
    server: str
    name: str
    arguments: tuple[str, ...]
    """The parameters a caller must give (the input schema's ``required``); the server's
    function signature adds the optional ones."""
    result: type[R] | None = None
    """The structured answer; None where the answer is content (an image) or not read."""


@dataclass
class Photo:
    """A brand's photo, as reserved for a run."""

    brand: str
    key: str
    etag: str | None = None
    size_bytes: int | None = None


@dataclass
class PhotoToLook:
    """A photo asked about: its key and the ETag of the version in the ledger."""

    key: str
    etag: str | None = None


@dataclass
class PhotosToLook:
    """Photos of a brand with no traits yet, now marked as asked about (a look is under way)."""

    brand: str
    photos: list[PhotoToLook] = field(default_factory=list)


@dataclass
class PhotoTraits:
    """The traits stored for a photo (``feedpub.photo_traits``): its look's, then its facts'."""

    brand: str
    key: str
    traits: list[str] = field(default_factory=list)


@dataclass
class PhotoPresence:
    """Whether a photo is still in S3 (a planned run looks before its slot)."""

    key: str
    stored: bool


@dataclass
class PreparedMedia:
    """The Instagram-ready derivative of a photo, in S3."""

    media_key: str
    width: int
    height: int
    size_bytes: int = 0


@dataclass
class ReadmittedPhoto:
    key: str
    reason: str | None
    """Why it had been rejected."""


@dataclass
class ReadmittedPhotos:
    readmitted: list[ReadmittedPhoto]
    """The photos put back, each with the reason it had been rejected for."""
    not_rejected: list[str]
    """Keys asked for that were not rejected (unused, used, or not in the ledger)."""


@dataclass
class BrandAlert:
    brand: str
    kind: str
    message: str
    since: datetime
    last_seen: datetime


@dataclass
class AlertList:
    alerts: list[BrandAlert]


@dataclass
class FacebookPost:
    """A photo post on a Facebook Page."""

    photo_id: str
    post_id: str
    reconciled: bool = False
    """True when a retry found the post already there instead of posting."""


@dataclass
class InstagramMedia:
    """A photo published on an Instagram business account."""

    container_id: str
    media_id: str | None
    permalink: str | None = None
    reconciled: bool = False


@dataclass
class TokenHealth:
    """What Meta says of the brand's Page access token."""

    brand: str
    valid: bool
    expires_at: datetime | None = None
    """When it expires; None when it does not expire (long-lived Page tokens)."""
    days_left: float | None = None
    problem: str | None = None
    """What is wrong or about to be, in words an operator acts on."""


@dataclass
class PhotoStock:
    """How many photos a brand has left to post."""

    brand: str
    unused: int
    """Photos never posted, not rejected, not held by a run."""
    reserved: int = 0
    """Photos held by runs under way."""


@dataclass
class ReservedPhoto:
    """A photo a run holds: reserved, neither posted nor given back yet."""

    brand: str
    key: str
    run_id: str
    reserved_at: datetime


@dataclass
class ReservedPhotos:
    photos: list[ReservedPhoto] = field(default_factory=list)


@dataclass
class NoticeRecord:
    """A notice as the agent-outputs server keeps it, with where it was delivered."""

    event_id: str
    brand: str
    kind: str
    decision: str
    """``sent``, ``folded``, ``skipped`` (nothing to tell) or ``follow-up``."""
    created_at: datetime
    delivered: list[str] = field(default_factory=list)
    """Destinations (variable names) that accepted it."""
    failed: dict[str, str] = field(default_factory=dict)
    """Destination -> why it could not be delivered."""


@dataclass
class NoticeList:
    notices: list[NoticeRecord] = field(default_factory=list)


@dataclass
class OpenProblem:
    """A problem told to a brand's team and not yet back to normal: its condition is open."""

    brand: str
    condition: str
    """``meta-token``, ``photos``, ``publishing``, ``posting``... (``CONDITION_OF``)."""
    kind: str
    """The kind told last: ``token_expiring``, ``photos_low``, ``post_failed``..."""
    since: datetime
    last_told: datetime


@dataclass
class OpenProblems:
    problems: list[OpenProblem] = field(default_factory=list)


@dataclass
class StoredReport:
    run_id: str
    workflow_id: str
    brand: str
    status: RunStatus
    photo_key: str | None
    report: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    insights: list[PostFigures] = field(default_factory=list)
    """The post's figures read since (``post_insights``): per platform, at +24 h and +7 d."""


@dataclass
class ReportList:
    reports: list[StoredReport] = field(default_factory=list)


@dataclass
class SlotClaim:
    """Whether this run holds the (brand, slot) claim, else which run does: one slot of a brand
    is planned by one run, whatever starts a second one."""

    claimed: bool
    holder_workflow_id: str | None = None
    holder_run_id: str | None = None


@dataclass
class PlannedSlot:
    brand: str
    slot: str
    """ISO 8601, UTC."""
    workflow_id: str
    run_id: str
    claimed_at: str


@dataclass
class PlannedSlots:
    slots: list[PlannedSlot] = field(default_factory=list)


def _feed(name: str, *arguments: str, result: type[R] | None = None) -> Tool[R]:
    return Tool(FEED_PUBLISHER, name, arguments, result)


GET_RANDOM_UNUSED_PHOTO = _feed("get_random_unused_photo", "brand", "run_id", result=Photo)
VIEW_IMAGE: Tool[None] = _feed("view_image", "brand", "key")
"""Answers the photo as an image block, then its facts as a JSON text block."""
PREPARE_INSTAGRAM_MEDIA = _feed("prepare_instagram_media", "brand", "key", result=PreparedMedia)
GET_PREPARED_MEDIA: Tool[None] = _feed("get_prepared_media", "brand", "media_key")
MARK_PHOTO_USED = _feed("mark_photo_used", "brand", "key", "run_id", result=Photo)
RELEASE_PHOTO: Tool[None] = _feed("release_photo", "brand", "key", "run_id")
REJECT_PHOTO: Tool[None] = _feed("reject_photo", "brand", "key", "run_id", "reason")
READMIT_PHOTOS = _feed("readmit_photos", "brand", result=ReadmittedPhotos)
PUBLISH_FACEBOOK_PHOTO = _feed(
    "publish_facebook_photo", "brand", "run_id", "media_key", "caption", "alt_text",
    result=FacebookPost,
)  # fmt: skip
PUBLISH_INSTAGRAM_PHOTO = _feed(
    "publish_instagram_photo", "brand", "run_id", "media_key", "caption", "alt_text",
    result=InstagramMedia,
)  # fmt: skip
VERIFY_POST = _feed(
    "verify_post", "brand", "platform", "post_id", "caption", "media_key", result=LiveCheck
)
"""Read the live post back and compare it with what was sent (caption; on Instagram, the
image's perceptual hash with the prepared image's): ``verified``, or the difference."""
LIST_BRAND_ALERTS = _feed("list_brand_alerts", result=AlertList)
CHECK_META_TOKEN = _feed("check_meta_token", "brand", result=TokenHealth)
"""Ask Meta about the brand's token, and raise or clear its token alerts (publish token)."""
READ_META_TOKEN = _feed("read_meta_token", "brand", result=TokenHealth)
"""Ask Meta about the brand's token and change nothing (read token): what the console shows."""
COUNT_UNUSED_PHOTOS = _feed("count_unused_photos", "brand", result=PhotoStock)
PHOTO_STORED = _feed("photo_stored", "brand", "key", result=PhotoPresence)
LIST_RESERVED_PHOTOS = _feed("list_reserved_photos", result=ReservedPhotos)
"""The photos runs hold, for the sweeper that gives back those of runs that no longer exist."""
READ_POST_INSIGHTS = _feed(
    "read_post_insights", "brand", "platform", "post_id", "age", result=PostFigures
)
"""A post's figures from Meta, one metric per call; a missing permission raises the brand's
``meta-insights:<platform>`` alert, a read that works clears it."""
PHOTOS_TO_LOOK_AT = _feed("photos_to_look_at", "brand", result=PhotosToLook)
"""Unused photos with no traits and no look under way, marked as asked about (``limit``)."""
SAVE_PHOTO_TRAITS = _feed("save_photo_traits", "brand", "key", "etag", "look", result=PhotoTraits)
"""Store what a short look says a photo shows, with the traits of its measured facts."""

SAVE_PUBLICATION_REPORT = Tool(
    AGENT_OUTPUTS, "save_publication_report",
    ("run_id", "workflow_id", "brand", "status", "photo_key", "report"), StoredReport,
)  # fmt: skip
LIST_REPORTS = Tool(AGENT_OUTPUTS, "list_reports", (), ReportList)
GET_REPORT = Tool(AGENT_OUTPUTS, "get_report", ("run_id",), StoredReport)
CLAIM_NOTICE = Tool(AGENT_OUTPUTS, "claim_notice", ("notice",), NoticeClaim)
"""Decide once, in PostgreSQL, whether a notice is sent, folded or not told (``Notice``)."""
CLOSE_NOTICE_WINDOW = Tool(AGENT_OUTPUTS, "close_notice_window", ("brand", "condition"), FollowUp)
"""At the end of a condition's window: the repeats folded in it, to tell in one follow-up."""
RECORD_NOTICE_DELIVERY: Tool[None] = Tool(
    AGENT_OUTPUTS, "record_notice_delivery",
    ("event_id", "brand", "destination", "delivered", "reason", "told_lost"),
)  # fmt: skip
"""Whether a destination took the message; ``told_lost`` are the lost notices it mentioned."""
LIST_NOTICES = Tool(AGENT_OUTPUTS, "list_notices", (), NoticeList)
LIST_OPEN_PROBLEMS = Tool(AGENT_OUTPUTS, "list_open_problems", (), OpenProblems)
"""The problems told and not yet back to normal (of one brand, or of all)."""
CLAIM_SLOT = Tool(
    AGENT_OUTPUTS, "claim_slot", ("brand", "slot", "workflow_id", "run_id"), SlotClaim
)
"""One run plans each (brand, slot): claim it, or learn which run holds it."""
RELEASE_SLOT: Tool[None] = Tool(AGENT_OUTPUTS, "release_slot", ("brand", "slot", "run_id"))
"""Give the slot back (only its holder can); answers ``{"result": <released>}``."""
LIST_PLANNED_SLOTS = Tool(AGENT_OUTPUTS, "list_planned_slots", (), PlannedSlots)
GET_BRAND_TASTES = Tool(AGENT_OUTPUTS, "get_brand_tastes", ("brand",), BrandTastes)
"""What the brand's posts' figures taught: the posterior the next photo choice samples from."""
GET_CAPTION_EXAMPLES = Tool(AGENT_OUTPUTS, "get_caption_examples", ("brand",), CaptionExamples)
"""The brand's best-performing recent captions, shown to the caption writer as examples of tone."""
SAVE_POST_INSIGHTS = Tool(
    AGENT_OUTPUTS, "save_post_insights", ("run_id", "brand", "photo_key", "figures"), PostFigures
)
"""Keep a post's figures beside the run's report (one row per run, platform and age), with
the photo's traits and its engagement per reach."""

NOTICE_TOOLS = frozenset(
    tool.name for tool in (CLAIM_NOTICE, CLOSE_NOTICE_WINDOW, RECORD_NOTICE_DELIVERY)
)
"""Besides reading, what the notify token (``MCP_NOTIFY_TOKEN``, the watchdog's) may call."""

ALL_TOOLS: tuple[Tool[Any], ...] = (
    GET_RANDOM_UNUSED_PHOTO, VIEW_IMAGE, PREPARE_INSTAGRAM_MEDIA, GET_PREPARED_MEDIA,
    MARK_PHOTO_USED, RELEASE_PHOTO, REJECT_PHOTO, READMIT_PHOTOS, PUBLISH_FACEBOOK_PHOTO,
    PUBLISH_INSTAGRAM_PHOTO, VERIFY_POST, LIST_BRAND_ALERTS, CHECK_META_TOKEN, READ_META_TOKEN,
    COUNT_UNUSED_PHOTOS, PHOTO_STORED, LIST_RESERVED_PHOTOS, PHOTOS_TO_LOOK_AT, SAVE_PHOTO_TRAITS,
    SAVE_PUBLICATION_REPORT,
    LIST_REPORTS, GET_REPORT, CLAIM_NOTICE, CLOSE_NOTICE_WINDOW, RECORD_NOTICE_DELIVERY,
    LIST_NOTICES, LIST_OPEN_PROBLEMS, CLAIM_SLOT, RELEASE_SLOT, LIST_PLANNED_SLOTS,
    GET_BRAND_TASTES, GET_CAPTION_EXAMPLES,
    READ_POST_INSIGHTS, SAVE_POST_INSIGHTS,
)  # fmt: skip
