"""A run's card and the history page as the console's templates render them: hostile text
stays text, the filter and the pages' links survive, and the approval line shows when the
report has one."""

from __future__ import annotations

import types
from html.parser import HTMLParser
from typing import Any

import jinja2

from feedpub.contract.run import Captions, PlatformResult, PublishReport
from feedpub_apps.console.templating import templates
from feedpub_apps.reports.html import PageEntry
from feedpub_apps.reports.links import ReportLinks

SCRIPT = "<script>alert(1)</script>"
# The console's layout is its own: a stand-in keeps these tests to the history's content, in
# an environment with no filter of ours (the console's may have none).
BASE = "<title>{% block title %}{% endblock %}</title><main>{% block main %}{% endblock %}</main>"


def _report(**changes: Any) -> PublishReport:
    fields: dict[str, Any] = dict(
        run_id="run-1",
        workflow_id="pomandi-scheduled-1",
        brand="pomandi",
        status="published",
        started_at="2026-05-10T07:00:00+00:00",
        media_key="brands/pomandi/.derived/dress.instagram.jpg",
        captions=Captions(facebook="Zomer.", instagram=f"Zomer {SCRIPT}", alt_text="A red dress"),
        facebook=PlatformResult("facebook", "published", post_id="111_222"),
        instagram=PlatformResult("instagram", "published", "9", permalink="https://ig.test/p/9"),
    )
    fields.update(changes)
    return PublishReport(**fields)


def _entry(report: Any) -> PageEntry:
    return PageEntry(report, "2026-05-10 09:00 CEST", "/brands/pomandi/media/x.jpg", "/runs/w/r")


def _history(**context: Any) -> str:
    ours = jinja2.PackageLoader("feedpub_apps.console", "templates")
    loader = jinja2.ChoiceLoader([jinja2.DictLoader({"base.html": BASE}), ours])
    page = jinja2.Environment(loader=loader, autoescape=True).get_template("history.html")
    defaults: dict[str, Any] = dict(
        brand="pomandi", entries=[], links=ReportLinks(), status=None, statuses=("published",)
    )
    return page.render(**{**defaults, **context})


def _card(report: Any) -> str:
    return (
        templates().get_template("_report.html").render(entry=_entry(report), links=ReportLinks())
    )


class _Read(HTMLParser):
    """The elements and the text a browser would build from the page."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text = ""
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text += data


def test_a_script_in_a_caption_is_shown_as_text_on_the_history_page() -> None:
    read = _Read(_history(entries=[_entry(_report())]))
    assert "script" not in [tag for tag, _ in read.tags]
    assert f"Zomer {SCRIPT}" in read.text


def test_the_history_page_keeps_its_filter_and_links_older_runs_and_the_run() -> None:
    read = _Read(
        _history(entries=[_entry(_report())], status="published", older="/brands/p/history?page=2")
    )
    tags = dict(read.tags)
    assert tags["form"].get("method") == "get" and "action" not in tags["form"]
    assert ("option", {"value": "published", "selected": None}) in read.tags
    hrefs = [attrs.get("href") for tag, attrs in read.tags if tag == "a"]
    assert "/brands/p/history?page=2" in hrefs and "/runs/w/r" in hrefs
    assert "https://ig.test/p/9" in hrefs and "https://www.facebook.com/111_222" in hrefs
    assert (
        tags["img"]["src"] == "/brands/pomandi/media/x.jpg" and tags["img"]["alt"] == "A red dress"
    )
    assert "style" not in {name for _, attrs in read.tags for name in attrs}, "the CSP forbids it"


def test_no_runs_with_a_status_says_so() -> None:
    assert "No runs with the status dry run." in _Read(_history(status="dry_run")).text


def test_the_card_says_who_approved_when_the_report_tells() -> None:
    approved = "approved by ana@example.com at 2026-12-03 08:12 CET"
    assert f"Approval{approved}" in _Read(_card(_report(approval=approved))).text
    assert "Approval" not in _Read(_card(_report(approval=None))).text
    # A report read from a release without the field.
    older = types.SimpleNamespace(**{k: v for k, v in vars(_report()).items() if k != "approval"})
    assert "Approval" not in _Read(_card(older)).text and "Zomer" in _Read(_card(older)).text
