"""Hostile text in any field of a report is shown as text on the HTML pages: it adds no
element, no attribute and no link, wherever it is shown (text, attribute, address)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from feedpub.contract.run import Captions, ClaudeUsage, PlatformResult, PublishReport
from feedpub_apps.reports.html import PageEntry, brand_page, index_page
from feedpub_apps.reports.links import ReportLinks

HOSTILE = "\"'><script>alert(1)</script><img src=x onerror=alert(2)><a href=javascript:alert(3)>"
LINKS = ReportLinks("http://ui.test:8233", "default", "https://lf.test")


def report(**changes: object) -> PublishReport:
    fields: dict[str, object] = dict(
        run_id="run-1",
        workflow_id="pomandi-scheduled-1",
        brand="pomandi",
        status="partial",
        started_at="2026-05-10T07:00:00+00:00",
        photo_key="pomandi/dress.jpg",
        media_key="pomandi/.derived/dress.instagram.jpg",
        captions=Captions(
            facebook="Zomer.",
            instagram="Zomer. #pomandi",
            alt_text="A red dress",
            usage=ClaudeUsage(model="claude-sonnet-5-5", input_tokens=1200, cost_usd=0.0024),
        ),
        facebook=PlatformResult("facebook", "published", post_id="111_222"),
        instagram=PlatformResult("instagram", "failed", reason="Instagram: limit reached"),
        approval="edited",
        cost_usd=0.0031,
    )
    fields.update(changes)
    return PublishReport(**fields)


def _captions(**changes: object) -> Captions:
    captions = report().captions
    assert captions is not None
    return dataclasses.replace(captions, **changes)


Page = Callable[[str], str]


def _brand_page(
    local_time: str = "2026-05-10 09:00 CEST", image: str = "images/run-1.jpg", **changes: object
) -> str:
    entry = PageEntry(report(**changes), local_time, image)
    return brand_page(str(changes.get("brand", "pomandi")), [entry], LINKS)


def _index(local_time: str = "2026-05-10 09:00 CEST", **changes: object) -> str:
    entry = PageEntry(report(**changes), local_time, None)
    return index_page({str(changes.get("brand", "pomandi")): ("brand.html", [entry])})


# Each field a page shows, or could show, filled with `text`; True when the page holds the text
# as it is (as text or an attribute's value), False when it is left out or quoted in an address.
FIELDS: dict[str, tuple[Page, bool]] = {
    "brand": (lambda text: _brand_page(brand=text), True),
    "brand on the index": (lambda text: _index(brand=text), True),
    "status": (lambda text: _brand_page(status=text), True),
    "status on the index": (lambda text: _index(status=text), True),
    "photo key": (lambda text: _brand_page(photo_key=text), True),
    "photo key as alt text": (lambda text: _brand_page(photo_key=text, captions=None), True),
    "Facebook caption": (lambda text: _brand_page(captions=_captions(facebook=text)), True),
    "Instagram caption": (lambda text: _brand_page(captions=_captions(instagram=text)), True),
    "alt text": (lambda text: _brand_page(captions=_captions(alt_text=text)), True),
    "Claude model": (
        lambda text: _brand_page(captions=_captions(usage=ClaudeUsage(model=text))),
        True,
    ),
    "reason": (lambda text: _brand_page(reason=text), True),
    "platform reason": (
        lambda text: _brand_page(instagram=PlatformResult("instagram", "failed", reason=text)),
        True,
    ),
    "approval": (lambda text: _brand_page(approval=text), True),
    "Facebook post id": (
        lambda text: _brand_page(facebook=PlatformResult("facebook", "published", text)),
        True,
    ),
    "Facebook post id in a script address": (
        lambda text: _brand_page(
            facebook=PlatformResult("facebook", "published", f"javascript:{text}")
        ),
        True,
    ),
    "Instagram media id": (
        lambda text: _brand_page(instagram=PlatformResult("instagram", "published", text)),
        True,
    ),
    "Instagram web permalink": (
        lambda text: _brand_page(
            instagram=PlatformResult(
                "instagram", "published", "9", permalink=f"https://i.test/{text}"
            )
        ),
        True,
    ),
    "Instagram permalink": (
        lambda text: _brand_page(
            instagram=PlatformResult("instagram", "published", "9", permalink=text)
        ),
        False,
    ),
    "Instagram permalink in a script address": (
        lambda text: _brand_page(
            instagram=PlatformResult("instagram", "published", "9", permalink=f"javascript:{text}")
        ),
        False,
    ),
    "run id": (lambda text: _brand_page(run_id=text), True),
    "workflow id": (lambda text: _brand_page(workflow_id=text), False),
    "local time": (lambda text: _brand_page(local_time=text), True),
    "local time on the index": (lambda text: _index(local_time=text), True),
    "image path": (lambda text: _brand_page(image=f"images/{text}.jpg"), True),
    "rejected photos": (lambda text: _brand_page(rejected_photos=[text]), False),
    "warnings": (lambda text: _brand_page(warnings=[text]), False),
    "description": (lambda text: _brand_page(description=text), False),
}


class _Read(HTMLParser):
    """The page as a browser builds it: each element with its attribute names, the links'
    schemes, and the text and attribute values a reader sees."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, tuple[str, ...]]] = []
        self.addresses: list[str] = []
        self.seen: list[str] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, tuple(sorted(name for name, _ in attrs))))
        for name, value in attrs:
            self.seen.append(value or "")
            if name in ("href", "src"):
                self.addresses.append((value or "").strip().lower())

    def handle_data(self, data: str) -> None:
        self.seen.append(data)


@pytest.mark.parametrize("field", FIELDS)
def test_hostile_text_in_a_field_adds_no_element_attribute_or_link(field: str) -> None:
    page, shown = FIELDS[field]
    plain, hostile = _Read(page("plain text")), _Read(page(HOSTILE))

    assert hostile.elements == plain.elements
    # Links go to the web or to files beside the page, never to a script.
    assert {urlsplit(a).scheme for a in hostile.addresses} <= {"", "http", "https"}
    if shown:
        assert any(HOSTILE in text for text in hostile.seen), "the text is shown as it is"
