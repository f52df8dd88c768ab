"""The run's card, as the offline pages and the console's history show it, in Chromium: on a
phone (390 px) nothing is wider than the screen, even a caption or a reason with no space to
break at; on a laptop the image stands beside the text."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from playwright.async_api import Browser

from feedpub.contract.after_publishing import LiveCheck, PostFigures
from feedpub.contract.run import Captions, PlatformResult, PublishReport
from feedpub_apps.reports.html import PageEntry, brand_page
from feedpub_apps.reports.links import ReportLinks

UNBROKEN = "#" + "zomercollectie" * 12


def _page(out: Path) -> Path:
    report = PublishReport(
        run_id="run-" + "7" * 60,
        workflow_id="pomandi-scheduled-1",
        brand="pomandi",
        status="partial",
        started_at="2026-05-10T07:00:00+00:00",
        photo_key=f"brands/pomandi/{UNBROKEN}.jpg",
        captions=Captions(facebook=UNBROKEN, instagram=f"Zomer {UNBROKEN}", alt_text="A dress"),
        facebook=PlatformResult(
            "facebook", "published", post_id="1" * 40, live=LiveCheck(verified=True)
        ),
        instagram=PlatformResult(
            "instagram",
            "published",
            post_id="2" * 17,
            live=LiveCheck(False, f"caption cut after 1,800 of 2,150 characters {UNBROKEN}"),
        ),
        photo_choice="learned from 23 posts",
        approval=f"approved by {'a' * 60}@example.com at 2026-05-10 08:12 CEST",
        cost_usd=0.0031,
    )
    image = io.BytesIO()
    Image.new("RGB", (1080, 1350), (180, 60, 60)).save(image, "JPEG")
    (out / "run.jpg").write_bytes(image.getvalue())
    figures = [
        PostFigures("instagram", "2" * 17, "7d", {"reach": 612, "saved": 9, "shares": 4,
                    "total_interactions": 45}, notes=["impressions: no longer supported"]),
        PostFigures("facebook", "1" * 40, "7d", permission_missing="read_insights"),
    ]  # fmt: skip
    entries = [
        PageEntry(report, "2026-05-10 09:00 CEST", "run.jpg", insights=figures),
        PageEntry(report, "t", None),
    ]
    page = out / "pomandi.html"
    page.write_text(brand_page("pomandi", entries, ReportLinks()))
    return page


async def test_a_run_card_fits_a_phone_and_stands_beside_its_image_on_a_laptop(
    browser: Browser, tmp_path: Path
) -> None:
    page = _page(tmp_path)
    tab = await browser.new_page(viewport={"width": 390, "height": 844})
    try:
        errors: list[str] = []
        tab.on("console", lambda message: errors.append(message.text))
        await tab.goto(page.as_uri())
        assert await tab.evaluate("document.documentElement.scrollWidth") <= 390
        assert await tab.evaluate("document.images[0].naturalWidth") == 1080
        await tab.set_viewport_size({"width": 1280, "height": 900})
        image = await tab.locator("img").bounding_box()
        details = await tab.locator("article dl").first.bounding_box()
        assert image and details and image["x"] + image["width"] <= details["x"]
        card = await tab.locator("article").first.inner_text()
        assert "verified" in card and "caption cut after 1,800 of 2,150" in card
        assert "learned from 23 posts" in card and "612" in card
        await tab.screenshot(path=str(tmp_path / "card-1280.png"), full_page=True)
        assert errors == []
    finally:
        await tab.close()
