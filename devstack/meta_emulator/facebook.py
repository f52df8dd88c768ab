"""Facebook Page edges: ``/photos``, ``/feed`` and ``/published_posts``."""

from __future__ import annotations

import json
import re
from typing import Any

from .calls import GraphCall
from .errors import GraphError, invalid_param, missing_param
from .images import ImageFetchError, fetch_image, inspect_image_async
from .post_changes import apply_next_change
from .records import Photo, graph_time
from .rules import facebook_photo_problem, photo_download_failed

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
INDEXED_ATTACHMENT = re.compile(r"attached_media\[(\d+)\]")


def is_true(value: Any) -> bool:
    """Graph's reading of a boolean parameter sent as JSON, a form field or a query string."""
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() not in ("false", "0", "no", "")


async def post_page_photo(call: GraphCall) -> dict[str, Any]:
    """``POST /{page-id}/photos``: publish a photo now, or keep it to attach to a post later."""
    call.authorize_page()
    data = call.upload
    if data is None:
        url = call.text("url")
        if not url:
            raise GraphError(324, "(#324) Requires upload file: send `url` or a `source` file")
        try:
            data = await fetch_image(url)
        except ImageFetchError as exc:
            raise photo_download_failed(url, str(exc)) from exc
    info = await inspect_image_async(data)
    problem = facebook_photo_problem(info)
    if problem:
        raise problem
    # `message` is the deprecated name of `caption`; Meta still honours it.
    call.state.keep_image(info.sha256, data)
    caption = call.text("caption") or call.text("message")
    alt_text = call.params.get("alt_text_custom")
    photo = call.state.add_photo(call.object_id, info.sha256, caption, alt_text)
    if not is_true(call.params.get("published", True)):
        return {"id": photo.id}
    post = call.state.add_page_post(call.object_id, caption, [photo])
    apply_next_change(call.state, call.object_id, post)
    return {"id": photo.id, "post_id": post.id}


def attached_photo_ids(params: dict[str, Any]) -> list[str]:
    """Read ``attached_media`` as a JSON list, a list, or ``attached_media[i]`` form fields."""
    raw = params.get("attached_media")
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise invalid_param("param attached_media must be a JSON array") from exc
    items = list(raw) if isinstance(raw, list) else []
    indexed = sorted(
        (int(match[1]), value)
        for key, value in params.items()
        if (match := INDEXED_ATTACHMENT.fullmatch(key))
    )
    for _, value in indexed:
        try:
            items.append(json.loads(value) if isinstance(value, str) else value)
        except ValueError as exc:
            raise invalid_param("attached_media[i] must be a JSON object") from exc
    ids = [item.get("media_fbid") if isinstance(item, dict) else None for item in items]
    if not all(isinstance(media_fbid, str | int) for media_fbid in ids):
        raise invalid_param('attached_media items look like {"media_fbid": "<photo id>"}')
    return [str(media_fbid) for media_fbid in ids]


async def post_page_feed(call: GraphCall) -> dict[str, Any]:
    """``POST /{page-id}/feed``: a post made of a message and previously uploaded photos."""
    call.authorize_page()
    message = call.text("message")
    photos: list[Photo] = []
    for index, photo_id in enumerate(attached_photo_ids(call.params)):
        photo = call.state.photos.get(photo_id)
        if photo is None or photo.page_id != call.object_id:
            raise invalid_param(f"param attached_media[{index}] must be a valid photo of this Page")
        photos.append(photo)
    if not message and not photos:
        raise missing_param("message")
    # Attaching the same photo again makes another post: Meta has no idempotency key here.
    post = call.state.add_page_post(call.object_id, message, photos)
    apply_next_change(call.state, call.object_id, post)
    return {"id": post.id}


async def list_page_posts(call: GraphCall) -> dict[str, Any]:
    """``GET /{page-id}/feed`` and ``/published_posts``: newest first, ``limit`` at a time."""
    call.authorize_page()
    try:
        limit = min(int(call.text("limit", str(DEFAULT_PAGE_SIZE))), MAX_PAGE_SIZE)
    except ValueError as exc:
        raise invalid_param("param limit must be an integer") from exc
    fields = call.fields(("id", "message", "created_time"))
    data = []
    for post in call.state.posts_newest_first(call.object_id)[:limit]:
        record = {
            "id": post.id,
            "message": post.message,
            "created_time": graph_time(post.created_at),
            # Graph's default attachment fields name the attached photo as the target.
            "attachments": {
                "data": [{"media_type": "photo", "target": {"id": pid}} for pid in post.photo_ids]
            },
        }
        data.append({k: v for k, v in record.items() if k == "id" or k in fields})
    return {"data": data}
