"""Insights and read-back in the Meta Graph API emulator, driven over HTTP by httpx."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from PIL import Image

from devstack.meta_emulator import MetaEmulator
from devstack.meta_emulator.insights import INSTAGRAM_METRICS, engagement_for
from devstack.serve import ServedApp

from .meta_served import Served, meta_and_photos

PAGE, PAGE_TOKEN = "1001", "page-token-1001"
IG, IG_TOKEN = "17841400000000001", "ig-token-1"
TWO_DAYS = 48 * 3600 + 1


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 500), (30, 140, 90)).save(buffer, "JPEG")
    return buffer.getvalue()


PHOTO = jpeg()


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with meta_and_photos(3, {"/photo.jpg": PHOTO}) as served:
        yield served


@pytest.fixture
def emulator(served: tuple[MetaEmulator, ServedApp, ServedApp]) -> MetaEmulator:
    emulator = served[0]
    emulator.reset(keep_accounts=False)
    emulator.add_page(PAGE, PAGE_TOKEN)
    emulator.add_instagram_user(IG, IG_TOKEN)
    return emulator


@pytest.fixture
def graph(
    emulator: MetaEmulator, served: tuple[MetaEmulator, ServedApp, ServedApp]
) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{served[1].url}/v26.0/", timeout=10) as client:
        yield client


@pytest.fixture
def media_id(graph: httpx.Client, served: tuple[MetaEmulator, ServedApp, ServedApp]) -> str:
    """An Instagram photo published just now."""
    container = graph.post(
        f"{IG}/media",
        data={"image_url": f"{served[2].url}/photo.jpg", "caption": "Warm bread #bakery"},
        params={"access_token": IG_TOKEN},
    )
    assert container.status_code == 200, container.text
    published = graph.post(
        f"{IG}/media_publish",
        params={"creation_id": container.json()["id"], "access_token": IG_TOKEN},
    )
    assert published.status_code == 200, published.text
    return str(published.json()["id"])


@pytest.fixture
def post_id(graph: httpx.Client) -> str:
    """A Facebook Page photo post published just now."""
    response = graph.post(
        f"{PAGE}/photos",
        data={"caption": "Warm bread"},
        files={"source": ("photo.jpg", PHOTO, "image/jpeg")},
        params={"access_token": PAGE_TOKEN},
    )
    assert response.status_code == 200, response.text
    return str(response.json()["post_id"])


def insights(graph: httpx.Client, object_id: str, metric: str, token: str) -> httpx.Response:
    return graph.get(f"{object_id}/insights", params={"metric": metric, "access_token": token})


def values(response: httpx.Response) -> dict[str, int]:
    assert response.status_code == 200, response.text
    return {item["name"]: item["values"][0]["value"] for item in response.json()["data"]}


def error_of(response: httpx.Response) -> dict[str, Any]:
    error: dict[str, Any] = response.json()["error"]
    assert error["fbtrace_id"] and error["type"] == "OAuthException"
    return error


def test_each_instagram_metric_answers_in_the_graph_shape_once_the_data_has_arrived(
    graph: httpx.Client, emulator: MetaEmulator, media_id: str
) -> None:
    emulator.advance_clock(TWO_DAYS)
    for metric in INSTAGRAM_METRICS:
        [item] = insights(graph, media_id, metric, IG_TOKEN).json()["data"]
        assert item["name"] == metric and item["period"] == "lifetime"
        assert item["title"] and item["description"]
        assert item["id"] == f"{media_id}/insights/{metric}/lifetime"
    figures = values(insights(graph, media_id, ",".join(INSTAGRAM_METRICS), IG_TOKEN))
    assert figures["reach"] > 0 and figures["views"] >= figures["reach"]
    parts = figures["likes"] + figures["comments"] + figures["saved"] + figures["shares"]
    assert figures["total_interactions"] == parts


def test_figures_are_zero_until_the_posts_own_delay_of_at_most_48_hours_has_passed(
    graph: httpx.Client, emulator: MetaEmulator, media_id: str, post_id: str
) -> None:
    assert values(insights(graph, media_id, "reach", IG_TOKEN)) == {"reach": 0}
    viewers = "post_total_media_view_unique"
    assert values(insights(graph, post_id, viewers, PAGE_TOKEN)) == {viewers: 0}
    emulator.advance_clock(TWO_DAYS)
    assert values(insights(graph, media_id, "reach", IG_TOKEN))["reach"] > 0
    assert values(insights(graph, post_id, viewers, PAGE_TOKEN))[viewers] > 0


@pytest.mark.parametrize("metric", ["impressions", "plays", "video_views"])
def test_a_retired_metric_answers_error_100_saying_it_is_no_longer_supported(
    graph: httpx.Client, media_id: str, metric: str
) -> None:
    response = insights(graph, media_id, f"reach,{metric}", IG_TOKEN)
    assert response.status_code == 400
    error = error_of(response)
    assert (
        error["code"] == 100 and f"the {metric} metric is no longer supported" in (error["message"])
    )


def test_an_unknown_metric_answers_error_100_listing_the_valid_ones(
    graph: httpx.Client, media_id: str
) -> None:
    error = error_of(insights(graph, media_id, "reach,popularity", IG_TOKEN))
    assert error["code"] == 100
    assert error["message"].startswith("(#100) metric[1] must be one of the following values:")
    assert "total_interactions" in error["message"]


def test_a_missing_insights_permission_is_a_permission_error_not_error_100(
    graph: httpx.Client,
    emulator: MetaEmulator,
    served: tuple[MetaEmulator, ServedApp, ServedApp],
    media_id: str,
    post_id: str,
) -> None:
    switch = {"token": IG_TOKEN, "permission": "instagram_manage_insights"}
    assert httpx.post(f"{served[1].url}/_emulator/permissions", json=switch).status_code == 200
    response = insights(graph, media_id, "reach", IG_TOKEN)
    assert response.status_code == 403 and error_of(response)["code"] == 10
    emulator.withhold_permission(PAGE_TOKEN, "read_insights")
    response = insights(graph, post_id, "post_total_media_view_unique", PAGE_TOKEN)
    assert response.status_code == 403 and error_of(response)["code"] == 200
    assert "read_insights" in error_of(response)["message"]
    debug = graph.get("debug_token", params={"input_token": IG_TOKEN, "access_token": IG_TOKEN})
    assert "instagram_manage_insights" not in debug.json()["data"]["scopes"]
    emulator.withhold_permission(IG_TOKEN, "instagram_manage_insights", withheld=False)
    assert values(insights(graph, media_id, "reach", IG_TOKEN)) == {"reach": 0}


def test_instagram_media_reads_back_with_a_media_url_serving_the_published_image(
    graph: httpx.Client, media_id: str
) -> None:
    fields = "caption,media_url,permalink,timestamp"
    response = graph.get(media_id, params={"fields": fields, "access_token": IG_TOKEN})
    assert response.status_code == 200, response.text
    media = response.json()
    assert media["caption"] == "Warm bread #bakery"
    assert media["permalink"].startswith("https://www.instagram.com/p/")
    assert media["timestamp"].endswith("+0000")
    image = httpx.get(media["media_url"])
    assert image.status_code == 200 and image.content == PHOTO


def test_a_page_post_reads_back_with_its_attachments_and_reaction_count(
    graph: httpx.Client, emulator: MetaEmulator, post_id: str
) -> None:
    fields = "message,attachments{media_type,target,media},reactions.summary(total_count)"
    read = graph.get(post_id, params={"fields": fields, "access_token": PAGE_TOKEN}).json()
    assert read["message"] == "Warm bread"
    assert read["reactions"]["summary"]["total_count"] == 0
    [attachment] = read["attachments"]["data"]
    assert httpx.get(attachment["media"]["image"]["src"]).content == PHOTO
    emulator.advance_clock(TWO_DAYS)
    read = graph.get(post_id, params={"fields": fields, "access_token": PAGE_TOKEN}).json()
    [post] = [p for p in emulator.facebook_posts(PAGE) if p["id"] == post_id]
    assert post["photo_id"] == attachment["target"]["id"]
    reactions = read["reactions"]["summary"]["total_count"]
    assert reactions > 0 and reactions == engagement_for_post(emulator, post_id)["reactions"]


def engagement_for_post(emulator: MetaEmulator, post_id: str) -> dict[str, int]:
    post = emulator.state.find_published(post_id)
    assert post is not None
    return engagement_for(post, emulator.state)
