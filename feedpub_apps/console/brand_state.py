"""Where a brand stands, as the overview and the brand page show it: its plan for the coming
days and its schedule (Temporal), the photos it has left, its Meta token and its alerts
(feed-publisher), the problems told to its team and not back to normal yet, its last run
and, on the brand's page, what its posts taught (agent-outputs).

Everything is asked at each request, of each brand at once, with the console's read token.
A service that does not answer leaves its part empty and says so in ``unread``: the rest of
the page still shows.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from feedpub.brands import Brand
from feedpub.contract import tools
from feedpub.contract.after_publishing import BrandTastes
from feedpub.contract.tools import (
    AlertList,
    BrandAlert,
    OpenProblem,
    OpenProblems,
    PhotoStock,
    TokenHealth,
)
from temporal_app.checks.learned import LEARNING_OFF_WORDS, learned_sentence
from temporal_app.checks.notices import days_of_posts

from ..brand_plan import BrandPlan, SlotEntry, by_day, read_plan, slot_entries
from ..reports.source import ListedReport, list_reports
from .backends import Backends

__all__ = ["CALENDAR_DAYS", "BrandState", "local", "read_brand_states", "read_learned"]

log = logging.getLogger(__name__)
T = TypeVar("T")

CALENDAR_DAYS = 7
"""How far ahead the plan is shown."""


@dataclass
class BrandState:
    brand: Brand
    plan: BrandPlan | None = None
    entries: list[SlotEntry] = field(default_factory=list)
    """The coming slots within ``CALENDAR_DAYS``, each with its planned run or why none."""
    stock: PhotoStock | None = None
    token: TokenHealth | None = None
    alerts: list[BrandAlert] = field(default_factory=list)
    """What an operator must fix (``feedpub alerts``): a token refused, a permission..."""
    problems: list[OpenProblem] = field(default_factory=list)
    """Problems told to the team and not back to normal yet (photos low, posts failing...)."""
    last_run: ListedReport | None = None
    learned: str | None = None
    """What its posts taught, in a sentence (the brand's page only: ``read_learned``)."""
    unread: list[str] = field(default_factory=list)
    """What could not be read now (``"the photos left"``...), for the page to say."""

    @property
    def days_of_posts(self) -> float | None:
        """How many days of posts the photos left make, at the brand's posts per day."""
        return (
            None
            if self.stock is None
            else days_of_posts(self.stock.unused, self.brand.posts_per_day)
        )

    @property
    def token_state(self) -> tuple[str, str]:
        """``valid``, ``expiring``, ``invalid`` or ``unknown`` (unread), and what to know."""
        token = self.token
        if token is None:
            return "unknown", "could not be read now"
        if not token.valid:
            return "invalid", "a new one is needed before anything can be posted"
        if token.problem and token.days_left is not None:
            days = max(round(token.days_left), 0)
            within = "within a day" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
            return "expiring", f"{within}: renew it before then"
        if token.expires_at is None:
            return "valid", "does not expire"
        return "valid", f"until {token.expires_at:%Y-%m-%d}"

    @property
    def days(self) -> list[tuple[date, list[SlotEntry]]]:
        """The entries by local date."""
        return by_day(self.entries)

    @property
    def planned(self) -> list[SlotEntry]:
        """The entries that have a run planned, soonest first (a run planned by hand for a
        time that is none of the brand's slots among them)."""
        return sorted((entry for entry in self.entries if entry.run), key=lambda e: e.slot)


def local(moment: datetime, brand: Brand) -> str:
    """``Tue 8 Dec, 09:00 CET``: ``moment`` in the brand's zone."""
    return f"{moment.astimezone(ZoneInfo(brand.time_zone)):%a %-d %b, %H:%M %Z}"


async def read_brand_states(
    backends: Backends, brands: Sequence[Brand], now: datetime
) -> list[BrandState]:
    """Each brand's state, all asked at once."""
    states = [BrandState(brand) for brand in brands]
    listed: Awaitable[AlertList] = backends.feed_publisher.ask(tools.LIST_BRAND_ALERTS)
    told: Awaitable[OpenProblems] = backends.agent_outputs.ask(tools.LIST_OPEN_PROBLEMS)
    alerts_read = asyncio.create_task(_read(listed, "the alerts", states))
    problems_read = asyncio.create_task(_read(told, "the problems told", states))
    await asyncio.gather(*(_fill(backends, state, now) for state in states))
    alerts, problems = await alerts_read, await problems_read
    for state in states:
        name = state.brand.name
        state.alerts = [alert for alert in alerts.alerts if alert.brand == name] if alerts else []
        if problems:
            state.problems = [problem for problem in problems.problems if problem.brand == name]
    return states


async def read_learned(backends: Backends, state: BrandState) -> None:
    """What the brand's posts taught, with the number of posts it rests on, into ``state``."""
    if state.brand.learning == "off":
        state.learned = LEARNING_OFF_WORDS
        return
    asked: Awaitable[BrandTastes] = backends.agent_outputs.ask(
        tools.GET_BRAND_TASTES, brand=state.brand.name
    )
    tastes = await _read(asked, "what was learned", [state])
    state.learned = learned_sentence(tastes) if tastes else None


async def _fill(backends: Backends, state: BrandState, now: datetime) -> None:
    name, feed = state.brand.name, backends.feed_publisher
    counted: Awaitable[PhotoStock] = feed.ask(tools.COUNT_UNUSED_PHOTOS, brand=name)
    token: Awaitable[TokenHealth] = feed.ask(tools.READ_META_TOKEN, brand=name)
    last = list_reports(backends.agent_outputs, brand=name, status=None, limit=1)
    plan, state.stock, state.token, reports = await asyncio.gather(
        _read(read_plan(backends.temporal, state.brand), "the plan and schedule", [state]),
        _read(counted, "the photos left", [state]),
        _read(token, "the Meta token", [state]),
        _read(last, "the last run", [state]),
    )
    state.plan = plan
    state.entries = slot_entries(plan, now, CALENDAR_DAYS) if plan else []
    state.last_run = reports[0] if reports else None


async def _read(asked: Awaitable[T], what: str, states: list[BrandState]) -> T | None:
    """The answer, or None when the service did not give one (noted on ``states``)."""
    try:
        return await asked
    except Exception as exc:
        names = ", ".join(state.brand.name for state in states)
        log.warning("%s of %s could not be read: %s", what, names, exc)
        for state in states:
            state.unread.append(what)
        return None
