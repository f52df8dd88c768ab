"""The brands' daily checks and weekly digest on the stack: BrandChecksWorkflow run as
``feedpub checks run`` runs it, its notices told through the claims to the stack's real SMTP
server."""

from __future__ import annotations

import dataclasses
import uuid
from argparse import Namespace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from temporalio.client import Client

from devstack.stack import EmbeddedStack
from feedpub.contract import tools
from feedpub.contract.checks import BrandChecksReport, BrandChecksRequest
from feedpub.contract.run import PlatformResult, PublishReport
from feedpub_apps.cli.checks import run_checks
from temporal_app.mcp_client import McpConnection
from temporal_app.workflows.brand_checks import BrandChecksWorkflow
from temporal_app.workflows.notifier import notifier_id

from .helpers import upload_photo

pytestmark = [pytest.mark.stack, pytest.mark.usefixtures("worker")]


async def check(client: Client, stack: EmbeddedStack, brand: str, *force: str) -> list[Any]:
    """Run the checks ``force`` names for ``brand`` now; the notices they told."""
    report: BrandChecksReport = await client.execute_workflow(
        BrandChecksWorkflow.run,
        BrandChecksRequest(brands=[brand], force=list(force)),
        id=f"checks-test-{uuid.uuid4().hex[:8]}",
        task_queue=stack.options.task_queue,
    )
    [outcome] = report.brands
    assert not outcome.failed
    return outcome.told


async def told_everyone(client: Client, event_id: str) -> None:
    """Wait until the notifier of ``event_id`` (the newest, if there were more) has ended."""
    await client.get_workflow_handle(notifier_id(event_id)).result()


async def test_photos_crossing_seven_days_of_posts_are_told_once(
    client: Client, stack: EmbeddedStack, s3: Any, monkeypatch: Any, capsys: Any
) -> None:
    for _ in range(7):  # one post a day: seven days of posts, not below the threshold
        upload_photo(stack, s3, "runwayshop", b"a photo, counted not looked at")
    feed = McpConnection("feed-publisher", stack.mcp_urls["feed-publisher"], stack.mcp_token)

    [above] = await check(client, stack, "runwayshop", "runway")
    try:  # a run holds one: six days left
        await feed.ask(tools.GET_RANDOM_UNUSED_PHOTO, brand="runwayshop", run_id="checks-test")
    finally:
        await feed.close()
    [below] = await check(client, stack, "runwayshop", "runway")
    # Once more, below still, as `feedpub checks run --brand runwayshop --only runway` does.
    monkeypatch.setenv("TEMPORAL_ADDRESS", stack.temporal_address)
    monkeypatch.setenv("TEMPORAL_TASK_QUEUE", stack.options.task_queue)
    monkeypatch.setenv("BRANDS_FILE", str(stack.options.brands_file))
    checked_again = await run_checks(Namespace(brand=["runwayshop"], only="runway", brands=None))
    printed = capsys.readouterr().out

    assert (above.kind, below.kind, below.told_before) == ("back_to_normal", "photos_low", False)
    assert checked_again == 0
    assert "   photos_low      6 unused photos, 6 days of posts\n" in printed
    assert f"event {below.event_id}  (told before: not again)" in printed
    await told_everyone(client, above.event_id)
    await told_everyone(client, below.event_id)
    runway = [m for m in stack.inbox.received() if m.event_id in (above.event_id, below.event_id)]
    assert [(m.to, m.event_id) for m in runway] == [("team@example.com", below.event_id)]
    assert "6 unused photos left: 6 days of posts" in runway[0].body


def saved_report(brand: str, status: str, started: datetime, **fields: Any) -> PublishReport:
    run_id = str(uuid.uuid4())
    return PublishReport(
        run_id=run_id,
        workflow_id=f"{brand}-manual-{run_id[:8]}",
        brand=brand,
        status=status,  # type: ignore[arg-type]
        started_at=started.isoformat(),
        finished_at=(started + timedelta(minutes=2)).isoformat(),
        **fields,
    )


def published(post_id: str, permalink: str) -> dict[str, PlatformResult]:
    return {
        "facebook": PlatformResult("facebook", "published", post_id=post_id),
        "instagram": PlatformResult("instagram", "published", post_id="1", permalink=permalink),
    }


async def test_a_disabled_brand_is_checked_and_its_digest_lists_its_week_links_and_failures(
    client: Client, stack: EmbeddedStack
) -> None:
    now, brand = datetime.now(UTC), "dormantshop"
    this_week = [
        saved_report(brand, "published", now - timedelta(days=3), cost_usd=0.0125,
                     **published("162_1001", "https://www.instagram.com/p/WEEK1/")),
        saved_report(brand, "failed", now - timedelta(days=2), cost_usd=0.0025,
                     reason="Meta refused the photo: the image is too small"),
        saved_report(brand, "partial", now - timedelta(days=1), cost_usd=0.01,
                     facebook=PlatformResult("facebook", "published", post_id="162_1003"),
                     instagram=PlatformResult("instagram", "failed", reason="container expired")),
    ]  # fmt: skip
    older = saved_report(brand, "published", now - timedelta(days=9), cost_usd=0.5,
                         **published("162_0999", "https://www.instagram.com/p/OLDER/"))  # fmt: skip
    dry_run = saved_report(brand, "dry_run", now - timedelta(hours=5), dry_run=True)
    outputs = McpConnection("agent-outputs", stack.mcp_urls["agent-outputs"], stack.mcp_token)
    try:
        for report in [*this_week, older, dry_run]:
            await outputs.call(tools.SAVE_PUBLICATION_REPORT, {
                "run_id": report.run_id, "workflow_id": report.workflow_id, "brand": brand,
                "status": report.status, "photo_key": None, "report": dataclasses.asdict(report),
            })  # fmt: skip
    finally:
        await outputs.close()

    [token, digest] = await check(client, stack, brand, "digest", "token")

    assert (token.kind, token.summary) == (
        "back_to_normal",
        "the Meta token works: all well (told only when a problem was open)",
    )
    assert digest.kind == "weekly_digest"
    await told_everyone(client, digest.event_id)
    [message] = stack.inbox.received(event_id=digest.event_id)
    body = message.body
    assert message.to == "team@example.com"
    assert "3 runs in the last seven days: 1 failed, 1 partial, 1 published." in body
    assert "https://www.facebook.com/162_1001" in body
    assert "https://www.instagram.com/p/WEEK1/" in body
    assert "https://www.facebook.com/162_1003" in body
    assert "failed: Meta refused the photo: the image is too small" in body
    assert "partial: instagram: container expired" in body
    assert "Claude cost: $0.0250" in body
    assert "Photos left: 0 (0 days of posts)" in body
    assert "OLDER" not in body and "162_0999" not in body
    shown = (now - timedelta(days=3)).astimezone(ZoneInfo("America/New_York"))
    assert f"{shown:%a %d %b %H:%M}  published" in body  # the brand's local time
