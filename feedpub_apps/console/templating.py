"""The Jinja2 templates of the console and of the offline report pages (``feedpub reports
html``), and the filters they share.

Autoescape is on for every template: captions, alt texts and reasons are Claude's or a
person's text, and brand names and ids come from files people edit.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime, tzinfo
from importlib.resources import files
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

from feedpub.contract.run import ClaudeUsage

from ..reports.table import at_minute, format_cost

__all__ = ["IN_WORDS", "cost", "local_time", "stylesheet", "templates", "usage_line"]

PACKAGE = "feedpub_apps.console"
IN_WORDS = "%a %-d %b %Y, %H:%M %Z"
"""A time on the console's pages, as a person reads it: ``Sun 10 May 2026, 09:00 CEST``."""


def local_time(when: str | datetime | None, zone: tzinfo | str | None = None) -> str:
    """``when`` (a datetime or ISO 8601; UTC when it names no offset) in ``zone``, to the
    minute with the zone's abbreviation: ``2026-05-10 09:00 CEST``."""
    if not when:
        return "-"
    if isinstance(when, str):
        try:
            moment = datetime.fromisoformat(when)
        except ValueError:
            return when
    else:
        moment = when
    if isinstance(zone, str):
        zone = ZoneInfo(zone)
    return at_minute(moment, zone or UTC)


def cost(cost_usd: float | None, unknown: str = "-") -> str:
    """Dollars to the hundredth of a cent (a run costs a fraction of one)."""
    return unknown if cost_usd is None else format_cost(cost_usd)


def usage_line(usage: ClaudeUsage | None) -> str:
    """What one kind of Claude request used: model, tokens and cost; empty when none was made."""
    if usage is None or not usage.model:
        return ""
    return (
        f"{usage.model}, {usage.input_tokens:,} in / {usage.output_tokens:,} out"
        f" ({usage.cache_read_input_tokens:,} cached), {format_cost(usage.cost_usd)}"
    )


def stylesheet(name: str) -> Markup:
    """A stylesheet of the console's ``static/`` folder, to embed in a page read from disk."""
    return Markup(files(PACKAGE).joinpath("static", name).read_text(encoding="utf-8"))


@functools.cache
def templates() -> jinja2.Environment:
    """The environment both the console and the offline pages render with (made once)."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader(PACKAGE, "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(local_time=local_time, cost=cost)
    environment.globals["stylesheet"] = stylesheet
    return environment
