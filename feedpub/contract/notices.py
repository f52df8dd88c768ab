"""What feedpub tells a brand's team, as the processes that raise, claim and send it see it.

An event (a run that failed, an approval that waits, a token about to expire...) becomes a
``Notice``. Whoever raises it (the run, the daily checks, the watchdog) starts a notifier,
which first *claims* the notice on the agent-outputs server: one row per ``event_id`` in
PostgreSQL decides whether it is sent now, folded into a later follow-up, or not sent at all.
Only then is it sent, to each of the brand's destinations, at least once: every message
carries its event id (``EVENT_LINE``) so a receiver can drop a repeat.

Problems are grouped by ``condition``: repeats of a condition within the brand's window fold
into one follow-up with a count; a recovery (``back_to_normal``) clears the conditions it
names and is sent only when one of them was open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

__all__ = [
    "CONDITION_OF",
    "EVENT_LINE",
    "NOTIFY_ENV_PREFIX",
    "ONE_OFF",
    "STANDING",
    "FollowUp",
    "LostNotice",
    "Notice",
    "NoticeClaim",
    "NoticeKind",
    "event_id_of",
    "split_event_line",
]

NOTIFY_ENV_PREFIX = "NOTIFY_"
"""Destinations are apprise URLs held in variables with this prefix, named in brands.toml."""

NoticeKind = Literal[
    "post_failed",
    "post_partial",
    "approval_waiting",
    "approval_expired",
    "token_expiring",
    "token_invalid",
    "photos_low",
    "photos_out",
    "weekly_digest",
    "back_to_normal",
    "not_posting",
    "schedule_missed",
    "schedule_paused",
    "temporal_unreachable",
    "insights_permission",
    "test",
]

CONDITION_OF: dict[str, str] = {
    "post_failed": "publishing",
    "post_partial": "publishing",
    "token_expiring": "meta-token",
    "token_invalid": "meta-token",
    "photos_low": "photos",
    "photos_out": "photos",
    "not_posting": "posting",
    "schedule_paused": "schedule-paused",
    "temporal_unreachable": "temporal",
    "insights_permission": "meta-insights",
}
"""The condition each problem kind belongs to. Within a condition a change of kind (expiring
to invalid, low to out) is news and is sent; the same kind again is a repeat."""

STANDING: frozenset[str] = frozenset(
    {
        "token_expiring",
        "photos_low",
        "photos_out",
        "not_posting",
        "schedule_paused",
        "insights_permission",
    }
)
"""Problems that stand until mended: told when they begin or change kind, then not again while
they last, for the same words again are no news (the daily check finding the photos still
low, the watchdog finding the brand still silent). A failure that happens again, by contrast,
folds into a follow-up with a count and is told again after the window."""

ONE_OFF: frozenset[str] = frozenset(
    {"approval_waiting", "approval_expired", "weekly_digest", "schedule_missed", "test"}
)
"""Kinds sent once per event id, never folded: each is about one run, one week, one count."""

EVENT_LINE = "event {event_id}"
"""The last line of every message: a receiver drops a message whose event id it has seen."""


def split_event_line(body: str) -> tuple[str, str | None]:
    """A message's text without its last line, and the event id that line names; the whole
    text and None when its last line is not an event line."""
    text, _, last = body.rstrip().rpartition("\n")
    prefix = EVENT_LINE.split("{", 1)[0]
    if last.startswith(prefix) and last[len(prefix) :].strip():
        return text.rstrip("\n"), last[len(prefix) :].strip()
    return body.rstrip("\n"), None


def event_id_of(kind: str, brand: str, *parts: str) -> str:
    """A stable event id: the same occurrence always gets the same id (a retried run's
    failure, the same week's digest), a new occurrence a new one."""
    return ":".join([kind, brand or "-", *parts])


@dataclass
class Notice:
    """One event to tell a brand's team (or every team, for ``brand = ""``). Fields that do not
    apply to a kind stay empty; messages show what is there."""

    event_id: str
    kind: NoticeKind
    brand: str
    occurred_at: str
    """ISO 8601 with an offset; messages show it in the brand's time zone."""
    reason: str | None = None
    """What went wrong, in plain words (never a secret, never a traceback)."""
    slot: str | None = None
    """The run's slot (ISO 8601); messages show it in the brand's local time."""
    platform: str | None = None
    """``facebook``, ``instagram`` or ``both`` for a failed or partial post."""
    workflow_id: str | None = None
    run_id: str | None = None
    facebook_caption: str | None = None
    instagram_caption: str | None = None
    deadline: str | None = None
    """When an approval expires (ISO 8601)."""
    days_left: float | None = None
    """Days until the Meta token expires (``token_expiring``)."""
    photos_left: int | None = None
    days_of_posts: float | None = None
    lines: list[str] = field(default_factory=list)
    """Ready lines of a list: the digest's posts, the conditions a recovery clears."""
    clears: list[str] = field(default_factory=list)
    """For ``back_to_normal``: the conditions this success ends."""

    @property
    def condition(self) -> str:
        return CONDITION_OF.get(self.kind, "")


@dataclass
class LostNotice:
    """A message that could not be delivered to a destination, not yet told about."""

    event_id: str
    kind: str
    destination: str
    """The variable naming the destination (``NOTIFY_POMANDI_EMAIL``), never its URL."""
    reason: str
    occurred_at: datetime


@dataclass
class NoticeClaim:
    """The agent-outputs server's decision on a notice."""

    send: bool
    """Send it now."""
    repeat_of: str | None = None
    """Sent as a reminder of an open condition (its window passed): when it began (ISO)."""
    folded: int = 0
    """Not sent: one more repeat of an open condition within its window; the count so far."""
    follow_up_at: datetime | None = None
    """Set on the first repeat folded in a window: the caller closes the window then
    (``close_notice_window``) and sends the follow-up with the count."""
    cleared: list[str] = field(default_factory=list)
    """For ``back_to_normal``: the open conditions it ended (empty: nothing to tell)."""
    lost: list[LostNotice] = field(default_factory=list)
    """Earlier messages of the brand that could not be delivered; the message says so."""
    delivered: list[str] = field(default_factory=list)
    """For a notice claimed before (a retried notifier): the destinations that already took
    it; send to the others only."""


@dataclass
class FollowUp:
    """The repeats folded in a closed window, to be told in one message."""

    send: bool
    kind: str = ""
    count: int = 0
    since: datetime | None = None
    """When the condition began."""
    event_id: str = ""
    """The follow-up's own event id."""
    lost: list[LostNotice] = field(default_factory=list)
