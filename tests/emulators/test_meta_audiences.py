"""The Meta emulator's audiences: hidden tastes over what a published photo truly shows."""

from __future__ import annotations

import io
import math
import statistics
from collections.abc import Iterator

import httpx
import pytest
from PIL import Image

from devstack.meta_emulator import MetaEmulator
from devstack.meta_emulator.audiences import LOOK_TRAITS, Tastes, draw_tastes, figures_for
from devstack.serve import ServedApp
from devstack.trait_marks import paint_traits
from feedpub.contract.after_publishing import engagement_per_reach

from .meta_served import Served, meta_and_photos

IG, IG_TOKEN = "17841400000000077", "ig-token-77"
LOOK = {"subject": "portrait", "setting": "outdoors", "people": "people", "season": "summer"}
TWO_DAYS = 48 * 3600 + 1


def marked_jpeg() -> bytes:
    out = io.BytesIO()
    paint_traits(Image.new("RGB", (800, 1000), (90, 110, 70)), LOOK).save(out, "JPEG")
    return out.getvalue()


def mean_engagement(tastes: Tastes, traits: list[str], posts: int = 400) -> float:
    return statistics.fmean(
        engagement_per_reach("instagram", figures_for(tastes, traits, f"post-{n}")) or 0.0
        for n in range(posts)
    )


def test_each_liked_trait_shown_raises_expected_engagement_and_each_disliked_one_lowers_it() -> (
    None
):
    tastes = Tastes(liked=("people:people", "setting:outdoors"), disliked=("season:winter",))
    assert tastes.appeal(["people:people"]) == pytest.approx(1.8)
    assert tastes.appeal(["people:people", "setting:outdoors"]) == pytest.approx(1.8 * 1.8)
    assert tastes.appeal(["people:people", "season:winter"]) == pytest.approx(1.8 * 0.6)
    neutral = mean_engagement(tastes, ["people:no-people", "season:summer"])
    liked = mean_engagement(tastes, ["people:people", "season:summer"])
    disliked = mean_engagement(tastes, ["people:no-people", "season:winter"])
    # The same 400 noise draws each time: the ratios are the tastes' factors, rounding aside.
    assert liked / neutral == pytest.approx(1.8, rel=0.05)
    assert disliked / neutral == pytest.approx(0.6, rel=0.05)


def test_an_accounts_drawn_tastes_are_2_to_3_liked_and_1_to_2_disliked_look_traits() -> None:
    drawn = [draw_tastes(f"account-{n}") for n in range(200)]
    assert {len(t.liked) for t in drawn} == {2, 3} and {len(t.disliked) for t in drawn} == {1, 2}
    assert all(set(t.liked + t.disliked) <= set(LOOK_TRAITS) for t in drawn)
    assert all(not set(t.liked) & set(t.disliked) for t in drawn)
    assert draw_tastes("account-1") == drawn[1] and len({t.liked for t in drawn}) > 50


def test_the_noise_is_log_normal_with_sigma_one_half() -> None:
    tastes = Tastes(liked=(), disliked=())
    logs = [
        math.log(engagement_per_reach("instagram", figures_for(tastes, [], f"p{n}")) or 1e-9)
        for n in range(2000)
    ]
    assert statistics.stdev(logs) == pytest.approx(0.5, abs=0.05)


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with meta_and_photos(5, {"/marked.jpg": marked_jpeg()}) as served:
        served[0].add_instagram_user(IG, IG_TOKEN)
        yield served


def test_an_audience_set_to_like_what_the_photo_shows_engages_more_than_one_set_to_dislike_it(
    served: tuple[MetaEmulator, ServedApp, ServedApp],
) -> None:
    emulator, api, images = served
    with httpx.Client(base_url=f"{api.url}/v26.0/", timeout=10) as graph:
        container = graph.post(
            f"{IG}/media",
            data={"image_url": f"{images.url}/marked.jpg", "caption": "Out in the sun"},
            params={"access_token": IG_TOKEN},
        ).json()["id"]
        media = graph.post(
            f"{IG}/media_publish", params={"creation_id": container, "access_token": IG_TOKEN}
        ).json()["id"]
        emulator.advance_clock(TWO_DAYS)

        def interactions() -> int:
            answer = graph.get(
                f"{media}/insights",
                params={"metric": "total_interactions", "access_token": IG_TOKEN},
            )
            return int(answer.json()["data"][0]["values"][0]["value"])

        tastes_url = f"{api.url}/_emulator/audiences/{IG}"
        liked = {"liked": ["people:people", "setting:outdoors"], "disliked": []}
        assert httpx.post(tastes_url, json=liked).status_code == 200
        assert httpx.get(tastes_url).json() == {"account_id": IG, **liked}
        when_liked = interactions()
        disliked = {"liked": [], "disliked": ["people:people", "setting:outdoors"]}
        assert httpx.post(tastes_url, json=disliked).status_code == 200
        when_disliked = interactions()
    # The same post, the same noise: only the tastes over what its mark says it shows differ.
    shown = [f"{dimension}:{value}" for dimension, value in LOOK.items()]
    for tastes, found in ((liked, when_liked), (disliked, when_disliked)):
        expected = figures_for(Tastes.from_json(tastes), shown, media)["total_interactions"]
        assert found == expected
    assert when_liked > 5 * when_disliked
    refused = httpx.post(tastes_url, json={"liked": ["colour:purple"]})
    assert refused.status_code == 400 and "'liked'" in refused.json()["error"]
