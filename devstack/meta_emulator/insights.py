"""``GET /{ig-media-id}/insights`` and ``GET /{post-id}/insights``: metric validation, the
retired metrics, data that arrives late, and what the account's audience did with the post
(``audiences``)."""

from __future__ import annotations

import random
from typing import Any

from .audiences import figures_for
from .calls import GraphCall
from .errors import GraphError, missing_param, unknown_object
from .records import InstagramMedia, PagePost
from .state import GraphState, Published

HOUR_SECONDS = 3600
# Meta: "data may be delayed up to 48 hours". Each post gets its own delay in this range.
LATENESS_SECONDS = (1 * HOUR_SECONDS, 48 * HOUR_SECONDS)

INSTAGRAM_METRICS = {
    "views": ("Views", "The number of times your post was seen or played."),
    "reach": ("Accounts reached", "The number of unique accounts that saw your post."),
    "saved": ("Saved", "The number of saves of your post."),
    "shares": ("Shares", "The number of shares of your post."),
    "total_interactions": (
        "Interactions",
        "The number of likes, saves, comments and shares on your post, minus undone ones.",
    ),
    "likes": ("Likes", "The number of likes on your post."),
    "comments": ("Comments", "The number of comments on your post."),
}
INSTAGRAM_RETIRED: tuple[str, ...] = ("impressions", "plays", "video_views")
PAGE_POST_METRICS = {
    "post_total_media_view_unique": (
        "Lifetime Post Total Media Viewers",
        "The number of people who saw your post's media at least once.",
    ),
}
PAGE_POST_RETIRED = ("post_impressions", "post_impressions_unique")
INSIGHTS_PERMISSION = {InstagramMedia: "instagram_manage_insights", PagePost: "read_insights"}


def engagement_for(post: Published, state: GraphState) -> dict[str, int]:
    """What the account's audience did with ``post``: its tastes applied to what the published
    image truly shows, with the post's own noise."""
    account = post.ig_user_id if isinstance(post, InstagramMedia) else post.page_id
    shown = state.audiences.shown_by(post.image_sha256, state.images.get(post.image_sha256 or ""))
    return figures_for(state.audiences.tastes_of(account), shown, post.id)


def lateness_of(post: Published) -> float:
    """Seconds after publishing until ``post``'s figures show: fixed per post, at most 48 h."""
    return random.Random(f"lateness:{post.id}").uniform(*LATENESS_SECONDS)


def figures_now(post: Published, state: GraphState) -> dict[str, int]:
    """The engagement as the API shows it at the emulator's time. Meta documents only that
    insights may be up to 48 h late, not how; the API answers the metric with value 0 until
    then, and so does the emulator (an empty ``values`` list is not what clients see)."""
    figures = engagement_for(post, state)
    if state.now() < post.created_at + lateness_of(post):
        return dict.fromkeys(figures, 0)
    return figures


def retired_metric(name: str) -> GraphError:
    return GraphError(
        100,
        f"(#100) Starting from version v22.0 and above, the {name} metric is no longer "
        "supported. Please use the views metric instead.",
    )


def unknown_metric(index: int, known: dict[str, Any]) -> GraphError:
    return GraphError(
        100, f"(#100) metric[{index}] must be one of the following values: {', '.join(known)}"
    )


def missing_permission(post: Published) -> GraphError:
    if isinstance(post, InstagramMedia):
        return GraphError(
            10, "(#10) Application does not have permission for this action", status=403
        )
    return GraphError(200, "(#200) Requires read_insights permission", status=403)


async def read_insights(call: GraphCall) -> dict[str, Any]:
    """The requested metrics of one media item or Page post; several per call are allowed."""
    token = call.token()
    post = call.state.find_published(call.object_id)
    if post is None:
        raise unknown_object(call.object_id, call.method)
    if isinstance(post, InstagramMedia):
        call.authorize_instagram_user(post.ig_user_id)
        known, retired = INSTAGRAM_METRICS, INSTAGRAM_RETIRED
    else:
        call.authorize_page(post.page_id)
        known, retired = PAGE_POST_METRICS, PAGE_POST_RETIRED
    if INSIGHTS_PERMISSION[type(post)] in token.withheld:
        raise missing_permission(post)
    names = [name.strip() for name in call.text("metric").split(",") if name.strip()]
    if not names:
        raise missing_param("metric")
    for index, name in enumerate(names):
        if name in retired:
            raise retired_metric(name)
        if name not in known:
            raise unknown_metric(index, known)
    figures = figures_now(post, call.state)
    return {
        "data": [
            {
                "name": name,
                "period": "lifetime",
                "values": [{"value": figures[name]}],
                "title": known[name][0],
                "description": known[name][1],
                "id": f"{post.id}/insights/{name}/lifetime",
            }
            for name in names
        ]
    }
