"""``render``: the message for a notice, a follow-up or a recovery, in the brand's words.

Short plain text, times in the brand's zone, one link to the console when
``CONSOLE_PUBLIC_URL`` is set (never to S3: a presigned URL dies within the hour; a run waiting
for approval: its approval page, signed for that run with ``CONSOLE_LINK_SECRET``), captions
exactly as published, a line on earlier messages that could not be delivered, and last the
event line a receiver drops repeats by.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from feedpub.brands import Brand
from feedpub.contract.notices import FollowUp, LostNotice, Notice

from .check_texts import CHECK_TEXTS
from .message import About, Message, Said, with_event_line
from .run_texts import RUN_TEXTS
from .watch_texts import WATCH_TEXTS

__all__ = ["KIND_WORDS", "render"]

KIND_WORDS = {
    "post_failed": "post failed",
    "post_partial": "post on one platform only",
    "approval_waiting": "approval waiting",
    "approval_expired": "approval expired",
    "token_expiring": "Meta token expiring",
    "token_invalid": "Meta token refused",
    "photos_low": "photos running low",
    "photos_out": "no photos left",
    "weekly_digest": "weekly digest",
    "back_to_normal": "back to normal",
    "not_posting": "no post for too long",
    "schedule_missed": "schedule missed slots",
    "schedule_paused": "schedule paused",
    "temporal_unreachable": "Temporal unreachable",
    "insights_permission": "post figures refused",
    "test": "test message",
}
TEXTS: dict[str, Callable[[About], Said]] = {**RUN_TEXTS, **CHECK_TEXTS, **WATCH_TEXTS}
LOST_SHOWN = 3
"""Earlier undelivered messages listed one by one; more are counted."""


def render(
    notice: Notice,
    brand: Brand | None,
    console_url: str | None,
    *,
    lost: Sequence[LostNotice] = (),
    follow_up: FollowUp | None = None,
    cleared: Sequence[str] = (),
    link_secret: str | None = None,
) -> Message:
    """The message telling ``notice`` (or, with ``follow_up``, the repeats folded since it).
    ``link_secret`` signs the approval link of a run that waits (none without it)."""
    about = About(notice, brand, console_url, tuple(cleared), link_secret)
    said = _follow_up(about, follow_up) if follow_up else TEXTS[notice.kind](about)
    lines = [*said.lines, *_lost_lines(about, lost or (follow_up.lost if follow_up else []))]
    if said.link:
        lines.append(f"{said.link_words}: {said.link}")
    event_id = follow_up.event_id if follow_up and follow_up.event_id else notice.event_id
    body = with_event_line("\n".join(line for line in lines if line is not None), event_id)
    name = about.name
    title = f"feedpub {name}: {said.headline}" if name else f"feedpub: {said.headline}"
    return Message(title=title, body=body, brand=name, kind=notice.kind)


def _follow_up(about: About, follow_up: FollowUp) -> Said:
    words = KIND_WORDS.get(follow_up.kind or about.notice.kind, follow_up.kind)
    times = "time" if follow_up.count == 1 else "times"
    since = about.time(follow_up.since) or "the first message"
    latest = f"Latest: {about.notice.reason}" if about.notice.reason else None
    return Said(
        f"{words}, {follow_up.count} more {times}",
        [f"{words[:1].upper()}{words[1:]}: {follow_up.count} more {times} since {since}, "
         "when you were first told; it has not recovered.", latest],
        about.run_link(), "More",
    )  # fmt: skip


def _lost_lines(about: About, lost: Sequence[LostNotice]) -> list[str | None]:
    if not lost:
        return []
    lines: list[str | None] = ["", f"Not delivered earlier ({len(lost)}):"]
    for item in lost[:LOST_SHOWN]:
        words = KIND_WORDS.get(item.kind, item.kind)
        lines.append(
            f"- {words} ({about.time(item.occurred_at)}) to {item.destination}: {item.reason}"
        )
    if len(lost) > LOST_SHOWN:
        lines.append(f"- and {len(lost) - LOST_SHOWN} more")
    return [*lines, ""]
