"""Writing the report pages to a directory: ``index.html``, ``<brand>.html``, ``images/``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import tzinfo
from pathlib import Path

from .html import PageEntry, brand_page, index_page
from .links import ReportLinks
from .source import ListedReport, ReportSource
from .table import local_time

__all__ = ["write_site"]


def _file_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text).lstrip(".") or "_"


async def _posted_image(out: Path, listed: ListedReport, source: ReportSource) -> str | None:
    """The image's path relative to the pages, fetched once (a run's image never changes)."""
    report = listed.report
    if not report.media_key:
        return None
    relative = f"images/{_file_name(report.run_id)}.jpg"
    target = out / relative
    if not target.exists():
        data = await source.posted_image(report.brand, report.media_key)
        if data is None:
            return None
        target.write_bytes(data)
    return relative


async def write_site(
    out: Path, listed: list[ListedReport], zones: Mapping[str, tzinfo], source: ReportSource
) -> Path:
    """Write a page per brand and the index into ``out``; return the index's path."""
    (out / "images").mkdir(parents=True, exist_ok=True)
    links = ReportLinks.from_environment()
    pages: dict[str, tuple[str, list[PageEntry]]] = {}
    for item in listed:
        image = await _posted_image(out, item, source)
        brand = item.report.brand
        page = f"{_file_name(brand)}.html".replace("index.html", "index_.html")
        file_name, entries = pages.setdefault(brand, (page, []))
        entries.append(
            PageEntry(item.report, local_time(item, zones), image, insights=item.insights)
        )
    for brand, (file_name, entries) in pages.items():
        (out / file_name).write_text(brand_page(brand, entries, links), encoding="utf-8")
    index = out / "index.html"
    index.write_text(index_page(pages), encoding="utf-8")
    return index
