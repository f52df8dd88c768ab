"""Publishing on a Facebook Page so that a retry never makes a second post.

Two steps, each recorded: upload the photo unpublished (a stray unpublished upload is
invisible and harmless), then publish a post with it. An attempt that finds the previous one
was cut off while publishing looks for the post on the Page before posting again.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from feedpub.contract.tools import FacebookPost

from .graph import GraphClient, parse_graph_time
from .publication_ledger import RecordSession

__all__ = ["publish_facebook_once"]

RECONCILE_SLACK = timedelta(minutes=2)
LISTING_LIMIT = 100
"""Recent posts read when looking for ours: busy Pages post more than the default 25."""


async def publish_facebook_once(
    graph: GraphClient,
    session: RecordSession,
    *,
    token: str,
    brand: str,
    page_id: str,
    media_key: str,
    image_url: str,
    caption: str,
    alt_text: str,
) -> FacebookPost:
    record = await session.begin(brand, media_key, caption)
    if record.state == "published" and record.fb_post_id and record.fb_photo_id:
        return FacebookPost(photo_id=record.fb_photo_id, post_id=record.fb_post_id)
    photo_id = record.fb_photo_id
    if photo_id is None:
        await session.update(state="uploading", call_started_at=datetime.now(UTC))
        uploaded = await graph.post(
            f"{page_id}/photos",
            token,
            {"url": image_url, "published": "false", "alt_text_custom": alt_text},
        )
        photo_id = str(uploaded["id"])
        record = await session.update(state="uploaded", fb_photo_id=photo_id)
    if record.state == "publishing" and record.call_started_at is not None:
        found = await _find_post(
            graph, session, token, brand, page_id, photo_id, caption, record.call_started_at
        )
        if found:
            await session.update(state="published", fb_post_id=found)
            return FacebookPost(photo_id=photo_id, post_id=found, reconciled=True)
    await session.update(state="publishing", call_started_at=datetime.now(UTC))
    posted = await graph.post(
        f"{page_id}/feed",
        token,
        {"message": caption, "attached_media": f'[{{"media_fbid": "{photo_id}"}}]'},
    )
    post_id = str(posted["id"])
    await session.update(state="published", fb_post_id=post_id, last_error=None)
    return FacebookPost(photo_id=photo_id, post_id=post_id)


async def _find_post(
    graph: GraphClient,
    session: RecordSession,
    token: str,
    brand: str,
    page_id: str,
    photo_id: str,
    caption: str,
    since: datetime,
) -> str | None:
    """Our post on the Page, if the cut-off attempt made it: the one showing our photo.

    The uploaded photo's id is exact; the text is only a fallback for a listing without
    attachments, and then only a post after we asked that no other run has claimed.
    """
    listing = await graph.get(
        f"{page_id}/published_posts",
        token,
        {"fields": "id,message,created_time,attachments", "limit": LISTING_LIMIT},
    )
    claimed = await session.claimed_ids(brand, "fb_post_id")
    for post in listing.get("data", []):
        attachments = (post.get("attachments") or {}).get("data")
        if attachments is not None:
            targets = {str((item.get("target") or {}).get("id")) for item in attachments}
            if photo_id in targets:
                return str(post["id"])
            continue
        created = parse_graph_time(post.get("created_time"))
        if (
            post.get("message") == caption
            and str(post.get("id")) not in claimed
            and created is not None
            and created >= since - RECONCILE_SLACK
        ):
            return str(post["id"])
    return None
