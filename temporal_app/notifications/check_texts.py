"""What the daily checks and the weekly digest say: the Meta token, the photos left, the week."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from feedpub.contract.console import history_path

from .message import About, Said

__all__ = ["CHECK_TEXTS", "token_steps"]

SYSTEM_USER_TOKEN = (
    "For a token that does not expire: in Meta Business Settings, Users > System users, add a "
    "system user, assign it the brand's Facebook Page and Instagram account, and generate a "
    "token for your app with expiry 'Never' and the permissions pages_show_list, "
    "pages_read_engagement, pages_manage_posts, instagram_basic, instagram_content_publish, "
    "instagram_manage_insights and read_insights (the posts' figures)."
)


def token_steps(about: About) -> list[str | None]:
    """Which token, where it goes, and how to make one that lasts."""
    variable = about.brand.meta_token_env if about.brand else "the brand's META_ACCESS_TOKEN_*"
    return [
        "",
        "What to do:",
        f"1. Put a new Page access token in {variable}, in the environment of the "
        "feed-publisher server (RUN_MODE=feed-publisher-mcp), then restart it.",
        f"2. {SYSTEM_USER_TOKEN}",
    ]


def _days(count: float) -> str:
    if count < 1:
        return "less than a day"
    whole = int(count)
    return f"{whole} day" if whole == 1 else f"{whole} days"


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def token_expiring(about: About) -> Said:
    notice = about.notice
    left = notice.days_left or 0.0
    expires = datetime.fromisoformat(notice.occurred_at) + timedelta(days=left)
    return Said(
        f"Meta token expires in {_days(left)}",
        [f"The Meta Page token of {about.name} expires in {_days(left)}, on "
         f"{about.time(expires)}.",
         "From then on every post of the brand fails until the token is replaced.",
         *token_steps(about)],
        about.brand_link(), "Brand",
    )  # fmt: skip


def token_invalid(about: About) -> Said:
    why = f": {about.notice.reason}" if about.notice.reason else "."
    return Said(
        "Meta token no longer works, posts fail",
        [f"Meta refuses the Page token of {about.name}{why}",
         "Every post of the brand fails until the token is replaced.",
         *token_steps(about)],
        about.brand_link(), "Brand",
    )  # fmt: skip


def _upload_line(about: About) -> str:
    folder = f" to its folder {about.brand.s3_prefix}" if about.brand else ""
    return f"Upload new photos of the brand{folder} in the photo bucket."


def photos_low(about: About) -> Said:
    notice, brand = about.notice, about.brand
    left, days = notice.photos_left or 0, notice.days_of_posts or 0.0
    rate = f" at {brand.posts_per_day} a day" if brand else ""
    warn = f"You are told below {brand.runway_warn_days} days of posts." if brand else None
    return Said(
        f"photos running low, {left} left",
        [f"{about.name} has {left} unused photo{'' if left == 1 else 's'} left: "
         f"{_number(days)} day{'' if _number(days) == '1' else 's'} of posts{rate}.",
         _upload_line(about), warn],
        about.brand_link(), "Brand",
    )  # fmt: skip


def photos_out(about: About) -> Said:
    return Said(
        "no unused photos left, posts stop",
        [f"{about.name} has no unused photo left: its next slots post nothing.",
         _upload_line(about)],
        about.brand_link(), "Brand",
    )  # fmt: skip


def weekly_digest(about: About) -> Said:
    lines: list[str | None] = [about.notice.reason, *about.notice.lines]
    if not about.notice.lines:
        lines.append("Nothing was posted last week.")
    link = about.link(history_path(about.name)) if about.name else None
    return Said("last week", lines, link, "History")


CHECK_TEXTS: dict[str, Callable[[About], Said]] = {
    "token_expiring": token_expiring,
    "token_invalid": token_invalid,
    "photos_low": photos_low,
    "photos_out": photos_out,
    "weekly_digest": weekly_digest,
}
