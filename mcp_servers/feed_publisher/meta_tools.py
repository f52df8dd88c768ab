"""The feed-publisher's tools on Meta: publish a prepared photo on a brand's Facebook Page and
Instagram account, once per run (one revision of a planned post), and check the brand's token
(raising or clearing its alerts) or only read what Meta says of it, and read a published post
back to compare it with what was sent.

Plain async functions, registered one by one in ``server.py``: each docstring is the tool's
description, each signature its schema. The brand's token is read here, on the server, and
never comes from the caller; the flows and their error handling live in the meta room.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Literal, TypeVar

from botocore.exceptions import ClientError
from mcp.server.mcpserver import Context

from feedpub.brands import Brand
from feedpub.contract.after_publishing import LiveCheck
from feedpub.contract.tools import FacebookPost, InstagramMedia, TokenHealth
from mcp_servers._errors import feed_error

from .context import FeedPublisherContext, app_of
from .library.keys import checked_media_key
from .library.photos import is_missing
from .meta.facebook_flow import publish_facebook_once
from .meta.instagram_flow import publish_instagram_once
from .meta.live_post import verify_live_post
from .meta.post_ids import checked_post_id
from .meta.publication_ledger import RecordSession
from .meta.publishing import publish_once
from .meta.token_check import check_token, read_token

T = TypeVar("T")


async def publish_facebook_photo(
    brand: str,
    run_id: str,
    media_key: str,
    caption: str,
    alt_text: str,
    ctx: Context,
    revision: int = 0,
) -> FacebookPost:
    """Publish the prepared photo `media_key` with `caption` on the brand's Facebook Page,
    once per run: a retry returns the post made by an earlier attempt. `revision` is the
    plan's: refused (RevisionRefused) when another revision of the run is published, is
    newer, or may have been published."""
    app = app_of(ctx)
    config = app.brand(brand)
    flow = partial(publish_facebook_once, page_id=config.facebook_page_id)
    post = Post(run_id, revision, media_key, caption, alt_text)
    return await _publish(app, config, "facebook", flow, post)


async def publish_instagram_photo(
    brand: str,
    run_id: str,
    media_key: str,
    caption: str,
    alt_text: str,
    ctx: Context,
    revision: int = 0,
) -> InstagramMedia:
    """Publish the prepared photo `media_key` on the brand's Instagram account, once per
    run (container → FINISHED → quota check → publish; a retry never re-publishes).
    `revision` is the plan's: a container made for another revision is never published, and
    a revision is refused (RevisionRefused) when another one is published, is newer, or may
    have been published."""
    app = app_of(ctx)
    config = app.brand(brand)
    flow = partial(publish_instagram_once, ig_user_id=config.instagram_user_id)
    post = Post(run_id, revision, media_key, caption, alt_text)
    return await _publish(app, config, "instagram", flow, post)


async def verify_post(
    brand: str,
    platform: Literal["facebook", "instagram"],
    post_id: str,
    caption: str,
    media_key: str,
    ctx: Context,
) -> LiveCheck:
    """Read the brand's published post `post_id` back from Meta and compare it with what was
    sent: the `caption`, and the image's perceptual hash with the prepared image `media_key`'s
    (Instagram's `media_url`; Facebook's attached photo). Answers `verified`, or the
    difference in plain words; `missing` when Meta says the post does not exist (its listings
    can lag: ask again a little later). Only a post published for the brand is read (else
    BadPostId, or PostNotOfBrand). Changes nothing."""
    app = app_of(ctx)
    config = app.brand(brand)
    key = checked_media_key(config, media_key)
    # The read token may call this tool, and it reads with the brand's publish token: only
    # the brand's own posts are read back, never another object through a crafted id.
    checked_post_id(brand, post_id)
    if not await app.publications.is_post_of(brand, platform, post_id):
        raise feed_error(
            "PostNotOfBrand",
            f"brand '{brand}': post_id is not a {platform} post published for this brand",
            retryable=False,
        )

    async def prepared_image() -> bytes:
        try:
            return await app.library.read(key)
        except ClientError as exc:
            if not is_missing(exc):
                raise
            raise feed_error("MediaNotFound", f"no media '{key}'", retryable=False) from None

    return await verify_live_post(
        app.graph, prepared_image, token=app.meta_token(config), platform=platform,
        post_id=post_id, caption=caption,
    )  # fmt: skip


async def check_meta_token(brand: str, ctx: Context) -> TokenHealth:
    """Ask Meta whether the brand's token is valid and when it expires; raise or clear the
    brand's token alerts accordingly."""
    app = app_of(ctx)
    token = app.meta_token(app.brand(brand))
    return await check_token(app.graph, app.alerts, brand=brand, token=token)


async def read_meta_token(brand: str, ctx: Context) -> TokenHealth:
    """Ask Meta whether the brand's token is valid and when it expires, as check_meta_token
    does, but raise or clear no alert: for readers (the console)."""
    app = app_of(ctx)
    return await read_token(app.graph, brand=brand, token=app.meta_token(app.brand(brand)))


@dataclass(frozen=True)
class Post:
    """What a publishing tool was asked to post: one revision of a run's post."""

    run_id: str
    revision: int
    media_key: str
    caption: str
    alt_text: str


async def _publish(
    app: FeedPublisherContext,
    brand: Brand,
    platform: str,
    flow: Callable[..., Awaitable[T]],
    post: Post,
) -> T:
    """The platform's ``flow`` run once for the post's run and revision on the brand's
    prepared image, with the brand's token read only once the flow holds its lock."""
    url = _image_url(app, brand, post.media_key)

    def attempt(session: RecordSession) -> Awaitable[T]:
        return flow(
            app.graph, session, token=app.meta_token(brand), brand=brand.name,
            media_key=post.media_key, image_url=url, caption=post.caption,
            alt_text=post.alt_text,
        )  # fmt: skip

    return await publish_once(
        app.publications, app.alerts, brand=brand.name, run_id=post.run_id, platform=platform,
        flow=attempt, revision=post.revision,
    )  # fmt: skip


def _image_url(app: FeedPublisherContext, brand: Brand, media_key: str) -> str:
    """A URL Meta can fetch the brand's prepared image ``media_key`` from, while it is valid."""
    key = checked_media_key(brand, media_key)
    return app.library.presigned_url(key, app.settings.media_url_ttl_seconds)
