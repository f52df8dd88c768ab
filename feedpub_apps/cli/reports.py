"""``feedpub reports``: saved run reports as a table, or ``reports html``: static pages."""

from __future__ import annotations

import argparse
import re
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, get_args
from zoneinfo import ZoneInfo

from feedpub.contract.reports import MOST_REPORTS_LISTED
from feedpub.contract.run import RunStatus

from ..reports.source import ListedReport, ReportSource
from ..servers import AppError
from .common import brand_named, load, run_command

__all__ = ["parse_since", "register"]

TABLE_LIMIT, HTML_LIMIT = 20, 100
_DURATION = re.compile(r"^(\d+)\s*([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def register(commands: Any) -> None:
    reports = commands.add_parser("reports", help="saved run reports as a table (or html)")
    _filters(reports, limit=TABLE_LIMIT, keep=False)
    reports.set_defaults(handler=lambda args: run_command(lambda: show_table(args)))
    pages = reports.add_subparsers(dest="format", metavar="FORMAT").add_parser(
        "html", help="write a static page per brand, with the posted images"
    )
    _filters(pages, limit=HTML_LIMIT, keep=True)
    pages.add_argument(
        "--out",
        type=Path,
        default=Path("feedpub-reports"),
        help="where to write the pages (default feedpub-reports)",
    )
    pages.set_defaults(handler=lambda args: run_command(lambda: write_pages(args)))


def _filters(parser: argparse.ArgumentParser, *, limit: int, keep: bool) -> None:
    # Given before `html` the filters must survive the sub-command's defaults.
    default: Any = argparse.SUPPRESS if keep else None
    parser.add_argument("--brand", default=default, help="only this brand")
    parser.add_argument(
        "--since", default=default, help="a date, a time or a duration back from now (7d, 12h)"
    )
    parser.add_argument("--status", default=default, choices=get_args(RunStatus))
    parser.add_argument(
        "--limit",
        type=_limit,
        default=default,
        help=f"newest N (1-{MOST_REPORTS_LISTED}, default {limit})",
    )
    parser.add_argument("--brands", default=default, help="brands file (default BRANDS_FILE)")


def _limit(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MOST_REPORTS_LISTED:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {MOST_REPORTS_LISTED}")
    return int(text)


def parse_since(text: str, *, now: datetime, zone: tzinfo) -> datetime:
    """``7d``/``12h``/``30m``/``2w`` back from ``now``, or an ISO date or time (in ``zone``
    when it names no offset)."""
    if match := _DURATION.match(text.strip().lower()):
        return now - timedelta(**{_UNITS[match[2]]: int(match[1])})
    try:
        since = datetime.fromisoformat(text.strip())
    except ValueError:
        raise AppError(
            f"--since {text!r}: give a date (2026-05-01), a time (2026-05-01T09:00) "
            "or a duration back from now (30m, 12h, 7d, 2w)",
            2,
        ) from None
    since = since if since.tzinfo else since.replace(tzinfo=zone)
    if since > now:
        raise AppError(f"--since {text!r} is in the future", 2)
    return since


async def _listed(
    args: argparse.Namespace, default_limit: int
) -> tuple[list[ListedReport], dict[str, tzinfo]]:
    brands = load(args)
    zones: dict[str, tzinfo] = {name: ZoneInfo(b.time_zone) for name, b in brands.items()}
    brand = getattr(args, "brand", None)
    if brand is not None:
        brand_named(brand, brands)
    text = getattr(args, "since", None)
    since = None
    if text is not None:
        since = parse_since(text, now=datetime.now(UTC), zone=zones.get(brand or "", UTC))
    source = ReportSource()
    try:
        listed = await source.reports(
            brand=brand,
            status=getattr(args, "status", None),
            since=since,
            limit=getattr(args, "limit", None) or default_limit,
        )
    finally:
        await source.close()
    return listed, zones


async def show_table(args: argparse.Namespace) -> int:
    from ..reports.table import format_table

    listed, zones = await _listed(args, TABLE_LIMIT)
    if not listed:
        print("no reports match")
        return 0
    print(format_table(listed, zones))
    return 0


async def write_pages(args: argparse.Namespace) -> int:
    from ..reports.pages import write_site

    listed, zones = await _listed(args, HTML_LIMIT)
    source = ReportSource()
    try:
        index = await write_site(args.out, listed, zones, source)
    finally:
        await source.close()
    print(f"wrote {len(listed)} reports: {index}")
    return 0
