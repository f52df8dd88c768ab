"""Instagram content publishing: containers, their status, ``media_publish``, the quota."""

from __future__ import annotations

from typing import Any

from .calls import GraphCall
from .errors import instagram_error, invalid_param, missing_param, unknown_object
from .images import ImageFetchError, fetch_image, inspect_image_async
from .post_changes import apply_next_change
from .records import DAY_SECONDS, Container, graph_time
from .rules import instagram_caption_problem, instagram_download_failed, instagram_image_problem

STATUS_TEXT = {
    "IN_PROGRESS": "In Progress: Media is still being processed.",
    "FINISHED": "Finished: Media has been uploaded and it is ready to be published.",
    "PUBLISHED": "Published: Media has been successfully published.",
    "EXPIRED": "Expired: Media was not published within 24 hours.",
}


async def create_container(call: GraphCall) -> dict[str, Any]:
    """``POST /{ig-user-id}/media``: download and check the image, start "processing" it."""
    call.authorize_instagram_user()
    if call.text("media_type", "IMAGE").upper() != "IMAGE" or "video_url" in call.params:
        raise invalid_param("The emulator publishes images only (media_type IMAGE)")
    image_url = call.text("image_url")
    if not image_url:
        raise missing_param("image_url")
    caption = call.text("caption")
    problem = instagram_caption_problem(caption)
    if problem:
        raise problem
    try:
        data = await fetch_image(image_url)
    except ImageFetchError as exc:
        raise instagram_download_failed(image_url, str(exc)) from exc
    info = await inspect_image_async(data)
    problem = instagram_image_problem(info)
    if problem:
        raise problem
    call.state.keep_image(info.sha256, data)
    container = Container(
        id=call.state.new_id(),
        ig_user_id=call.object_id,
        image_url=image_url,
        image_sha256=info.sha256,
        caption=caption,
        alt_text=call.params.get("alt_text"),
        created_at=call.state.now(),
        stuck=call.stuck,
    )
    call.state.add_container(container)
    return {"id": container.id}


async def publish_container(call: GraphCall) -> dict[str, Any]:
    """``POST /{ig-user-id}/media_publish``. Re-sending it for a PUBLISHED container posts
    again, as on the real API: there is no idempotency key."""
    call.authorize_instagram_user()
    creation_id = call.text("creation_id")
    if not creation_id:
        raise missing_param("creation_id")
    container = call.state.containers.get(creation_id)
    if container is None or container.ig_user_id != call.object_id:
        raise unknown_object(creation_id, call.method)
    if call.state.quota_usage(call.object_id) >= call.state.quota_total:
        raise instagram_error(
            9,
            2207042,
            "Application request limit reached",
            "Maximum number of posts reached",
            "You reached maximum number of posts that is allowed to be published by "
            "Content Publishing API.",
        )
    status_code = call.state.container_status(container)
    if status_code == "EXPIRED":
        raise instagram_error(
            -2,
            2207020,
            "The media you are trying to access has expired. Please try to upload again.",
            "Media expired",
            "The media container has expired; create a new one.",
            transient=False,
        )
    if status_code == "IN_PROGRESS":
        raise instagram_error(
            9007,
            2207027,
            "Media ID is not available",
            "Media not ready for publishing",
            "The media is not ready for publishing, please wait for a moment",
        )
    media = call.state.publish(container)
    apply_next_change(call.state, call.object_id, media)
    return {"id": media.id}


async def list_media(call: GraphCall) -> dict[str, Any]:
    """``GET /{ig-user-id}/media``: published media, newest first."""
    call.authorize_instagram_user()
    fields = call.fields(("id",))
    records = [m.as_record() for m in call.state.media_newest_first(call.object_id)]
    return {"data": [{k: r[k] for k in ["id", *fields] if k in r} for r in records]}


async def content_publishing_limit(call: GraphCall) -> dict[str, Any]:
    """``GET /{ig-user-id}/content_publishing_limit``: publishes in the rolling 24 h."""
    call.authorize_instagram_user()
    record = {
        "quota_usage": call.state.quota_usage(call.object_id),
        "config": {"quota_total": call.state.quota_total, "quota_duration": DAY_SECONDS},
    }
    fields = call.fields(("quota_usage", "config"))
    return {"data": [{k: v for k, v in record.items() if k in fields}]}


async def debug_token(call: GraphCall) -> dict[str, Any]:
    """``GET /debug_token?input_token=...``: is the token valid, and for what."""
    token = call.state.tokens.get(call.text("input_token"))
    if token is None:
        error = {"code": 190, "message": "Invalid OAuth access token."}
        return {"data": {"is_valid": False, "scopes": [], "error": error}}
    data: dict[str, Any] = {"type": token.kind, "scopes": token.scopes}
    token.expire_if_due(call.state.now())
    if token.expired_at is None:
        # Page tokens derived from a long-lived user token never expire (0), as on Meta.
        data.update(is_valid=True, expires_at=int(token.expires_at or 0))
    else:
        message = f"Session has expired on {graph_time(token.expired_at)}."
        data.update(
            is_valid=False,
            expires_at=int(token.expired_at),
            error={"code": 190, "subcode": 463, "message": message},
        )
    if token.page_ids:
        data["profile_id"] = sorted(token.page_ids)[0]
    return {"data": data}
