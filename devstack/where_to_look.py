"""The end of ``make run``: the runs' report pages, and where to look at what they did.

The pages are written by the code of ``feedpub reports html`` while the MCP servers are still
up, so they outlive the stack; the Temporal UI does not, and is offered only while it is up.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path
from zoneinfo import ZoneInfo

from feedpub.contract.reports import MOST_REPORTS_LISTED
from feedpub_apps.reports.pages import write_site
from feedpub_apps.reports.source import ReportSource

from .client_settings import client_env
from .console import FIRST_ADMIN
from .stack import EmbeddedStack

__all__ = ["where_to_look", "write_report_pages"]


async def write_report_pages(stack: EmbeddedStack, run_ids: Collection[str]) -> Path:
    """Pages of the runs' reports, in the stack's folder; the index's path."""
    # One source per server, each closed in the task that opened it, as `feedpub reports html`
    # does: MCP sessions must be closed in the reverse order of their opening.
    reports = ReportSource(client_env(stack))
    try:
        newest = await reports.reports(
            brand=None, status=None, since=None, limit=MOST_REPORTS_LISTED
        )
    finally:
        await reports.close()
    listed = [item for item in newest if item.report.run_id in run_ids]
    zones = {name: ZoneInfo(brand.time_zone) for name, brand in stack.brands.items()}
    images = ReportSource(client_env(stack))
    try:
        return await write_site(stack.workdir / "reports", listed, zones, images)
    finally:
        await images.close()


def where_to_look(
    stack: EmbeddedStack, pages: Path, *, stays_up: bool, console: str | None = None
) -> list[str]:
    """Lines naming what there is to look at; the console (at ``console``) and the Temporal UI
    as links only when ``stays_up``."""
    lines = ["Where to look:" if stays_up else "Where to look (all of it stays after the stop):"]
    if stays_up and console:
        lines.append(f"   console        {console}  (log in as {FIRST_ADMIN}, password above)")
    if stays_up and stack.temporal_ui_url:
        lines.append(f"   Temporal UI    {stack.temporal_ui_url}/namespaces/default/workflows")
    lines.append(f"   report pages   {pages}")
    lines.append(f"   logs           {stack.workdir / 'logs'}")
    if stack.meta is not None:
        lines.append(f"   emulator posts {json.dumps(stack.meta_summary())}")
    if not stays_up:
        console_too = f", and the console at {console} with it" if console else ""
        lines.append(
            f"The stack stops now{console_too}. To browse the runs in the console and the"
            " Temporal UI and use feedpub against it, keep it up: make run"
            " ARGS=--keep-running, or make dev."
        )
    return lines
