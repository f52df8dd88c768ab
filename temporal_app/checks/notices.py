"""What a daily check tells: the notice for a brand's token or photo runway, or the
``back_to_normal`` that ends the condition when all is well again.

Problem notices carry the brand and the local date in their event id, so checks run twice on
one day tell once (the claims fold repeats anyway). A recovery carries the minute: a problem
told this morning and mended this afternoon is told as mended when checked again.
"""

from __future__ import annotations

from datetime import date, datetime

from feedpub.contract.notices import CONDITION_OF, Notice, NoticeKind, event_id_of
from feedpub.contract.tools import PhotoStock

from ..models import TokenCheck

__all__ = ["days_of_posts", "digest_notice", "runway_notice", "token_notice"]


def token_notice(brand: str, token: TokenCheck, at: datetime, day: date) -> Notice:
    """``token_invalid``, ``token_expiring`` with the days left, or back to normal."""
    if not token.valid:
        return _problem("token_invalid", brand, at, day, reason=token.problem)
    if token.problem:
        days = None
        if token.expires_at:
            expires = datetime.fromisoformat(token.expires_at.replace("Z", "+00:00"))
            days = round(max((expires - at).total_seconds(), 0.0) / 86400, 1)
        notice = _problem("token_expiring", brand, at, day, reason=token.problem)
        notice.days_left = days
        return notice
    return _back_to_normal(brand, "meta-token", at)


def days_of_posts(unused: int, posts_per_day: int) -> float:
    return round(unused / max(posts_per_day, 1), 1)


def runway_notice(
    brand: str, stock: PhotoStock, posts_per_day: int, warn_days: int, at: datetime, day: date
) -> Notice:
    """``photos_out`` at none left, ``photos_low`` below ``warn_days`` of posts, else back to
    normal."""
    days = days_of_posts(stock.unused, posts_per_day)
    if stock.unused == 0 or days < warn_days:
        kind: NoticeKind = "photos_out" if stock.unused == 0 else "photos_low"
        notice = _problem(kind, brand, at, day)
    else:
        notice = _back_to_normal(brand, "photos", at)
    notice.photos_left, notice.days_of_posts = stock.unused, days
    return notice


def digest_notice(
    brand: str, lines: list[str], at: datetime, week_of: date, *, asked: bool = False
) -> Notice:
    """The weekly digest; one event per brand and ISO week, and one per digest asked for by
    hand (at the minute it was asked)."""
    year, week, _ = week_of.isocalendar()
    parts = [f"{year}-W{week:02d}", *([f"asked-{at:%Y-%m-%dT%H:%M}"] if asked else [])]
    return Notice(
        event_id=event_id_of("weekly_digest", brand, *parts),
        kind="weekly_digest",
        brand=brand,
        occurred_at=at.isoformat(),
        lines=lines,
    )


def _problem(
    kind: NoticeKind, brand: str, at: datetime, day: date, reason: str | None = None
) -> Notice:
    event_id = event_id_of(kind, brand, day.isoformat())
    return Notice(event_id, kind, brand, occurred_at=at.isoformat(), reason=reason)


def _back_to_normal(brand: str, condition: str, at: datetime) -> Notice:
    assert condition in CONDITION_OF.values()
    event_id = event_id_of("back_to_normal", brand, condition, f"{at:%Y-%m-%dT%H:%M}")
    return Notice(event_id, "back_to_normal", brand, occurred_at=at.isoformat(), clears=[condition])
