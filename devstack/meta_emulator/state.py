"""The emulator's in-memory Graph: accounts, Page posts, Instagram containers and media."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from .audiences import Audiences
from .records import DAY_SECONDS, AccessToken, Container, InstagramMedia, PagePost, Photo

if TYPE_CHECKING:
    from .post_changes import PostChange

Published = InstagramMedia | PagePost

# Graph object ids are long decimal strings; starting high keeps them that shape.
FIRST_OBJECT_ID = 17_841_400_000_000_000


class GraphState:
    """Everything the emulated Graph API knows, guarded by one lock.

    Requests are served on the uvicorn thread while tests read the state from theirs, so
    every method takes ``lock``.
    """

    def __init__(
        self, *, processing_seconds: float, quota_total: int, clock: Callable[[], float]
    ) -> None:
        self.lock = threading.RLock()
        self.processing_seconds = processing_seconds
        self.quota_total = quota_total
        self._clock = clock
        self._clock_offset = 0.0
        self.tokens: dict[str, AccessToken] = {}
        self.audiences = Audiences()
        self.reset(keep_accounts=False)

    def now(self) -> float:
        """Emulator time: the injected clock plus whatever ``advance_clock`` added."""
        return self._clock() + self._clock_offset

    def advance_clock(self, seconds: float) -> None:
        with self.lock:
            self._clock_offset += seconds

    def reset(self, *, keep_accounts: bool = True) -> None:
        """Forget posts, containers and media (and accounts unless ``keep_accounts``)."""
        with self.lock:
            self._clock_offset = 0.0
            self._ids = itertools.count(FIRST_OBJECT_ID, 7)
            if keep_accounts:
                for token in self.tokens.values():
                    token.expired_at = token.expires_at = None
                    token.withheld.clear()
            else:
                self.tokens = {}
                self.page_ids: set[str] = set()
                self.ig_user_ids: set[str] = set()
            self.audiences.reset()
            self.images: dict[str, bytes] = {}
            """Published image bytes by SHA-256, served back where ``media_url`` points."""
            self.photos: dict[str, Photo] = {}
            self.page_posts: dict[str, list[PagePost]] = {}
            self.containers: dict[str, Container] = {}
            self.media: dict[str, list[InstagramMedia]] = {}
            self.next_changes: dict[str, PostChange] = {}
            """What happens to an account's next post, by Page or Instagram account id."""

    def new_id(self) -> str:
        with self.lock:
            return str(next(self._ids))

    def _token(self, value: str) -> AccessToken:
        return self.tokens.setdefault(value, AccessToken(value))

    def add_page(self, page_id: str, token: str) -> None:
        with self.lock:
            self.page_ids.add(page_id)
            self._token(token).page_ids.add(page_id)

    def add_instagram_user(self, ig_user_id: str, token: str) -> None:
        with self.lock:
            self.ig_user_ids.add(ig_user_id)
            self._token(token).ig_user_ids.add(ig_user_id)

    def expire_token(self, token: str) -> None:
        with self.lock:
            self._token(token).expired_at = self.now()

    def withhold_permission(self, token: str, permission: str, *, withheld: bool) -> None:
        with self.lock:
            record = self._token(token)
            if withheld:
                record.withheld.add(permission)
            else:
                record.withheld.discard(permission)

    def keep_image(self, image_sha256: str, data: bytes) -> None:
        with self.lock:
            self.images[image_sha256] = data

    def find_published(self, object_id: str) -> Published | None:
        """The Instagram media item or Page post with this id, if any (and not vanished)."""
        with self.lock:
            for media_items in self.media.values():
                for media in media_items:
                    if media.id == object_id:
                        return None if media.vanished else media
            for posts in self.page_posts.values():
                for post in posts:
                    if post.id == object_id:
                        return None if post.vanished else post
            return None

    def set_token_expiry(self, token: str, expires_at: float | None) -> None:
        with self.lock:
            record = self._token(token)
            record.expires_at, record.expired_at = expires_at, None

    def add_photo(
        self, page_id: str, image_sha256: str, caption: str, alt_text: str | None
    ) -> Photo:
        with self.lock:
            photo = Photo(self.new_id(), page_id, image_sha256, caption, alt_text, self.now())
            self.photos[photo.id] = photo
            return photo

    def add_page_post(self, page_id: str, message: str, photos: list[Photo]) -> PagePost:
        with self.lock:
            first = photos[0] if photos else None
            post = PagePost(
                id=f"{page_id}_{self.new_id()}",
                page_id=page_id,
                message=message,
                photo_ids=[photo.id for photo in photos],
                image_sha256=first.image_sha256 if first else None,
                alt_text=first.alt_text if first else None,
                created_at=self.now(),
            )
            for photo in photos:
                photo.post_id = post.id
            self.page_posts.setdefault(page_id, []).append(post)
            return post

    def posts_newest_first(self, page_id: str) -> list[PagePost]:
        with self.lock:
            posts = reversed(self.page_posts.get(page_id, []))
            return [post for post in posts if not post.vanished]

    def add_container(self, container: Container) -> None:
        with self.lock:
            self.containers[container.id] = container

    def container_status(self, container: Container) -> str:
        with self.lock:
            return container.status_code(self.now(), self.processing_seconds)

    def publish(self, container: Container) -> InstagramMedia:
        """Publish a container: every call makes a new media item, as on the real API."""
        with self.lock:
            media = InstagramMedia(
                id=self.new_id(),
                ig_user_id=container.ig_user_id,
                container_id=container.id,
                caption=container.caption,
                alt_text=container.alt_text,
                image_sha256=container.image_sha256,
                created_at=self.now(),
            )
            container.media_ids.append(media.id)
            self.media.setdefault(container.ig_user_id, []).append(media)
            return media

    def media_newest_first(self, ig_user_id: str) -> list[InstagramMedia]:
        with self.lock:
            return [m for m in reversed(self.media.get(ig_user_id, [])) if not m.vanished]

    def quota_usage(self, ig_user_id: str) -> int:
        """Publishes in the rolling 24 h window that ``content_publishing_limit`` reports."""
        with self.lock:
            since = self.now() - DAY_SECONDS
            return sum(1 for m in self.media.get(ig_user_id, []) if m.created_at > since)
