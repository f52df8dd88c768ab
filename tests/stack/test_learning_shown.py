"""What a brand's posts taught, on the session's stack: figures in ``post_insights`` (written
here, as the insights runs write them, one brand's own) reach the photo choice of a run, its
caption request (examples of tone, after the cached system prompt), the weekly digest and the
console's brand page, which says it with the number of posts."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from playwright.async_api import Page
from psycopg.types.json import Jsonb
from temporalio.client import Client

from devstack.stack import EmbeddedStack
from feedpub.contract import tools
from feedpub.contract.console import brand_path
from feedpub.contract.run import Captions, PublishReport
from temporal_app.activities import CheckActivities
from temporal_app.captions.examples import examples_prompt
from temporal_app.checks.learned import learned_sentence
from temporal_app.checks.models import WeeklyDigestInput
from temporal_app.mcp_client import McpConnection

from .console import Console, fits_and_is_shot, login
from .helpers import publish, upload_photo

pytestmark = pytest.mark.usefixtures("worker")

BRAND, POSTS = "tasteshop", 12
LIKED = ["people:people", "setting:outdoors", "subject:portrait", "season:any"]
DISLIKED = ["people:no-people", "setting:indoors", "subject:detail", "season:any"]


def caption(number: int) -> str:
    return f"Post {number}: a plain and friendly line.\n\n#tasteshop"


@pytest.fixture
def figures(stack: EmbeddedStack) -> Iterator[None]:
    """``POSTS`` published runs of the brand with their figures at +24 h and +7 d: the even
    ones showed what its audience likes and did three times better, the later the better. A
    Facebook figure better than any is left out: each run counts once, by its Instagram post."""
    started = (datetime.now(UTC) - timedelta(days=3)).isoformat()
    tag = uuid.uuid4().hex[:6]
    with psycopg.connect(stack.database_url) as conn:
        for number in range(POSTS):
            run_id = f"taste-{tag}-{number}"
            liked = number % 2 == 0
            said = Captions(caption(number), caption(number), "alt")
            report = PublishReport(run_id, f"wf-{run_id}", BRAND, "published", started)
            report.captions, report.finished_at = said, started
            conn.execute(
                "INSERT INTO publication_reports (run_id, workflow_id, brand, status, report)"
                " VALUES (%s, %s, %s, 'published', %s)",
                (run_id, f"wf-{run_id}", BRAND, Jsonb(asdict(report))),
            )
            for platform, age, value in [
                ("instagram", "24h", 0.5),
                ("instagram", "7d", (0.09 if liked else 0.03) + number / 1000),
                ("facebook", "7d", 0.9),
            ]:
                conn.execute(
                    "INSERT INTO post_insights (run_id, platform, age, brand, photo_key, post_id,"
                    " figures, traits, engagement_per_reach) VALUES (%s, %s, %s, %s, %s, %s,"
                    " '{}', %s, %s)",
                    (run_id, platform, age, BRAND, f"{BRAND}/{number}.jpg", f"p{number}",
                     Jsonb(LIKED if liked else DISLIKED), value),
                )  # fmt: skip
    yield
    with psycopg.connect(stack.database_url) as conn:
        conn.execute("DELETE FROM post_insights WHERE brand = %s", (BRAND,))
        conn.execute("DELETE FROM publication_reports WHERE brand = %s", (BRAND,))
        conn.execute("DELETE FROM photos WHERE brand = %s", (BRAND,))


@pytest.fixture
async def reader(stack: EmbeddedStack) -> AsyncIterator[McpConnection]:
    """The agent-outputs server with the read token, as the console and the digest read it."""
    session = McpConnection("agent-outputs", stack.mcp_urls["agent-outputs"], stack.mcp_read_token)
    yield session
    await session.close()


async def test_what_a_brands_posts_taught_chooses_its_photo_shapes_its_captions_and_is_shown(
    stack: EmbeddedStack,
    client: Client,
    s3: Any,
    figures: None,
    reader: McpConnection,
    page: Page,
    console: Console,
) -> None:
    tastes = await reader.ask(tools.GET_BRAND_TASTES, brand=BRAND)
    examples = await reader.ask(tools.GET_CAPTION_EXAMPLES, brand=BRAND, limit=3)
    assert tastes.posts == POSTS
    # The best by Instagram's engagement per reach at +7 d: the latest liked ones.
    assert [(e.platform, e.caption) for e in examples.examples] == [
        ("instagram", caption(10)), ("instagram", caption(8)), ("instagram", caption(6)),
    ]  # fmt: skip

    # Four unused photos, looked at already: one shows what this audience responded to (a
    # photo at random would be that one once in four runs).
    shown_liked = upload_photo(stack, s3, BRAND)
    others = [(upload_photo(stack, s3, BRAND), DISLIKED) for _ in range(3)]
    with psycopg.connect(stack.database_url) as conn:
        for key, traits in [(shown_liked, LIKED), *others]:
            conn.execute(
                "INSERT INTO photos (brand, key, traits) VALUES (%s, %s, %s)",
                (BRAND, key, Jsonb(traits)),
            )
    before = len(stack.claude.requests)
    report = await publish(client, stack, BRAND, dry_run=True)

    assert report.photo_choice == f"learned from {POSTS} posts"
    assert report.photo_key == shown_liked
    [asked] = [r for r in stack.claude.requests[before:] if BRAND in r["system"][0]["text"]]
    shown = examples_prompt(examples.examples, stack.brands[BRAND].voice_settings)
    assert shown is not None and "Post 10: a plain and friendly line." in shown
    assert asked["messages"][0]["content"][-1]["text"] == shown
    assert "Examples of tone" not in str(asked["system"])

    said = learned_sentence(tastes)
    assert f"(from {POSTS} posts)" in said
    now = datetime.now(UTC)
    digest = await CheckActivities(stack.brands, None, reader).weekly_digest(  # type: ignore[arg-type]
        WeeklyDigestInput(BRAND, "Europe/London", (now - timedelta(days=7)).isoformat(),
                          (now + timedelta(minutes=1)).isoformat())
    )  # fmt: skip
    assert digest.lines[-1] == f"Learned: {said}"

    email = f"taste-{uuid.uuid4().hex[:6]}@example.com"
    await login(page, email, await console.add_person(email, {BRAND: "viewer"}))
    await page.goto(brand_path(BRAND))
    assert (await page.locator(".learned-words").inner_text()).strip() == said
    await fits_and_is_shot(page, console, "brand-learned")
