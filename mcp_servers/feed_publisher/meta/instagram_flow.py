"""Publishing on Instagram so that a retry never makes a second post.

create container → wait for FINISHED → check the publishing quota → publish, each step
recorded. A retry reads the record and the container: PUBLISHED means done (the media is
looked up by its caption), FINISHED means publish, EXPIRED or ERROR means a new container.
Only ``media_publish`` can double a post, and it is only sent for a container that is not
PUBLISHED.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from feedpub.contract.tools import InstagramMedia

from .facebook_flow import RECONCILE_SLACK
from .graph import GraphClient, parse_graph_time
from .publication_ledger import PublicationRecord, RecordSession

__all__ = [
    "ContainerPolling",
    "InstagramNotReady",
    "InstagramQuotaReached",
    "publish_instagram_once",
]


class InstagramNotReady(Exception):
    """The container did not reach FINISHED in time, or Meta marked it failed."""

    def __init__(self, container_id: str, status: str) -> None:
        self.container_id = container_id
        self.status = status
        super().__init__(f"Instagram container {container_id} is {status}")


class InstagramQuotaReached(Exception):
    def __init__(self, usage: int, total: int) -> None:
        self.usage, self.total = usage, total
        super().__init__(f"{usage} of {total} posts in the last 24 hours")


@dataclass(frozen=True)
class ContainerPolling:
    """Meta's advice: look about once a minute, for at most five minutes; start sooner.

    The waits double from ``first_delay``: an image container is often ready within a second,
    and one that takes a minute costs ten status reads.
    """

    first_delay: float = 0.2
    max_delay: float = 60.0
    deadline: float = 300.0


async def publish_instagram_once(
    graph: GraphClient,
    session: RecordSession,
    *,
    token: str,
    brand: str,
    ig_user_id: str,
    media_key: str,
    image_url: str,
    caption: str,
    alt_text: str,
    polling: ContainerPolling = ContainerPolling(),
) -> InstagramMedia:
    record = await session.begin(brand, media_key, caption)
    if record.state == "published" and record.ig_container_id:
        return _media(record)
    container = record.ig_container_id
    if container:
        status = await _status(graph, token, container)
        await session.update(ig_container_status=status)
        if status == "PUBLISHED":
            return await _already_published(graph, session, token, record, ig_user_id, container)
        if status in ("EXPIRED", "ERROR"):
            container = None
    if container is None:
        await session.update(state="creating_container", call_started_at=datetime.now(UTC))
        created = await graph.post(
            f"{ig_user_id}/media",
            token,
            {"image_url": image_url, "caption": caption, "alt_text": alt_text},
        )
        container = str(created["id"])
        await session.update(state="container_created", ig_container_id=container)
    await _wait_until_finished(graph, session, token, container, polling)
    await _check_quota(graph, token, ig_user_id)
    await session.update(state="publishing", call_started_at=datetime.now(UTC))
    published = await graph.post(f"{ig_user_id}/media_publish", token, {"creation_id": container})
    media_id = str(published["id"])
    record = await session.update(state="published", ig_media_id=media_id, last_error=None)
    permalink = await _permalink(graph, token, media_id)
    if permalink:
        record = await session.update(permalink=permalink)
    return _media(record)


def _media(record: PublicationRecord, *, reconciled: bool = False) -> InstagramMedia:
    assert record.ig_container_id is not None
    return InstagramMedia(
        container_id=record.ig_container_id,
        media_id=record.ig_media_id,
        permalink=record.permalink,
        reconciled=reconciled,
    )


async def _status(graph: GraphClient, token: str, container: str) -> str:
    body = await graph.get(container, token, {"fields": "status_code"})
    return str(body.get("status_code") or "UNKNOWN")


async def _wait_until_finished(
    graph: GraphClient,
    session: RecordSession,
    token: str,
    container: str,
    polling: ContainerPolling,
) -> None:
    delay = polling.first_delay
    deadline = time.monotonic() + polling.deadline
    while True:
        status = await _status(graph, token, container)
        if status == "FINISHED":
            await session.update(ig_container_status=status)
            return
        if status in ("ERROR", "EXPIRED", "PUBLISHED") or time.monotonic() > deadline:
            await session.update(ig_container_status=status)
            raise InstagramNotReady(container, status)
        await asyncio.sleep(delay)
        delay = min(delay * 2, polling.max_delay)


async def _check_quota(graph: GraphClient, token: str, ig_user_id: str) -> None:
    body = await graph.get(
        f"{ig_user_id}/content_publishing_limit", token, {"fields": "quota_usage,config"}
    )
    entry = (body.get("data") or [{}])[0]
    usage = int(entry.get("quota_usage") or 0)
    total = int((entry.get("config") or {}).get("quota_total") or 0)
    if total and usage >= total:
        raise InstagramQuotaReached(usage, total)


async def _already_published(
    graph: GraphClient,
    session: RecordSession,
    token: str,
    record: PublicationRecord,
    ig_user_id: str,
    container: str,
) -> InstagramMedia:
    """The cut-off attempt did publish: find its media id by caption and time, never repost."""
    since = record.call_started_at or record.created_at
    listing = await graph.get(
        f"{ig_user_id}/media", token, {"fields": "id,caption,timestamp,permalink", "limit": 25}
    )
    claimed = await session.claimed_ids(record.brand, "ig_media_id")
    media_id = permalink = None
    for item in listing.get("data", []):
        created = parse_graph_time(item.get("timestamp"))
        if (
            item.get("caption") == record.caption
            and str(item.get("id")) not in claimed
            and created is not None
            and created >= since - RECONCILE_SLACK
        ):
            media_id, permalink = str(item["id"]), item.get("permalink")
            break
    updated = await session.update(
        state="published",
        ig_media_id=media_id,
        permalink=permalink,
        ig_container_status="PUBLISHED",
    )
    return _media(updated, reconciled=True)


async def _permalink(graph: GraphClient, token: str, media_id: str) -> str | None:
    # Nice to have in the report; never worth failing a published post over.
    try:
        body = await graph.get(media_id, token, {"fields": "permalink"})
    except Exception:
        return None
    value = body.get("permalink")
    return str(value) if value else None
