"""``feedpub reports``: the --since argument, the table, the HTML page and its links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from langfuse import Langfuse

from feedpub.contract.run import Captions, ClaudeUsage, PlatformResult, PublishReport
from feedpub_apps.cli.reports import parse_since
from feedpub_apps.reports.html import PageEntry, brand_page, index_page
from feedpub_apps.reports.links import ReportLinks
from feedpub_apps.reports.source import ListedReport
from feedpub_apps.reports.steps import in_run_order
from feedpub_apps.reports.table import format_table
from feedpub_apps.servers import AppError

NOW = datetime(2026, 5, 10, 12, 0, tzinfo=UTC)
BRUSSELS = ZoneInfo("Europe/Brussels")
HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


def _report(**changes: object) -> PublishReport:
    fields: dict = dict(
        run_id="run-1",
        workflow_id="pomandi-scheduled-1",
        brand="pomandi",
        status="partial",
        started_at="2026-05-10T07:00:00+00:00",
        photo_key="brands/pomandi/summer/dress.jpg",
        media_key="brands/pomandi/.derived/summer/dress.instagram.jpg",
        captions=Captions(
            facebook=HOSTILE,
            instagram="Zomer " + HOSTILE,
            alt_text='A "red" dress',
            usage=ClaudeUsage(model="claude-sonnet-5-5", input_tokens=1200, cost_usd=0.0024),
        ),
        facebook=PlatformResult("facebook", "published", post_id="111_222"),
        instagram=PlatformResult(
            "instagram", "failed", reason="Instagram: the daily publishing limit " * 3
        ),
        cost_usd=0.0031,
    )
    fields.update(changes)
    return PublishReport(**fields)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7d", NOW - timedelta(days=7)),
        ("12h", NOW - timedelta(hours=12)),
        ("30m", NOW - timedelta(minutes=30)),
        ("2w", NOW - timedelta(weeks=2)),
        ("2026-05-01", datetime(2026, 5, 1, tzinfo=BRUSSELS)),
        ("2026-05-01T09:30", datetime(2026, 5, 1, 9, 30, tzinfo=BRUSSELS)),
        ("2026-05-01T09:30+00:00", datetime(2026, 5, 1, 9, 30, tzinfo=UTC)),
    ],
)
def test_since_reads_durations_back_from_now_and_dates_in_the_brand_zone(
    text: str, expected: datetime
) -> None:
    assert parse_since(text, now=NOW, zone=BRUSSELS) == expected


@pytest.mark.parametrize(("text", "says"), [("yesterday", "give a date"), ("7x", "give a date"),
                                            ("2026-06-01", "in the future")])  # fmt: skip
def test_since_refuses_what_it_cannot_read_with_a_clear_message(text: str, says: str) -> None:
    with pytest.raises(AppError, match=says) as refused:
        parse_since(text, now=NOW, zone=UTC)
    assert refused.value.code == 2


def test_the_table_shows_the_time_in_the_brand_zone_and_shortens_the_reason() -> None:
    listed = [ListedReport(_report(), NOW)]
    header, row = format_table(listed, {"pomandi": BRUSSELS}).splitlines()
    assert header.split() == [
        "TIME", "BRAND", "STATUS", "PHOTO", "FACEBOOK", "INSTAGRAM", "FIGURES", "COST", "REASON",
    ]  # fmt: skip
    assert row.startswith("2026-05-10 09:00 CEST  pomandi  partial  dress.jpg  published 111_222")
    assert row.split()[8:14] == ["failed", "-", "$0.0031", "Instagram:", "the", "daily"]
    assert row.endswith("…") and len(row.split("$0.0031")[1].strip()) == 60


def test_the_page_escapes_captions_alt_text_and_reasons() -> None:
    entry = PageEntry(_report(reason=HOSTILE), "2026-05-10 09:00 CEST", "images/run-1.jpg")
    page = brand_page("pomandi", [entry], ReportLinks())
    assert "<script>" not in page and "onerror=alert" not in page.replace(
        "onerror=alert(1)&gt;", ""
    )
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;img" in page
    assert 'alt="A &#34;red&#34; dress"' in page and 'src="images/run-1.jpg"' in page
    assert "http" not in page.replace('href="https://www.facebook.com/111_222"', "").replace(
        'href="http://localhost:8233/', ""
    ), "the page loads or links nothing else"
    assert "claude-sonnet-5-5, 1,200 in / 0 out (0 cached), $0.0024" in page


def test_a_permalink_that_is_not_a_web_address_is_not_a_link() -> None:
    instagram = PlatformResult("instagram", "published", "9", permalink="javascript:alert(1)")
    report = _report(instagram=instagram)
    assert ReportLinks.instagram(report) is None
    page = brand_page("pomandi", [PageEntry(report, "t", None)], ReportLinks())
    assert "javascript:" not in page and "no posted image to show" in page


def test_links_go_to_the_post_the_run_in_temporal_and_the_trace_seeded_by_the_workflow_id() -> None:
    report = _report(
        instagram=PlatformResult("instagram", "published", "9", permalink="https://ig.test/p/9")
    )
    links = ReportLinks("https://temporal.example/", "prod", "https://langfuse.example")
    assert links.run(report) == (
        "https://temporal.example/namespaces/prod/workflows/pomandi-scheduled-1/run-1/history"
    )
    trace_id = Langfuse.create_trace_id(seed="pomandi-scheduled-1")
    assert links.trace(report) == f"https://langfuse.example/trace/{trace_id}"
    assert ReportLinks.facebook(report) == "https://www.facebook.com/111_222"
    assert ReportLinks.instagram(report) == "https://ig.test/p/9"
    assert ReportLinks().trace(report) is None


def test_links_read_the_temporal_ui_and_langfuse_addresses_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TEMPORAL_UI_URL", raising=False)
    monkeypatch.delenv("LANGFUSE_BASE_URL", raising=False)
    assert ReportLinks.from_environment().temporal_ui_url == "http://localhost:8233"
    monkeypatch.setenv("TEMPORAL_UI_URL", "https://ui.example")
    monkeypatch.setenv("LANGFUSE_BASE_URL", "https://lf.example")
    links = ReportLinks.from_environment()
    assert (links.temporal_ui_url, links.langfuse_url) == (
        "https://ui.example",
        "https://lf.example",
    )


def test_the_index_counts_each_brand_runs_by_status() -> None:
    entries = [PageEntry(_report(), "2026-05-10 09:00 CEST", None)] * 2
    page = index_page({"pomandi": ("pomandi.html", entries)})
    assert '<a href="pomandi.html">pomandi</a>' in page and "2 partial" in page


def test_times_per_step_are_listed_in_the_order_a_run_takes_its_steps() -> None:
    # As a saved report comes back from PostgreSQL: keys in alphabetical order.
    timings = {
        "analyze_photo": 0.8, "check_meta_token": 0.5, "get_brand_policy": 0.1,
        "mark_photo_used": 0.1, "publish_facebook": 0.2, "reserve_photo": 0.4,
        "save_report": 0.1, "something_new": 0.3, "verify_facebook": 0.1,
    }  # fmt: skip
    assert [step for step, _ in in_run_order(timings)] == [
        "get_brand_policy", "check_meta_token", "reserve_photo", "analyze_photo",
        "publish_facebook", "verify_facebook", "mark_photo_used", "save_report", "something_new",
    ]  # fmt: skip
