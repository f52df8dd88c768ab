"""The brands' checks as their callers see them: one Schedule starts ``BrandChecksWorkflow``
every hour; each brand's token and photo runway are checked once a day at its
``daily_check_time`` and its weekly digest goes out at its ``digest`` time, both in the brand's
zone. ``feedpub checks run`` starts the same workflow with ``force`` to check now. Every run
also gives back the photos held by runs that no longer exist.

The CLI starts and reads the workflow by these names, without importing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "CHECKS",
    "CHECKS_SCHEDULE_ID",
    "CHECKS_WORKFLOW_NAME",
    "BrandCheckOutcome",
    "BrandChecksReport",
    "BrandChecksRequest",
    "FreedPhoto",
    "ToldNotice",
]

CHECKS_WORKFLOW_NAME = "BrandChecksWorkflow"
CHECKS_SCHEDULE_ID = "feedpub-brand-checks"
"""The one Schedule of every brand's checks; its runs get ids ``<this>-<timestamp>``."""
CHECKS = ("token", "runway", "digest")
"""``token``: the Meta token; ``runway``: days of posts the unused photos last; ``digest``:
the weekly digest."""


@dataclass
class BrandChecksRequest:
    """Which brands to check, and which checks to run now whatever the hour."""

    brands: list[str] | None = None
    """Brand names; None: every brand in the worker's brands file, paused ones too."""
    force: list[str] = field(default_factory=list)
    """Names from ``CHECKS`` to run now; the others run only when their hour has come."""


@dataclass
class ToldNotice:
    """A notice the checks handed to the notifier (which decides, once, whether it is sent)."""

    event_id: str
    kind: str
    summary: str
    """One line in plain words (``3 unused photos: 1.5 days of posts``)."""
    told_before: bool = False
    """The event was told before (a second check on one day, the digest of a week already
    sent): not told again."""


@dataclass
class BrandCheckOutcome:
    brand: str
    local_time: str
    """When the checks were decided, in the brand's zone (ISO 8601 with its offset)."""
    checked: list[str] = field(default_factory=list)
    """The checks that ran (names from ``CHECKS``)."""
    told: list[ToldNotice] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    """Check -> why it could not be done (Meta or a server away after the retries)."""
    time_zone: str = ""
    """The brand's zone (IANA name), to show ``local_time`` in."""


@dataclass
class FreedPhoto:
    """A photo given back: the run that held it no longer runs."""

    brand: str
    key: str
    run_id: str
    run_state: str
    """What became of the run: ``unknown`` to Temporal, or how it closed (``terminated``,
    ``completed``, ``failed``, ``canceled``, ``timed_out``, ``continued_as_new``)."""


@dataclass
class BrandChecksReport:
    at: str
    """The hour the checks were decided for (the Schedule's action time, ISO 8601 UTC)."""
    brands: list[BrandCheckOutcome] = field(default_factory=list)
    freed_photos: list[FreedPhoto] = field(default_factory=list)
    """Photos held for more than ten minutes by runs that no longer exist, given back."""
    sweep_failed: str | None = None
    """Why the held photos could not be looked at (a server away after the retries)."""
