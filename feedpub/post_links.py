"""Where a published post can be seen: its public address on Facebook or Instagram."""

from __future__ import annotations

from urllib.parse import quote

from .contract.run import PublishReport

__all__ = ["facebook_post_url", "instagram_post_url"]


def facebook_post_url(report: PublishReport) -> str | None:
    post = report.facebook
    if post is None or post.status != "published" or not post.post_id:
        return None
    return f"https://www.facebook.com/{quote(post.post_id, safe='')}"


def instagram_post_url(report: PublishReport) -> str | None:
    media = report.instagram
    if media is None or media.status != "published" or not media.permalink:
        return None
    # The permalink comes from Meta: only a web address becomes a link.
    return media.permalink if media.permalink.startswith(("https://", "http://")) else None
