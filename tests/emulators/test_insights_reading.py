"""The feed-publisher's read of a post's figures (``meta.insights.read_figures``) against the
Meta emulator over HTTP: one metric per call, a retired metric skipped with a note and never
asked again, a missing permission named rather than taken for a retired metric."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Iterator
from urllib.parse import parse_qs

import httpx
import pytest
from PIL import Image

from devstack.meta_emulator import MetaEmulator
from devstack.meta_emulator.insights import engagement_for
from devstack.serve import ServedApp
from feedpub.contract.after_publishing import INSTAGRAM_METRICS
from mcp_servers.feed_publisher.meta.graph import GraphClient
from mcp_servers.feed_publisher.meta.insights import read_figures

from .meta_served import meta_and_photos

PAGE, IG, TOKEN = "1001", "17841400000000001", "token-1"
TWO_DAYS = 48 * 3600 + 1


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 500), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[MetaEmulator, ServedApp, str]]:
    """The emulator, served, and the address of a photo it can fetch."""
    with meta_and_photos(5, {"/p.jpg": _jpeg()}) as (emulator, api, images):
        yield emulator, api, f"{images.url}/p.jpg"


@pytest.fixture
def emulator(served: tuple[MetaEmulator, ServedApp, str]) -> MetaEmulator:
    emulator = served[0]
    emulator.reset(keep_accounts=False)
    emulator.add_page(PAGE, TOKEN)
    emulator.add_instagram_user(IG, TOKEN)
    return emulator


@pytest.fixture
async def graph(
    emulator: MetaEmulator, served: tuple[MetaEmulator, ServedApp, str]
) -> AsyncIterator[GraphClient]:
    async with httpx.AsyncClient(timeout=10) as http:
        yield GraphClient(http, base_url=served[1].url, version="v26.0")


@pytest.fixture
def photo_url(served: tuple[MetaEmulator, ServedApp, str]) -> str:
    return served[2]


async def _posted(graph: GraphClient, photo_url: str) -> tuple[str, str]:
    """A Page photo post and an Instagram media item, published now: their ids."""
    page = await graph.post(f"{PAGE}/photos", TOKEN, {"caption": "x", "url": photo_url})
    return str(page["post_id"]), await _media(graph, photo_url)


async def _media(graph: GraphClient, photo_url: str) -> str:
    container = await graph.post(f"{IG}/media", TOKEN, {"image_url": photo_url, "caption": "x"})
    published = await graph.post(f"{IG}/media_publish", TOKEN, {"creation_id": container["id"]})
    return str(published["id"])


def _metrics_asked(emulator: MetaEmulator, object_id: str) -> list[list[str]]:
    return [
        parse_qs(request.query).get("metric", [])
        for request in emulator.requests()
        if request.path.endswith(f"/{object_id}/insights")
    ]


async def test_every_instagram_metric_is_asked_in_a_call_of_its_own(
    emulator: MetaEmulator, graph: GraphClient, photo_url: str
) -> None:
    media = await _media(graph, photo_url)
    emulator.advance_clock(TWO_DAYS)
    figures = await read_figures(graph, token=TOKEN, platform="instagram", post_id=media, age="7d")
    assert _metrics_asked(emulator, media) == [[metric] for metric in INSTAGRAM_METRICS]
    truth = engagement_for(emulator.state.find_published(media), emulator.state)  # type: ignore[arg-type]
    assert figures.figures == {metric: truth[metric] for metric in INSTAGRAM_METRICS}
    assert figures.figures["reach"] > 0 and not figures.notes and figures.read_at


async def test_a_retired_metric_is_skipped_with_a_note_and_never_asked_again(
    emulator: MetaEmulator, graph: GraphClient, photo_url: str
) -> None:
    media = await _media(graph, photo_url)
    asked = ("reach", "impressions", "saved")
    figures = await read_figures(
        graph, token=TOKEN, platform="instagram", post_id=media, age="24h", metrics=asked
    )
    assert _metrics_asked(emulator, media) == [["reach"], ["impressions"], ["saved"]]
    assert set(figures.figures) == {"reach", "saved"}
    assert figures.notes == ["impressions: Meta no longer supports this metric; skipped"]
    assert figures.permission_missing is None


async def test_a_facebook_post_gives_its_viewers_and_reactions(
    emulator: MetaEmulator, graph: GraphClient, photo_url: str
) -> None:
    post, _ = await _posted(graph, photo_url)
    emulator.advance_clock(TWO_DAYS)
    figures = await read_figures(graph, token=TOKEN, platform="facebook", post_id=post, age="7d")
    truth = engagement_for(emulator.state.find_published(post), emulator.state)  # type: ignore[arg-type]
    assert _metrics_asked(emulator, post) == [["post_total_media_view_unique"]]
    assert figures.figures == {
        "post_total_media_view_unique": truth["post_total_media_view_unique"],
        "reactions": truth["reactions"],
    }


@pytest.mark.parametrize(
    ("platform", "permission"),
    [("instagram", "instagram_manage_insights"), ("facebook", "read_insights")],
)
async def test_a_withheld_permission_is_named_not_taken_for_a_retired_metric(
    emulator: MetaEmulator, graph: GraphClient, photo_url: str, platform: str, permission: str
) -> None:
    post, media = await _posted(graph, photo_url)
    emulator.withhold_permission(TOKEN, permission)
    object_id = media if platform == "instagram" else post
    figures = await read_figures(
        graph, token=TOKEN, platform=platform, post_id=object_id, age="24h"
    )
    assert figures.permission_missing == permission
    assert figures.figures == {} and figures.notes == []
    assert len(_metrics_asked(emulator, object_id)) == 1, "one refusal is enough to know"
