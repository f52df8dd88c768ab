"""A message as it is sent, and what the texts of every kind share: local times, links, the
event line."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from feedpub.brands import Brand
from feedpub.contract.console import brand_path, console_url, run_path
from feedpub.contract.notices import EVENT_LINE, Notice, split_event_line

__all__ = ["About", "Message", "Said", "local_time", "with_event_line"]


@dataclass(frozen=True)
class Message:
    """Short plain text: a title (an e-mail's subject) and a body ending in the event line."""

    title: str
    body: str
    brand: str = ""
    """The brand it is about (``""``: every brand); the signed webhook sends it as a field."""
    kind: str = ""
    """The notice kind (``post_failed``...); the signed webhook sends it as a field."""


@dataclass
class Said:
    """What a kind's text says: the title's words after the brand, the lines, one link."""

    headline: str
    lines: list[str | None] = field(default_factory=list)
    """None: nothing to say there (left out); ``""``: a blank line."""
    link: str | None = None
    link_words: str = "More"


@dataclass(frozen=True)
class About:
    """The notice and what its text needs to say it: the brand, the console's address."""

    notice: Notice
    brand: Brand | None
    console: str | None
    cleared: tuple[str, ...] = ()
    """For a recovery: the problems it ended (kinds or conditions)."""
    link_secret: str | None = field(default=None, repr=False)
    """``CONSOLE_LINK_SECRET``: signs the approval link of a run that waits; None: the
    message links to the approval page, which asks for a login."""

    @property
    def name(self) -> str:
        return self.brand.name if self.brand else self.notice.brand

    def time(self, moment: str | datetime | None) -> str:
        return local_time(moment, self.brand)

    def link(self, path: str) -> str | None:
        return console_url(self.console, path)

    def run_link(self) -> str | None:
        """The run's page when the notice names a run, else the brand's."""
        notice = self.notice
        if notice.workflow_id and notice.run_id:
            return self.link(run_path(notice.workflow_id, notice.run_id))
        return self.brand_link()

    def brand_link(self) -> str | None:
        return self.link(brand_path(self.name)) if self.name else self.link("/")


def with_event_line(body: str, event_id: str) -> str:
    """``body`` ending in the event line of ``event_id`` (in place of any other)."""
    text, _ = split_event_line(body)
    line = EVENT_LINE.format(event_id=event_id)
    return f"{text}\n{line}" if text else line


def local_time(moment: str | datetime | None, brand: Brand | None) -> str:
    """``Tue 3 Mar 2026, 09:00 CET`` in the brand's zone (UTC without a brand); ``""`` for
    none. A time without an offset is taken as UTC, as Temporal and the servers write them."""
    if moment is None or moment == "":
        return ""
    when = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    here = when.astimezone(ZoneInfo(brand.time_zone if brand else "UTC"))
    return f"{here:%a} {here.day} {here:%b %Y, %H:%M} {here.tzname()}"
