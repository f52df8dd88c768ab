"""What the approval pages say about a run, in words and in the brand's local time. Pure: the
pages read the run and hand it in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from feedpub.contract.run import DECIDED_VIA_WORDS

from .waiting import RunState

__all__ = ["VIA_WORDS", "RunView", "local_time", "run_view"]

PUBLISHING_STEPS = frozenset({"publish", "publish_facebook", "publish_instagram"})
VIA_WORDS = DECIDED_VIA_WORDS


def local_time(moment: str | None, zone: str) -> str | None:
    """``Thu 3 Dec 2026, 09:00 CET``: ``moment`` (ISO 8601) in ``zone``; None for None."""
    if not moment:
        return None
    here = _aware(moment).astimezone(ZoneInfo(zone))
    return f"{here:%a} {here.day} {here:%b %Y, %H:%M} {here.tzname()}"


def _time_left(moment: str | None, now: datetime) -> str | None:
    if not moment:
        return None
    left = _aware(moment) - now
    minutes = int(left.total_seconds() // 60)
    if minutes < 1:
        return "less than a minute left"
    if minutes < 120:
        return f"{minutes} minutes left"
    hours = minutes // 60
    return f"{hours} hours left" if hours < 48 else f"{hours // 24} days left"


@dataclass(frozen=True)
class RunView:
    state: str
    """One sentence: waiting until when, or decided by whom, or ended."""
    deadline: str | None
    """When the decision is due, in the brand's zone (while it waits)."""
    time_left: str | None
    slot: str | None
    """A planned run's slot in the brand's zone."""
    decided: str | None
    """The latest decision: who, when, how (``by ana@… at … (console)``)."""


def _decided(run: RunState, zone: str) -> str | None:
    progress = run.progress
    if progress is None or not progress.decided_at:
        return None
    words = f"by {progress.decided_by}" if progress.decided_by else "by someone unnamed"
    words += f" at {local_time(progress.decided_at, zone)}"
    if progress.decided_via:
        words += f" ({VIA_WORDS.get(progress.decided_via, progress.decided_via)})"
    return words


def _aware(moment: str) -> datetime:
    found = datetime.fromisoformat(moment)
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def _state(run: RunState, decided: str | None, slot: str | None, now: datetime) -> str:
    progress = run.progress
    if not run.running:
        return "This run has ended." + (
            f" The last decision was taken {decided}." if decided else ""
        )
    if progress is None:
        return "The run does not answer just now (is a worker running?). Reload in a moment."
    if run.waiting:
        then = f"at its slot, {slot}" if slot else "at once"
        return f"Waiting for a decision. Once approved, it is published {then}."
    if run.planned and run.changeable:
        if not progress.decision:
            return f"Planned for {slot}; no decision is needed."
        done = f"{progress.decision.capitalize()} {decided or ''}".strip()
        return f"{done}; published at {slot}. Until then it can still change."
    if progress.slot and now < _aware(progress.slot):
        return "Its plan is being prepared (a new photo, new captions): reload in a moment."
    if progress.step in PUBLISHING_STEPS:
        return "Approved" + (f" {decided}" if decided else "") + ": it is being published."
    return "Decided" + (f" {decided}" if decided else "") + ": the run is finishing."


def run_view(run: RunState, zone: str, now: datetime) -> RunView:
    progress = run.progress
    decided = _decided(run, zone)
    until = progress.awaiting_approval_until if progress and run.waiting else None
    slot = local_time(progress.slot if progress else None, zone)
    deadline = local_time(until, zone)
    state = _state(run, decided, slot, now)
    return RunView(state, deadline, _time_left(until, now), slot, decided)
