"""A run takes photo after photo until one works: a library with more broken files than good
photos still posts. Photo after photo refused for one cause stops the rejections with an
alert, `feedpub photos readmit` puts them back, and a run stops looking when its brand's
`photo_search_seconds` are up. Each test has a brand of its own (tests/fixtures/brands.toml).
"""

from __future__ import annotations

from typing import Any

import pytest
from temporalio.client import Client

from devstack.stack import EmbeddedStack
from feedpub.contract import tools
from feedpub.contract.tools import BrandAlert
from temporal_app.mcp_client import McpConnection
from tests.unit.photo_files import photo, png_bomb

from .cli import feedpub
from .helpers import query, run_to_the_end, upload_photo

pytestmark = pytest.mark.usefixtures("worker")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TEXT = b"name,price\nsuit,499\n"
BROKEN = {
    ".jpg": b"",  # empty
    ".jpeg": photo(1200, 900)[:-400],  # truncated
    ".JPG": PDF,  # a PDF named .jpg
    ".png": TEXT,  # text named .png
    ".webp": photo(120, 90),  # far too small
    ".PNG": png_bomb(11_000, 10_000),  # a decompression bomb
}


def statuses(stack: EmbeddedStack, brand: str) -> dict[str, str]:
    rows = query(stack, "SELECT key, status FROM photos WHERE brand = %s", brand)
    return dict(rows)  # type: ignore[arg-type]


async def alerts(stack: EmbeddedStack) -> list[BrandAlert]:
    server = McpConnection("feed-publisher", stack.mcp_urls["feed-publisher"], stack.mcp_token)
    try:
        return (await server.ask(tools.LIST_BRAND_ALERTS)).alerts
    finally:
        await server.close()


async def test_a_library_with_more_broken_files_than_photos_posts_both_photos(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    broken = {
        upload_photo(stack, s3, "mixedbag", data, suffix=suffix) for suffix, data in BROKEN.items()
    }
    good = {upload_photo(stack, s3, "mixedbag", photo(1080, 1350, colour))
            for colour in ((200, 40, 40), (40, 40, 200))}  # fmt: skip

    first_ended, first = await run_to_the_end(client, stack, "mixedbag")
    second_ended, second = await run_to_the_end(client, stack, "mixedbag")

    assert (first_ended, second_ended) == ("completed", "completed")
    assert (first.status, second.status) == ("published", "published")
    assert {first.photo_key, second.photo_key} == good
    rejected = [entry.split(": ", 1) for entry in first.rejected_photos + second.rejected_photos]
    assert {key for key, _ in rejected} <= broken
    assert all(why and not why.startswith("photo '") for _, why in rejected)
    ledger = statuses(stack, "mixedbag")
    assert all(ledger[key] == "rejected" for key, _ in rejected)


async def test_photos_refused_one_after_another_for_one_cause_stop_with_an_alert_and_come_back(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    brand = stack.brands["junkdrawer"]
    keys = {
        upload_photo(stack, s3, "junkdrawer", TEXT + str(n).encode(), suffix=".png")
        for n in range(6)
    }

    ended, report = await run_to_the_end(client, stack, "junkdrawer")

    assert report.status == "failed" and "stopped rejecting" in (report.reason or "")
    assert len(report.rejected_photos) == brand.rejections_in_a_row - 1
    for entry in report.rejected_photos:
        assert entry.split(": ", 1)[0] in ended, "the failure names each photo it rejected"
    ledger = statuses(stack, "junkdrawer")
    assert sorted(ledger.values()) == ["available"] * 2 + ["rejected"] * 4
    assert [a.kind for a in await alerts(stack) if a.brand == "junkdrawer"] == [
        "photos:rejections-halted"
    ]

    server = {
        "MCP_AUTH_TOKEN": stack.mcp_token,
        "FEED_PUBLISHER_MCP_URL": stack.mcp_urls["feed-publisher"],
    }
    code, out = await feedpub(
        stack, "photos", "readmit", "junkdrawer", "--reason", "READABLE", env=server
    )
    assert code == 0, out
    assert "junkdrawer: 4 photos put back among the unused ones" in out
    assert set(statuses(stack, "junkdrawer").values()) == {"available"}
    assert not [a for a in await alerts(stack) if a.brand == "junkdrawer"]

    left = sorted(keys)[0]
    code, out = await feedpub(stack, "photos", "readmit", "junkdrawer", left, env=server)
    assert code == 1 and f"not rejected, left as it is: {left}" in out


async def test_a_run_stops_taking_photos_when_its_brand_s_search_time_is_up(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    for _ in range(4):
        for suffix, data in BROKEN.items():
            upload_photo(stack, s3, "shortsearch", data, suffix=suffix)

    ended, report = await run_to_the_end(client, stack, "shortsearch")

    assert report.status == "failed"
    assert "no usable photo found within 1 s (photo_search_seconds)" in (report.reason or "")
    assert report.rejected_photos and "Photos rejected in this run" in ended
    assert "available" in statuses(stack, "shortsearch").values(), "it stopped before the last"
