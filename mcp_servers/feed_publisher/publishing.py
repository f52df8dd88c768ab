"""Publishing a prepared photo to a Facebook Page and an Instagram business account."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from pydantic import BaseModel

from .graph import GraphClient

__all__ = [
    "FacebookPost",
    "InstagramMedia",
    "InstagramNotReady",
    "publish_facebook",
    "publish_instagram",
]


class FacebookPost(BaseModel):
    """A photo published on a Facebook Page."""

    photo_id: str
    post_id: str


class InstagramMedia(BaseModel):
    """A photo published on an Instagram business account."""

    container_id: str
    media_id: str


class InstagramNotReady(Exception):
    """The container did not reach FINISHED in time, or Meta marked it failed."""

    def __init__(self, container_id: str, status: str) -> None:
        self.container_id = container_id
        self.status = status
        super().__init__(f"Instagram container {container_id} is {status}")


@dataclass(frozen=True)
class ContainerPolling:
    """How long to wait for Meta to process a container, and how often to look."""

    first_delay: float = 0.25
    max_delay: float = 30.0
    deadline: float = 300.0


async def publish_facebook(
    graph: GraphClient, *, token: str, page_id: str, image_url: str, caption: str, alt_text: str
) -> FacebookPost:
    body = await graph.post(
        f"{page_id}/photos",
        token,
        {"url": image_url, "caption": caption, "alt_text_custom": alt_text, "published": "true"},
    )
    return FacebookPost(photo_id=str(body["id"]), post_id=str(body.get("post_id") or body["id"]))


async def publish_instagram(
    graph: GraphClient,
    *,
    token: str,
    ig_user_id: str,
    image_url: str,
    caption: str,
    alt_text: str,
    polling: ContainerPolling | None = None,
) -> InstagramMedia:
    polling = polling or ContainerPolling()
    created = await graph.post(
        f"{ig_user_id}/media",
        token,
        {"image_url": image_url, "caption": caption, "alt_text": alt_text},
    )
    container_id = str(created["id"])
    await _wait_until_finished(graph, token, container_id, polling)
    published = await graph.post(
        f"{ig_user_id}/media_publish", token, {"creation_id": container_id}
    )
    return InstagramMedia(container_id=container_id, media_id=str(published["id"]))


async def _wait_until_finished(
    graph: GraphClient, token: str, container_id: str, polling: ContainerPolling
) -> None:
    delay = polling.first_delay
    deadline = time.monotonic() + polling.deadline
    while True:
        body = await graph.get(container_id, token, {"fields": "status_code"})
        status = str(body.get("status_code", ""))
        if status == "FINISHED":
            return
        if status in ("ERROR", "EXPIRED", "PUBLISHED") or time.monotonic() > deadline:
            raise InstagramNotReady(container_id, status or "unknown")
        await asyncio.sleep(delay)
        delay = min(delay * 2, polling.max_delay)
