"""The feed-publisher's read-back of a live post against the Meta emulator, whose switches make
an account's next post go live with its caption cut, another image, or not at all."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from PIL import Image, ImageDraw
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from devstack.meta_emulator import MetaEmulator
from devstack.serve import ServedApp
from feedpub.contract.after_publishing import LiveCheck
from mcp_servers.feed_publisher.meta.graph import GraphClient, GraphUnreachable
from mcp_servers.feed_publisher.meta.live_post import LIVE_IMAGE_MAX_BYTES, verify_live_post

from .meta_served import Served, meta_and_photos

PAGE, PAGE_TOKEN = "1001", "page-token-1001"
IG, IG_TOKEN = "17841400000000001", "ig-token-1"
CAPTION = "Linen suits for the long evenings of June. #linen"


def photo() -> bytes:
    """A photo with shapes in it: a perceptual hash needs structure to tell pictures apart."""
    image = Image.new("RGB", (400, 500), (235, 225, 200))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 60, 220, 420), fill=(40, 60, 110))
    draw.ellipse((250, 80, 370, 200), fill=(190, 70, 40))
    draw.polygon([(230, 480), (390, 300), (390, 480)], fill=(60, 120, 60))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


PHOTO = photo()


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    async def moved(_: object) -> Response:
        return RedirectResponse("/photo.jpg", status_code=302)

    async def trickle(_: object) -> StreamingResponse:
        async def bytes_now_and_then() -> AsyncIterator[bytes]:
            while True:
                yield b"\xff"
                await asyncio.sleep(0.05)

        return StreamingResponse(bytes_now_and_then(), media_type="image/jpeg")

    odd = (Route("/moved.jpg", moved), Route("/trickle.jpg", trickle))
    with meta_and_photos(5, {"/photo.jpg": PHOTO}, *odd) as served:
        yield served


@pytest.fixture
async def meta(
    served: tuple[MetaEmulator, ServedApp, ServedApp],
) -> AsyncIterator[tuple[MetaEmulator, GraphClient, str]]:
    emulator, api, images = served
    emulator.reset(keep_accounts=False)
    emulator.add_page(PAGE, PAGE_TOKEN)
    emulator.add_instagram_user(IG, IG_TOKEN)
    async with httpx.AsyncClient(timeout=10) as http:
        yield emulator, GraphClient(http, base_url=api.url, version="v26.0"), images.url


async def _published(graph: GraphClient, image_url: str) -> tuple[str, str]:
    """An Instagram media item and a Facebook Page post, both of ``PHOTO`` and ``CAPTION``."""
    container = await graph.post(
        f"{IG}/media", IG_TOKEN, {"image_url": f"{image_url}/photo.jpg", "caption": CAPTION}
    )
    media = await graph.post(f"{IG}/media_publish", IG_TOKEN, {"creation_id": container["id"]})
    photo_on_page = await graph.post(
        f"{PAGE}/photos", PAGE_TOKEN, {"url": f"{image_url}/photo.jpg", "published": "false"}
    )
    attached = f'[{{"media_fbid": "{photo_on_page["id"]}"}}]'
    post = await graph.post(
        f"{PAGE}/feed", PAGE_TOKEN, {"message": CAPTION, "attached_media": attached}
    )
    return str(media["id"]), str(post["id"])


async def _checks(graph: GraphClient, media_id: str, post_id: str) -> tuple[LiveCheck, LiveCheck]:
    async def prepared() -> bytes:
        return PHOTO

    instagram = await verify_live_post(
        graph, prepared, token=IG_TOKEN, platform="instagram", post_id=media_id, caption=CAPTION
    )
    facebook = await verify_live_post(
        graph, prepared, token=PAGE_TOKEN, platform="facebook", post_id=post_id, caption=CAPTION
    )
    return instagram, facebook


async def test_posts_that_went_live_as_sent_are_verified_on_both_platforms(
    meta: tuple[MetaEmulator, GraphClient, str],
) -> None:
    _, graph, images = meta
    assert await _checks(graph, *await _published(graph, images)) == (
        LiveCheck(verified=True),
        LiveCheck(verified=True),
    )


async def test_a_cut_caption_and_another_image_are_named_in_plain_words(
    meta: tuple[MetaEmulator, GraphClient, str],
) -> None:
    emulator, graph, images = meta
    emulator.change_next_post(IG, "other_image")
    emulator.change_next_post(PAGE, "cut_caption", keep_characters=21)
    instagram, facebook = await _checks(graph, *await _published(graph, images))

    assert not instagram.verified and not instagram.missing
    assert instagram.difference and instagram.difference.startswith("wrong image (perceptual")
    assert facebook == LiveCheck(False, f"caption cut after 21 of {len(CAPTION)} characters")


async def test_a_post_that_vanished_is_missing_and_its_next_post_is_there_again(
    meta: tuple[MetaEmulator, GraphClient, str],
) -> None:
    emulator, graph, images = meta
    emulator.change_next_post(IG, "vanish")
    emulator.change_next_post(PAGE, "vanish")
    assert await _checks(graph, *await _published(graph, images)) == (
        LiveCheck(False, "post missing", missing=True),
        LiveCheck(False, "post missing", missing=True),
    )
    instagram, facebook = await _checks(graph, *await _published(graph, images))
    assert instagram.verified and facebook.verified


async def test_only_an_http_answer_of_2xx_within_the_deadline_is_taken_for_the_live_image(
    meta: tuple[MetaEmulator, GraphClient, str],
) -> None:
    _, graph, images = meta
    most = LIVE_IMAGE_MAX_BYTES
    assert await graph.download(f"{images}/photo.jpg", max_bytes=most) == PHOTO
    with pytest.raises(ValueError, match=r"not the image \(HTTP 302\)"):
        await graph.download(f"{images}/moved.jpg", max_bytes=most)
    for address in ("file:///etc/passwd", "ftp://cdn.example/p.jpg", "/p.jpg"):
        with pytest.raises(ValueError, match="not an http"):
            await graph.download(address, max_bytes=most)
    with pytest.raises(GraphUnreachable, match=r"did not come within 0\.3 s"):
        await graph.download(f"{images}/trickle.jpg", max_bytes=most, deadline_seconds=0.3)


async def test_a_live_image_that_is_no_image_is_said_so_in_plain_words(
    meta: tuple[MetaEmulator, GraphClient, str],
) -> None:
    emulator, graph, images = meta
    media_id, post_id = await _published(graph, images)
    with emulator.state.lock:  # the CDN answers a page where the photo should be
        emulator.state.images = dict.fromkeys(emulator.state.images, b"<html>sign in</html>")
    instagram, facebook = await _checks(graph, media_id, post_id)
    assert instagram == LiveCheck(False, "the live image is not a readable image")
    assert facebook == instagram
