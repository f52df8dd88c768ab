"""``feedpub reports`` and ``reports html`` against the stack, the pages opened in Chromium."""

from __future__ import annotations

import asyncio
import hashlib
import posixpath
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from langfuse import Langfuse
from temporalio.client import Client
from temporalio.exceptions import ApplicationError

from devstack.stack import EmbeddedStack
from feedpub.contract import tools
from feedpub.contract.run import PublishReport
from temporal_app.mcp_client import McpConnection

from .chromium import open_page
from .cli import feedpub
from .helpers import media_sha256, publish, upload_photo

pytestmark = pytest.mark.usefixtures("worker")
RUN_DEADLINE = 120.0


def _env(stack: EmbeddedStack, **more: str) -> dict[str, str]:
    return {
        "FEED_PUBLISHER_MCP_URL": stack.mcp_urls["feed-publisher"],
        "AGENT_OUTPUTS_MCP_URL": stack.mcp_urls["agent-outputs"],
        # Reading reports and their images takes the read token alone.
        "MCP_READ_TOKEN": stack.mcp_read_token,
        **more,
    }


async def _published(client: Client, stack: EmbeddedStack, brand: str) -> PublishReport:
    return await asyncio.wait_for(publish(client, stack, brand), RUN_DEADLINE)


async def _reports(stack: EmbeddedStack, **arguments: Any) -> list[str]:
    outputs = McpConnection("agent-outputs", stack.mcp_urls["agent-outputs"], stack.mcp_token)
    try:
        found = await outputs.ask(tools.LIST_REPORTS, limit=200, **arguments)
    finally:
        await outputs.close()
    return [row.run_id for row in found.reports]


async def test_list_reports_keeps_the_reports_saved_since_a_time(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    upload_photo(stack, s3, "costume")
    report = await _published(client, stack, "costume")
    assert report.run_id in await _reports(stack, brand="costume")
    later = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    assert await _reports(stack, brand="costume", since=later) == []
    earlier = datetime.now(UTC) - timedelta(minutes=5)
    assert report.run_id in await _reports(stack, since=earlier.isoformat())
    # Without an offset the time is read as UTC.
    assert report.run_id in await _reports(stack, since=earlier.replace(tzinfo=None).isoformat())


async def test_reports_prints_a_run_in_the_brand_zone_with_its_posts(
    stack: EmbeddedStack, client: Client, s3: Any
) -> None:
    upload_photo(stack, s3, "pomandi")
    report = await _published(client, stack, "pomandi")
    assert report.facebook and report.instagram and report.status == "published"
    code, out = await feedpub(
        stack, "reports", "--brand", "pomandi", "--since", "10m", "--status", "published",
        env=_env(stack),
    )  # fmt: skip
    assert code == 0, out
    lines = [line for line in out.splitlines() if f"published {report.facebook.post_id}" in line]
    assert len(lines) == 1, out
    line = lines[0]
    started = datetime.fromisoformat(report.started_at).astimezone(ZoneInfo("Europe/Brussels"))
    assert line.startswith(f"{started:%Y-%m-%d %H:%M %Z}  pomandi  published"), out
    assert posixpath.basename(report.photo_key or "?") in line
    assert f"published {report.facebook.post_id}" in line
    assert f"published {report.instagram.post_id}" in line


async def test_reports_refuses_an_unknown_brand_and_a_missing_token(stack: EmbeddedStack) -> None:
    code, out = await feedpub(stack, "reports", "--brand", "nobody", env=_env(stack))
    assert code == 2 and "unknown brand 'nobody'" in out
    code, out = await feedpub(stack, "reports", env=_env(stack, MCP_READ_TOKEN=""))
    assert code == 2 and "MCP_READ_TOKEN (or MCP_AUTH_TOKEN) must be set" in out, out


async def test_the_html_report_shows_the_posted_image_and_links_and_renders_in_chromium(
    stack: EmbeddedStack, client: Client, s3: Any, tmp_path: Path
) -> None:
    upload_photo(stack, s3, "costume")
    report = await _published(client, stack, "costume")
    assert report.status == "published" and report.media_key and report.captions
    out = tmp_path / "site"
    env = _env(stack, TEMPORAL_UI_URL="http://ui.test:8233", LANGFUSE_BASE_URL="https://lf.test")
    code, printed = await feedpub(
        stack, "reports", "html", "--brand", "costume", "--since", "1h", "--out", str(out), env=env
    )
    assert code == 0, printed
    image = out / "images" / f"{report.run_id}.jpg"
    assert hashlib.sha256(image.read_bytes()).hexdigest() == media_sha256(
        stack, s3, report.media_key
    )
    page = (out / "costume.html").read_text()
    assert f'src="images/{report.run_id}.jpg"' in page
    assert f"https://www.facebook.com/{report.facebook and report.facebook.post_id}" in page
    assert f"http://ui.test:8233/namespaces/default/workflows/{report.workflow_id}/" in page
    assert f"https://lf.test/trace/{Langfuse.create_trace_id(seed=report.workflow_id)}" in page
    if report.instagram and report.instagram.permalink:
        assert report.instagram.permalink in page

    for name, box_count in (("costume.html", 1), ("index.html", 1)):
        seen = await open_page(out / name, tmp_path / f"profile-{uuid.uuid4().hex[:6]}")
        assert seen["problems"] == [] and seen["console"] == [], seen
        assert all(image["width"] > 0 for image in seen["images"]), seen["images"]
        assert len(seen["boxes"]) >= box_count and all(height > 0 for height in seen["boxes"])
        assert all(url.startswith("file://") for url in seen["resources"]), seen["resources"]
    assert seen["title"] == "feedpub reports" and "costume" in seen["text"]


async def test_the_chromium_check_sees_a_broken_image_and_a_console_error(tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>t</title></head><body><img src='missing.jpg'>"
        "<script>console.error('boom')</script></body></html>"
    )
    seen = await open_page(page, tmp_path / "profile")
    assert [image["width"] for image in seen["images"]] == [0]
    assert "console.error: boom" in seen["problems"]
    assert any("missing.jpg" in problem for problem in seen["problems"])


async def test_get_prepared_media_gives_only_a_brand_prepared_images(
    stack: EmbeddedStack, s3: Any
) -> None:
    photo = upload_photo(stack, s3, "costume")
    prefix = stack.brands["costume"].s3_prefix
    server = McpConnection("feed-publisher", stack.mcp_urls["feed-publisher"], stack.mcp_token)
    try:
        for key, refused in (
            (photo, "NotPreparedMedia"),
            (f"{prefix}.derived/never-prepared.instagram.jpg", "MediaNotFound"),
            (f"{stack.brands['pomandi'].s3_prefix}.derived/x.instagram.jpg", "ForeignPhoto"),
        ):
            with pytest.raises(ApplicationError) as failure:
                await server.call("get_prepared_media", {"brand": "costume", "media_key": key})
            assert failure.value.type == refused
    finally:
        await server.close()
