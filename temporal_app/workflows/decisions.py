"""Who decided on a run, and the words its report gives the decision: what, who, when (in the
brand's zone) and how the person reached the run. Workflow code: the time is
``workflow.now()``, the person the caller's ``DecidedBy``.

A decision recorded before callers said who (an update without ``by``) replays as it ran: the
argument defaults to None, and who decided is only kept in the run's state and report, never
in a command.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from feedpub.contract.run import DECIDED_VIA_WORDS, DecidedBy, Progress

__all__ = [
    "Clock",
    "check_decided_by",
    "decision_words",
    "local_minute",
    "nobody_decided",
    "record",
]

Clock = Callable[[], datetime]
"""Where the time of a decision comes from: ``workflow.now`` (a unit test gives another)."""

VIA_WORDS = DECIDED_VIA_WORDS
PERSON_MAX_CHARS = 320
"""An e-mail address is at most 254 characters; ``user@host`` fits too."""


def check_decided_by(by: DecidedBy | None) -> None:
    """Raise unless ``by`` names a person and a known way (update validators)."""
    if by is None:
        return
    if not by.person.strip() or len(by.person) > PERSON_MAX_CHARS:
        raise ValueError(f"who decided must be named, in at most {PERSON_MAX_CHARS} characters")
    if by.via not in VIA_WORDS:
        raise ValueError(f"a decision comes via {', '.join(VIA_WORDS)}, not {by.via!r}")


def record(progress: Progress, by: DecidedBy | None, now: Clock) -> None:
    """``progress`` says that ``by`` (None: a caller who did not say) decided ``now()``."""
    progress.decided_by = by.person.strip() if by else None
    progress.decided_via = by.via if by else None
    progress.decided_at = now().isoformat()


def decision_words(verdict: str, progress: Progress, zone: str, reason: str | None = None) -> str:
    """``approved by ana@example.com at 2026-12-03 08:12 CET (approval link)``, and ``: reason``
    after it when one was given; the parts nobody said are left out."""
    words = verdict
    if progress.decided_by:
        words += f" by {progress.decided_by}"
    if progress.decided_at:
        words += f" at {local_minute(progress.decided_at, zone)}"
    if progress.decided_via:
        words += f" ({VIA_WORDS.get(progress.decided_via, progress.decided_via)})"
    return f"{words}: {reason}" if reason else words


def nobody_decided(before: str, zone: str, what: str = "") -> str:
    """``nobody decided before 2026-12-03 09:12 CET``; with ``what``, ``nobody decided before
    the slot, 2026-12-03 09:00 CET``."""
    return f"nobody decided before {f'{what}, ' if what else ''}{local_minute(before, zone)}"


def local_minute(moment: str, zone: str) -> str:
    """``2026-12-03 08:12 CET``: ``moment`` (ISO 8601 with its offset) in ``zone``."""
    here = datetime.fromisoformat(moment).astimezone(ZoneInfo(zone))
    return f"{here:%Y-%m-%d %H:%M} {here.tzname()}"
