"""A live post's differences in plain words, when a missing post is looked for again, and what
the reports say of the check."""

from __future__ import annotations

from datetime import timedelta

from feedpub.contract.after_publishing import LiveCheck
from feedpub.contract.run import Captions, PlatformResult, PublishReport
from feedpub_apps.console.templating import templates
from feedpub_apps.reports.html import PageEntry
from feedpub_apps.reports.links import ReportLinks
from feedpub_apps.reports.table import platform_cell
from feedpub_apps.reports.view import format_report
from mcp_servers.feed_publisher.meta.post_comparison import (
    caption_difference,
    image_difference,
    live_check_of,
    missing_post,
)
from temporal_app.workflows.live_check import LOOK_AGAIN_AFTER, missing_words, next_look

SENT = "Linen for the long evenings. " * 74  # 2,146 characters


def test_the_same_caption_with_other_line_ends_and_trailing_spaces_is_no_difference() -> None:
    assert caption_difference("Summer linen \nin town.\n", "Summer linen\r\nin town.") is None
    assert caption_difference("Café", "Cafe\u0301") is None  # another composition of é


def test_a_caption_cut_short_says_where_and_of_how_many_characters() -> None:
    cut = SENT.strip()[:1800]
    assert caption_difference(SENT, cut) == "caption cut after 1,800 of 2,145 characters"


def test_another_caption_says_from_which_character_it_differs() -> None:
    assert caption_difference("Summer linen", "Summer wool") == (
        "caption differs from the one sent from character 8"
    )
    assert caption_difference("Summer linen", None) == (
        "caption missing (a caption of 12 characters was sent)"
    )


def test_an_image_within_a_few_bits_is_the_same_and_beyond_is_named_with_the_distance() -> None:
    assert image_difference("c3b1a5e4d2f00f11", "c3b1a5e4d2f00f13") is None
    assert image_difference("0000000000000000", "00000000007fffff") == (
        "wrong image (perceptual hashes 23 bits apart)"
    )


def test_a_check_is_verified_only_when_nothing_differs_and_lists_every_difference() -> None:
    assert live_check_of([None, None]) == LiveCheck(verified=True)
    both = live_check_of(["caption cut after 3 of 9 characters", "wrong image (x)"])
    assert both == LiveCheck(False, "caption cut after 3 of 9 characters; wrong image (x)")
    assert missing_post() == LiveCheck(False, "post missing", missing=True)


def test_a_missing_post_is_looked_for_again_for_several_minutes_then_the_check_stands() -> None:
    missing, found = missing_post(), LiveCheck(verified=True)
    waits = []
    looks = 1
    while (wait := next_look(looks, missing)) is not None:
        waits.append(wait)
        looks += 1
    assert waits == list(LOOK_AGAIN_AFTER) and looks == 5
    assert timedelta(minutes=5) <= sum(waits, timedelta()) <= timedelta(minutes=10)
    assert next_look(1, found) is None
    differs = LiveCheck(False, "caption differs from the one sent from character 1")
    assert next_look(1, differs) is None
    assert "7.5 minutes" in missing_words("instagram")


def _report() -> PublishReport:
    return PublishReport(
        run_id="run-1", workflow_id="w-1", brand="costume", status="published",
        started_at="2026-05-10T07:00:00+00:00",
        captions=Captions("Linen.", "Linen for the evenings.", alt_text="A suit"),
        facebook=PlatformResult("facebook", "published", "111_222", live=LiveCheck(True)),
        instagram=PlatformResult(
            "instagram", "published", "9",
            live=LiveCheck(False, "caption cut after 5 of 23 characters"),
        ),
    )  # fmt: skip


def test_the_text_report_the_table_and_the_card_say_verified_or_the_difference() -> None:
    report = _report()
    text = format_report(report)
    assert "facebook   published, id 111_222; verified" in text
    assert "instagram  published, id 9; live post: caption cut after 5 of 23 characters" in text
    assert platform_cell(report.facebook) == "published 111_222, verified"
    assert platform_cell(report.instagram) == "published 9, differs"
    entry = PageEntry(report, "2026-05-10 09:00 CEST", None)
    card = templates().get_template("_report.html").render(entry=entry, links=ReportLinks())
    assert '<span class="report-live">verified</span>' in card
    assert "live post: caption cut after 5 of 23 characters</span>" in card


def test_a_report_saved_before_the_check_shows_no_check() -> None:
    report = _report()
    report.facebook = PlatformResult("facebook", "published", "111_222")
    assert "verified" not in format_report(report).split("instagram")[0]
    assert platform_cell(report.facebook) == "published 111_222"


def test_a_post_that_could_not_be_read_back_is_not_checked_rather_than_different() -> None:
    report = _report()
    report.instagram = PlatformResult(
        "instagram", "published", "9",
        live=LiveCheck(False, "not checked: Meta did not answer", checked=False),
    )  # fmt: skip
    assert platform_cell(report.instagram) == "published 9, not checked"
    assert "id 9; live post: not checked: Meta did not answer" in format_report(report)
    card = _card(report)
    assert "report-live-unchecked" in card and "report-live-differs" not in card


def test_a_post_verified_on_its_caption_alone_says_so() -> None:
    report = _report()
    report.facebook = PlatformResult(
        "facebook", "published", "111_222", live=LiveCheck(True, image_compared=False)
    )
    assert platform_cell(report.facebook) == "published 111_222, verified (caption)"
    words = "verified (caption; Meta gave no image to compare)"
    assert f"id 111_222; {words}" in format_report(report)
    assert f'<span class="report-live">{words}</span>' in _card(report)


def test_a_facebook_photo_whose_address_meta_does_not_give_is_verified_on_the_caption() -> None:
    assert live_check_of([None], image_compared=False) == LiveCheck(True, image_compared=False)


def _card(report: PublishReport) -> str:
    entry = PageEntry(report, "2026-05-10 09:00 CEST", None)
    return templates().get_template("_report.html").render(entry=entry, links=ReportLinks())
