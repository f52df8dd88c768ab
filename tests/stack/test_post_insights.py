"""A post's figures at +24 h and +7 d, on the session's time-skipping Temporal: the run starts
PostInsightsWorkflow and ends; the insights workflow's two durable timers are skipped over;
the figures land in ``post_insights`` with the photo's traits and the engagement per reach,
and come back with the run's report. A day without the Page insights permission raises the
brand's alert and tells its team; the week's read ends both."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
import psycopg
from psycopg.types.json import Jsonb

from devstack.stack import EmbeddedStack
from feedpub.contract import tools
from feedpub.contract.after_publishing import engagement_per_reach, insights_workflow_id
from feedpub.contract.run import PublishRequest
from temporal_app.mcp_client import McpConnection
from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow
from temporal_app.workflows.post_insights import PostInsightsWorkflow
from tests.polling import poll

from .helpers import query, upload_photo
from .skipping import Skipping

BRAND = "gaugeshop"
TRAITS = ["subject:food", "people:none", "orientation:portrait"]
PAST_THE_LATENESS = 48 * 3600 + 60
"""Meta's figures may come up to 48 h late: the emulator's clock is moved past that."""


def _rows(stack: EmbeddedStack, run_id: str, age: str) -> list[tuple[Any, ...]]:
    return query(
        stack,
        "SELECT platform, figures, notes, permission_missing, traits, engagement_per_reach"
        " FROM post_insights WHERE run_id = %s AND age = %s ORDER BY platform",
        run_id,
        age,
    )


def _told(stack: EmbeddedStack, event_id: str) -> list[tuple[Any, ...]]:
    return query(stack, "SELECT decision FROM notices WHERE event_id = %s", event_id)


def _alerts(stack: EmbeddedStack) -> list[tuple[Any, ...]]:
    return query(stack, "SELECT kind FROM brand_alerts WHERE brand = %s ORDER BY kind", BRAND)


async def test_a_posts_figures_are_read_and_kept_a_day_and_a_week_after_it_went_out(
    stack: EmbeddedStack, s3: Any, skipping: Skipping
) -> None:
    meta = httpx.AsyncClient(base_url=stack.meta_graph_url, timeout=10)
    moved = {"seconds": 0.0}
    try:
        await _figures_read_and_kept(stack, s3, skipping, meta, moved)
    finally:
        # The emulator is the session's: its clock goes back for the tests after this one.
        await meta.post("/_emulator/clock", json={"seconds": -moved["seconds"]})
        await meta.aclose()


async def _figures_read_and_kept(
    stack: EmbeddedStack,
    s3: Any,
    skipping: Skipping,
    meta: httpx.AsyncClient,
    moved: dict[str, float],
) -> None:
    key = upload_photo(stack, s3, BRAND)
    token = stack.meta_tokens[stack.brands[BRAND].meta_token_env]
    refused = {"token": token, "permission": "read_insights"}
    env = skipping.env
    try:
        await meta.post("/_emulator/permissions", json={**refused, "withheld": True})
        # Started without time skipping: the test moves the figures' clock by hand.
        with env.with_time_skipping_disabled():
            run = await env.client.start_workflow(
                FeedPublisherWorkflow.run, PublishRequest(brand=BRAND),
                id=f"insights-{uuid.uuid4().hex[:8]}", task_queue=skipping.task_queue,
            )  # fmt: skip
        report = await run.result()
        assert report.status == "published" and report.photo_key == key
        with psycopg.connect(stack.database_url) as conn:
            conn.execute(
                "UPDATE photos SET traits = %s WHERE brand = %s AND key = %s",
                (Jsonb(TRAITS), BRAND, key),
            )
        await meta.post("/_emulator/clock", json={"seconds": PAST_THE_LATENESS})
        moved["seconds"] = PAST_THE_LATENESS
        insights = env.client.get_workflow_handle_for(
            PostInsightsWorkflow.run, insights_workflow_id(report.run_id)
        )
        await env.fast_forward(insights, timedelta(hours=24, minutes=1))
        await poll(lambda: len(_rows(stack, report.run_id, "24h")) == 2, "the +24 h figures")
        [facebook, instagram] = _rows(stack, report.run_id, "24h")
        assert facebook[1:4] == ({}, [], "read_insights") and facebook[5] is None
        assert instagram[1]["reach"] > 0 and instagram[3] is None
        assert instagram[4] == TRAITS
        assert instagram[5] == engagement_per_reach("instagram", instagram[1]) > 0
        assert _alerts(stack) == [("meta-insights:facebook",)]
        refusal = f"insights_permission:{BRAND}:{report.workflow_id}:facebook"
        await poll(lambda: _told(stack, refusal) == [("sent",)], "the team to be told")
    finally:
        await meta.post("/_emulator/permissions", json={**refused, "withheld": False})

    await env.fast_forward(insights, None)
    outcome = await insights.result()
    assert [(f.platform, f.age) for f in outcome.figures] == [
        ("facebook", "24h"), ("instagram", "24h"), ("facebook", "7d"), ("instagram", "7d"),
    ]  # fmt: skip
    week = _rows(stack, report.run_id, "7d")
    assert [row[0] for row in week] == ["facebook", "instagram"]
    assert all(row[3] is None and row[4] == TRAITS and row[5] > 0 for row in week)
    assert week[0][1]["post_total_media_view_unique"] > 0 and "reactions" in week[0][1]
    assert _alerts(stack) == []
    recovery = f"back_to_normal:{BRAND}:{report.workflow_id}:insights-7d"
    await poll(lambda: _told(stack, recovery) == [("sent",)], "the team to hear it is mended")

    outputs = McpConnection("agent-outputs", stack.mcp_urls["agent-outputs"], stack.mcp_token)
    try:
        stored = await outputs.ask(tools.GET_REPORT, run_id=report.run_id)
    finally:
        await outputs.close()
    assert [(f.platform, f.age) for f in stored.insights] == [
        ("facebook", "24h"), ("facebook", "7d"), ("instagram", "24h"), ("instagram", "7d"),
    ]  # fmt: skip
    assert stored.insights[1].figures == week[0][1]
