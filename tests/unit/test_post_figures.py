"""A post's figures in words: the line the card and the digest show, the table's cell, the
digest's lines under each post, and the card itself."""

from __future__ import annotations

from datetime import UTC, datetime

from feedpub.contract.after_publishing import PostFigures
from feedpub.contract.run import PlatformResult, PublishReport
from feedpub.post_figures import figures_cell, figures_line
from feedpub_apps.console.templating import templates
from feedpub_apps.reports.html import PageEntry
from feedpub_apps.reports.links import ReportLinks
from feedpub_apps.reports.source import ListedReport
from feedpub_apps.reports.table import format_table
from temporal_app.checks.digest import digest_lines

INSTAGRAM = {"reach": 1200, "views": 2000, "saved": 30, "shares": 18, "total_interactions": 72}
FACEBOOK = {"post_total_media_view_unique": 800, "reactions": 40}


def figures(platform: str, age: str, values: dict[str, int], **more: object) -> PostFigures:
    return PostFigures(platform=platform, post_id="p1", age=age, figures=values, **more)  # type: ignore[arg-type]


def report() -> PublishReport:
    return PublishReport(
        run_id="run-1", workflow_id="wf-1", brand="pomandi", status="published",
        started_at="2026-05-10T07:00:00+00:00", finished_at="2026-05-10T07:01:00+00:00",
        facebook=PlatformResult("facebook", "published", post_id="111_222"),
        instagram=PlatformResult("instagram", "published", "9", permalink="https://ig.test/p/9"),
    )  # fmt: skip


def test_a_line_names_every_figure_and_the_engagement_per_reach() -> None:
    line = figures_line(figures("instagram", "24h", INSTAGRAM))
    assert line == (
        "Instagram at 24 h: reach 1,200, views 2,000, saved 30, shares 18, interactions 72; "
        "engagement per reach 10.0%"
    )
    assert figures_line(figures("facebook", "7d", FACEBOOK)) == (
        "Facebook at 7 d: seen by 800, reactions 40; engagement per reach 5.0%"
    )


def test_a_line_says_what_was_skipped_and_what_was_refused() -> None:
    skipped = figures("instagram", "7d", {"reach": 0}, notes=["plays: retired; skipped"])
    assert (
        figures_line(skipped) == "Instagram at 7 d: reach 0; no reach yet; plays: retired; skipped"
    )
    refused = figures("facebook", "24h", {}, permission_missing="read_insights")
    assert figures_line(refused) == "Facebook at 24 h: not given (the token lacks read_insights)"


def test_the_table_cell_shows_the_newest_age_of_each_platform() -> None:
    read = [
        figures("instagram", "7d", INSTAGRAM),
        figures("instagram", "24h", {"reach": 10}),
        figures("facebook", "24h", {}, permission_missing="read_insights"),
    ]
    assert figures_cell(read) == "FB 24h refused, IG 7d 10.0% of 1,200"
    assert figures_cell([]) == "-"
    [_, row] = format_table([ListedReport(report(), datetime.now(UTC), read)], {}).splitlines()
    assert "FB 24h refused, IG 7d 10.0% of 1,200" in row


def test_the_digest_lists_each_posts_newest_figures_under_its_links() -> None:
    read = [figures("instagram", "24h", {"reach": 10}), figures("instagram", "7d", INSTAGRAM)]
    lines = digest_lines([report()], "Europe/Brussels", insights={"run-1": read})
    at = lines.index("Sun 10 May 09:00  published")
    assert lines[at + 2] == "  Instagram: https://ig.test/p/9"
    assert lines[at + 3] == "  " + figures_line(read[1])
    assert not any("at 24 h" in line for line in lines)


def test_the_card_shows_the_figures_when_there_are_some() -> None:
    card = templates().get_template("_report.html")
    read = [figures("facebook", "7d", FACEBOOK), figures("instagram", "7d", INSTAGRAM)]
    shown = card.render(entry=PageEntry(report(), "t", None, insights=read), links=ReportLinks())
    assert "<dt>Figures</dt>" in shown
    assert "Facebook at 7 d: seen by 800" in shown and "Instagram at 7 d: reach 1,200" in shown
    bare = card.render(entry=PageEntry(report(), "t", None), links=ReportLinks())
    assert "Figures" not in bare
