"""The weekly digest's lines: a brand's runs of the week, each at its local time with its
status, the links to its live posts and their newest figures, the failures with their reasons,
what Claude cost, the photos left and what the brand's posts taught.

A run belongs to the week it finished in, so one that waited for approval across the digest's
hour is told the week after, never twice and never lost.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from feedpub.contract.after_publishing import PostFigures
from feedpub.contract.run import PublishReport
from feedpub.post_figures import figures_line, newest_figures
from feedpub.post_links import facebook_post_url, instagram_post_url

__all__ = ["REASON_CHARS", "digest_lines", "in_week"]

REASON_CHARS = 160
"""A failure's reason is cut to this in the digest; the run's report has it whole."""


def in_week(
    reports: Iterable[PublishReport], since: datetime, until: datetime
) -> list[PublishReport]:
    """The runs that finished in ``[since, until)``, dry runs left out, oldest first."""
    found = [
        report
        for report in reports
        if not report.dry_run and since <= _moment(report.finished_at or report.started_at) < until
    ]
    return sorted(found, key=lambda report: report.started_at)


def digest_lines(
    reports: list[PublishReport],
    time_zone: str,
    *,
    photos_left: int | None = None,
    days_of_posts: float | None = None,
    insights: Mapping[str, Sequence[PostFigures]] | None = None,
    learned: str | None = None,
) -> list[str]:
    """The digest's lines for ``reports`` (the week's, as ``in_week`` gives them);
    ``insights``: each run's post figures, by run id; ``learned``: what the brand's posts
    taught (``learned.learned_sentence``)."""
    zone = ZoneInfo(time_zone)
    figures = insights or {}
    lines = _runs(reports, zone, figures) if reports else ["No run in the last seven days."]
    if photos_left is not None:
        days = "day" if days_of_posts == 1 else "days"
        runway = f" ({days_of_posts:g} {days} of posts)" if days_of_posts is not None else ""
        lines.append(f"Photos left: {photos_left}{runway}")
    if learned:
        lines.append(f"Learned: {learned}")
    return lines


def _runs(
    reports: list[PublishReport], zone: ZoneInfo, insights: Mapping[str, Sequence[PostFigures]]
) -> list[str]:
    counts = Counter(report.status for report in reports)
    tally = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
    runs = "1 run" if len(reports) == 1 else f"{len(reports)} runs"
    lines = [f"{runs} in the last seven days: {tally}."]
    lines += [
        line
        for report in reports
        for line in _run_lines(report, zone, insights.get(report.run_id, ()))
    ]
    failures = [(report, _failure(report)) for report in reports]
    failures = [(report, why) for report, why in failures if why]
    if failures:
        lines.append("Failures:")
        lines += [f"  {_local(report, zone)}  {why}" for report, why in failures]
    costs = [report.cost_usd for report in reports if report.cost_usd is not None]
    lines.append(f"Claude cost: ${sum(costs):.4f}")
    return lines


def _run_lines(report: PublishReport, zone: ZoneInfo, insights: Sequence[PostFigures]) -> list[str]:
    """The run at its local time with its status, then a line per live post, then its newest
    figures on each platform (none before the post is a day old)."""
    links = [
        f"  {platform}: {url}"
        for platform, url in (
            ("Facebook", facebook_post_url(report)),
            ("Instagram", instagram_post_url(report)),
        )
        if url
    ]
    figures = [f"  {figures_line(one)}" for one in newest_figures(insights)]
    return [f"{_local(report, zone)}  {report.status}", *links, *figures]


def _failure(report: PublishReport) -> str | None:
    """Why the run, or one of its platforms, posted nothing; None when all went out."""
    if report.status in ("published", "dry_run"):
        return None
    reasons = [
        f"{result.platform}: {result.reason}"
        for result in (report.facebook, report.instagram)
        if result is not None and result.status == "failed" and result.reason
    ]
    why = report.reason or "; ".join(reasons) or report.status
    return f"{report.status}: " + textwrap.shorten(why, REASON_CHARS, placeholder="...")


def _local(report: PublishReport, zone: ZoneInfo) -> str:
    return f"{_moment(report.started_at).astimezone(zone):%a %d %b %H:%M}"


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
