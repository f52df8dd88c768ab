"""What the emulated Graph API remembers: tokens, Page photos and posts, Instagram containers
and media."""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass, field
from typing import Any

DAY_SECONDS = 86_400
PAGE_SCOPES = ("pages_show_list", "pages_read_engagement", "pages_manage_posts", "read_insights")
INSTAGRAM_SCOPES = (
    "instagram_basic",
    "instagram_content_publish",
    "instagram_manage_insights",
    "pages_read_engagement",
)


def graph_time(timestamp: float) -> str:
    """Format a time the way Graph does (``2026-11-03T09:00:00+0000``)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(timestamp))


@dataclass
class AccessToken:
    """A token and the Pages and Instagram accounts it may act for."""

    value: str
    page_ids: set[str] = field(default_factory=set)
    ig_user_ids: set[str] = field(default_factory=set)
    expired_at: float | None = None
    """Emulator time at which ``expire_token`` was called; ``None`` while valid."""
    expires_at: float | None = None
    """Emulator time at which the token will expire by itself; ``None``: never (Page tokens)."""
    withheld: set[str] = field(default_factory=set)
    """Permissions the user did not grant, such as ``instagram_manage_insights``."""

    def expire_if_due(self, now: float) -> None:
        if self.expired_at is None and self.expires_at is not None and now >= self.expires_at:
            self.expired_at = self.expires_at

    @property
    def kind(self) -> str:
        return "PAGE" if self.page_ids and not self.ig_user_ids else "USER"

    @property
    def scopes(self) -> list[str]:
        scopes = set(PAGE_SCOPES if self.page_ids else ())
        scopes |= set(INSTAGRAM_SCOPES if self.ig_user_ids else ())
        return sorted(scopes - self.withheld)


@dataclass
class Photo:
    """A photo uploaded to a Page; unpublished ones wait to be attached to a feed post."""

    id: str
    page_id: str
    image_sha256: str
    caption: str
    alt_text: str | None
    created_at: float
    post_id: str | None = None


@dataclass
class PagePost:
    """A published Facebook Page post."""

    id: str
    page_id: str
    message: str
    photo_ids: list[str]
    image_sha256: str | None
    alt_text: str | None
    created_at: float
    vanished: bool = False
    """Gone from Meta's reads since it was made (``post_changes``)."""

    def as_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "post_id": self.id,
            "page_id": self.page_id,
            "photo_id": self.photo_ids[0] if self.photo_ids else None,
            "photo_ids": list(self.photo_ids),
            "message": self.message,
            "caption": self.message,
            "image_sha256": self.image_sha256,
            "alt_text": self.alt_text,
            "created_time": graph_time(self.created_at),
        }


@dataclass
class Container:
    """An Instagram media container: processed for a while, then publishable for 24 h."""

    id: str
    ig_user_id: str
    image_url: str
    image_sha256: str
    caption: str
    alt_text: str | None
    created_at: float
    stuck: bool = False
    """Set by the ``stuck_in_progress`` fault: processing never ends."""
    media_ids: list[str] = field(default_factory=list)

    def status_code(self, now: float, processing_seconds: float) -> str:
        if self.media_ids:
            return "PUBLISHED"
        if now - self.created_at >= DAY_SECONDS:
            return "EXPIRED"
        if self.stuck or now - self.created_at < processing_seconds:
            return "IN_PROGRESS"
        return "FINISHED"

    def as_record(self, now: float, processing_seconds: float) -> dict[str, Any]:
        return {
            "id": self.id,
            "ig_user_id": self.ig_user_id,
            "status_code": self.status_code(now, processing_seconds),
            "image_url": self.image_url,
            "image_sha256": self.image_sha256,
            "caption": self.caption,
            "alt_text": self.alt_text,
            "created_time": graph_time(self.created_at),
            "media_ids": list(self.media_ids),
        }


@dataclass
class InstagramMedia:
    """A published Instagram post."""

    id: str
    ig_user_id: str
    container_id: str
    caption: str
    alt_text: str | None
    image_sha256: str
    created_at: float
    vanished: bool = False
    """Gone from Meta's reads since it was published (``post_changes``)."""

    @property
    def permalink(self) -> str:
        shortcode = base64.urlsafe_b64encode(int(self.id).to_bytes(8, "big")).decode().rstrip("=")
        return f"https://www.instagram.com/p/{shortcode}/"

    def as_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "ig_user_id": self.ig_user_id,
            "container_id": self.container_id,
            "caption": self.caption,
            "alt_text": self.alt_text,
            "image_sha256": self.image_sha256,
            "media_type": "IMAGE",
            "timestamp": graph_time(self.created_at),
            "permalink": self.permalink,
        }
