"""``GET /{id}``: a container's status, or a published media item or Page post read back."""

from __future__ import annotations

from typing import Any

from .calls import GraphCall
from .errors import unknown_object
from .insights import figures_now
from .instagram import STATUS_TEXT
from .records import Container, InstagramMedia, PagePost, graph_time


def image_url(call: GraphCall, image_sha256: str | None) -> str | None:
    """Where the emulator serves its stored copy of a published image."""
    return f"{call.base_url}_emulator/images/{image_sha256}" if image_sha256 else None


def picked(call: GraphCall, record: dict[str, Any]) -> dict[str, Any]:
    """The requested fields that exist (unknown ones are left out), always with the id.
    A field with a modifier, such as ``reactions.summary(total_count)``, is read by its name."""
    wanted = {field.split(".")[0].split("{")[0] for field in call.fields(("id",))}
    return {k: v for k, v in record.items() if k == "id" or k in wanted}


def container_status(call: GraphCall, container: Container) -> dict[str, Any]:
    call.authorize_instagram_user(container.ig_user_id)
    if call.stuck and not container.media_ids:
        container.stuck = True
    status_code = call.state.container_status(container)
    record = {"id": container.id, "status_code": status_code, "status": STATUS_TEXT[status_code]}
    return picked(call, record)


def media_read_back(call: GraphCall, media: InstagramMedia) -> dict[str, Any]:
    call.authorize_instagram_user(media.ig_user_id)
    record = {**media.as_record(), "media_url": image_url(call, media.image_sha256)}
    return picked(call, record)


def post_read_back(call: GraphCall, post: PagePost) -> dict[str, Any]:
    call.authorize_page(post.page_id)
    reactions = figures_now(post, call.state)["reactions"]
    photos = [call.state.photos.get(pid) for pid in post.photo_ids]
    record = {
        "id": post.id,
        "message": post.message,
        "created_time": graph_time(post.created_at),
        "permalink_url": f"https://www.facebook.com/{post.id}",
        "attachments": {
            "data": [
                {
                    "media_type": "photo",
                    "target": {"id": photo.id},
                    "media": {"image": {"src": image_url(call, photo.image_sha256)}},
                }
                for photo in photos
                if photo is not None
            ]
        },
        # Graph lists each reaction in `data`; a summary is what clients ask for.
        "reactions": {"data": [], "summary": {"total_count": reactions}},
    }
    return picked(call, record)


async def read_object(call: GraphCall) -> dict[str, Any]:
    call.token()
    container = call.state.containers.get(call.object_id)
    if container is not None:
        return container_status(call, container)
    published = call.state.find_published(call.object_id)
    if isinstance(published, InstagramMedia):
        return media_read_back(call, published)
    if isinstance(published, PagePost):
        return post_read_back(call, published)
    raise unknown_object(call.object_id, call.method)
