"""``MetaEmulator``: the in-memory Graph API, its ASGI app and the controls tests use."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette

from .app import build_app
from .audiences import Tastes
from .faults import FaultBook, FaultRule
from .post_changes import PostChange
from .request_log import GraphRequest, RequestLog
from .state import GraphState


class MetaEmulator:
    """An emulated Meta Graph API for Facebook Pages and Instagram business accounts.

    Args:
        processing_seconds: How long a new Instagram container stays ``IN_PROGRESS``.
        quota_total: Instagram publishes allowed per account in a rolling 24 h.
        seed: Seed for the RNG behind probabilistic faults.
        clock: Wall-clock source in seconds; ``advance_clock`` moves on top of it.
    """

    def __init__(
        self,
        *,
        processing_seconds: float = 0.2,
        quota_total: int = 100,
        seed: int | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.state = GraphState(
            processing_seconds=processing_seconds, quota_total=quota_total, clock=clock
        )
        self.faults = FaultBook(seed)
        self.request_log = RequestLog()
        self.app: Starlette = build_app(self.state, self.faults, self.request_log, self)

    def add_page(self, page_id: str, token: str) -> None:
        """Register a Facebook Page and a Page access token allowed to post to it."""
        self.state.add_page(page_id, token)

    def add_instagram_user(self, ig_user_id: str, token: str) -> None:
        """Register an Instagram business account and a token allowed to publish to it."""
        self.state.add_instagram_user(ig_user_id, token)

    def add_accounts(
        self, *, pages: dict[str, str] | None = None, instagram_users: dict[str, str] | None = None
    ) -> None:
        """Register many accounts at once: ``{account_id: token}`` for each kind."""
        for page_id, token in (pages or {}).items():
            self.add_page(page_id, token)
        for ig_user_id, token in (instagram_users or {}).items():
            self.add_instagram_user(ig_user_id, token)

    def expire_token(self, token: str) -> None:
        """From now on, calls with ``token`` fail with error 190 / subcode 463."""
        self.state.expire_token(token)

    def set_token_expiry(self, token: str, expires_at: float | None) -> None:
        """The token stays valid until emulator time ``expires_at`` (None: never expires)."""
        self.state.set_token_expiry(token, expires_at)

    def withhold_permission(self, token: str, permission: str, *, withheld: bool = True) -> None:
        """As if the user had not granted ``permission`` (e.g. ``instagram_manage_insights``,
        ``read_insights``) to ``token``; ``withheld=False`` grants it again."""
        self.state.withhold_permission(token, permission, withheld=withheld)

    def set_tastes(self, account_id: str, tastes: Tastes | dict[str, Any]) -> None:
        """Give the audience of ``account_id`` (an Instagram user or a Page) these tastes
        instead of those drawn from its id, until the next reset."""
        chosen = tastes if isinstance(tastes, Tastes) else Tastes.from_json(tastes)
        self.state.audiences.set_tastes(account_id, chosen)

    def tastes_of(self, account_id: str) -> Tastes:
        """The hidden tastes of ``account_id``'s audience."""
        return self.state.audiences.tastes_of(account_id)

    def change_next_post(
        self, account_id: str, change: str, *, keep_characters: int | None = None
    ) -> None:
        """Make the next post of ``account_id`` (a Page or an Instagram account) go live
        changed: ``cut_caption`` (to ``keep_characters``, default half), ``other_image``, or
        ``vanish`` (published, then answered as not existing)."""
        rule = PostChange(change, keep_characters)
        with self.state.lock:
            self.state.next_changes[account_id] = rule

    def now(self) -> float:
        """Emulator time, in seconds since the epoch."""
        return self.state.now()

    def advance_clock(self, seconds: float) -> None:
        """Move emulator time forward: containers finish or expire, the quota window slides,
        late insights arrive."""
        self.state.advance_clock(seconds)

    def set_fault(self, rule: FaultRule | dict[str, Any]) -> None:
        """Add a fault rule (a ``FaultRule`` or its JSON form); rules apply in the order added."""
        self.faults.add(rule if isinstance(rule, FaultRule) else FaultRule.from_json(rule))

    def clear_faults(self) -> None:
        self.faults.clear()

    def request_counts(self) -> Counter[str]:
        """Requests received per endpoint name (see ``ENDPOINTS``), faulted ones included."""
        return Counter(self.faults.request_counts)

    def requests(self) -> list[GraphRequest]:
        """The Graph requests received (the most recent 10,000), oldest first, as sent:
        method, path and query string, tokens included."""
        return self.request_log.all()

    def reset(self, *, keep_accounts: bool = True) -> None:
        """Forget posts, media, containers, faults, requests and clock moves; revive tokens."""
        self.state.reset(keep_accounts=keep_accounts)
        self.faults.reset()
        self.request_log.clear()

    def facebook_posts(self, page_id: str) -> list[dict[str, Any]]:
        """Published posts of a Page, oldest first."""
        with self.state.lock:
            return [post.as_record() for post in self.state.page_posts.get(page_id, [])]

    def instagram_media(self, ig_user_id: str) -> list[dict[str, Any]]:
        """Published media of an Instagram account, oldest first."""
        with self.state.lock:
            return [media.as_record() for media in self.state.media.get(ig_user_id, [])]

    def containers(self, ig_user_id: str) -> list[dict[str, Any]]:
        """Media containers of an Instagram account with their current ``status_code``."""
        with self.state.lock:
            now, processing = self.state.now(), self.state.processing_seconds
            return [
                c.as_record(now, processing)
                for c in self.state.containers.values()
                if c.ig_user_id == ig_user_id
            ]

    def snapshot(self) -> dict[str, Any]:
        """Everything published, by account: what ``GET /_emulator/posts`` returns."""
        with self.state.lock:
            return {
                "facebook": {p: self.facebook_posts(p) for p in sorted(self.state.page_ids)},
                "instagram": {u: self.instagram_media(u) for u in sorted(self.state.ig_user_ids)},
                "containers": {u: self.containers(u) for u in sorted(self.state.ig_user_ids)},
            }
