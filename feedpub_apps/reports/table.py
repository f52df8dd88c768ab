"""Saved reports as a table for a terminal, times in each brand's zone."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo

from feedpub.contract.after_publishing import LiveCheck
from feedpub.contract.run import PlatformResult, PublishReport
from feedpub.post_figures import figures_cell

from .source import ListedReport

__all__ = ["at_minute", "format_cost", "format_table", "local_time", "platform_cell", "why"]

REASON_WIDTH = 60
MINUTE = "%Y-%m-%d %H:%M %Z"
"""A time to the minute for a table or a file: ``2026-05-10 09:00 CEST``."""
CAPTION_ONLY = "caption; Meta gave no image to compare"
"""A post verified on its caption alone: Meta did not say where its photo is."""
HEADER = (
    "TIME", "BRAND", "STATUS", "PHOTO", "FACEBOOK", "INSTAGRAM", "FIGURES", "COST", "REASON",
)  # fmt: skip


def local_time(listed: ListedReport, zones: Mapping[str, tzinfo], pattern: str = MINUTE) -> str:
    """When the run started, in its brand's zone (UTC for a brand no longer configured)."""
    try:
        when = datetime.fromisoformat(listed.report.started_at)
    except ValueError:
        when = listed.created_at
    return at_minute(when, zones.get(listed.report.brand, UTC), pattern)


def at_minute(when: datetime, zone: tzinfo, pattern: str = MINUTE) -> str:
    """``when`` in ``zone`` (UTC when it names no offset), written with ``pattern``:
    ``2026-05-10 09:00 CEST``."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(zone).strftime(pattern)


def platform_cell(result: PlatformResult | None) -> str:
    if result is None:
        return "-"
    cell = f"{result.status} {result.post_id}" if result.post_id else result.status
    live = result.live
    if live is not None:
        cell += f", {_live_state(live)}"
    return cell


def _live_state(live: LiveCheck) -> str:
    if live.verified:
        return "verified" if live.image_compared else "verified (caption)"
    return "missing" if live.missing else "differs" if live.checked else "not checked"


def live_words(result: PlatformResult) -> str | None:
    """What was found when the post was read back: ``verified``, or the difference in plain
    words (``not checked: <why>`` when it could not be read); None when it was not read back."""
    live = result.live
    if live is None:
        return None
    if not live.verified:
        return f"live post: {live.difference}"
    return "verified" if live.image_compared else f"verified ({CAPTION_ONLY})"


def format_cost(cost_usd: float | None) -> str:
    return "-" if cost_usd is None else f"${cost_usd:.4f}"


def why(report: PublishReport) -> str:
    """Why the run did not publish everywhere: its reason, or each failed platform's."""
    if report.reason:
        return report.reason
    failed = [r for r in (report.facebook, report.instagram) if r and r.status != "published"]
    # Meta's failures already start with the platform's name ("Instagram: ...").
    return "; ".join(
        r.reason if r.reason.lower().startswith(r.platform) else f"{r.platform}: {r.reason}"
        for r in failed
        if r.reason
    )


def _shortened(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def format_table(listed: list[ListedReport], zones: Mapping[str, tzinfo]) -> str:
    """One line per report under a header, columns as wide as their longest cell."""
    rows = [HEADER] + [
        (
            local_time(item, zones),
            item.report.brand,
            item.report.status,
            posixpath.basename(item.report.photo_key or "") or "-",
            platform_cell(item.report.facebook),
            platform_cell(item.report.instagram),
            figures_cell(item.insights),
            format_cost(item.report.cost_usd),
            _shortened(why(item.report), REASON_WIDTH),
        )
        for item in listed
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(HEADER))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )
