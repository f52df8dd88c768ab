"""What the watchdog says: the silences that a worker cannot report about itself."""

from __future__ import annotations

from collections.abc import Callable

from .message import About, Said

__all__ = ["WATCH_TEXTS"]


def not_posting(about: About) -> Said:
    return Said(
        "no post for too long",
        [f"{about.name} has not posted for more than 1.5 times its posting interval.",
         about.notice.reason, *about.notice.lines,
         "Is the worker running? `feedpub schedules list` shows the last run of each brand."],
        about.brand_link(), "Brand",
    )  # fmt: skip


def schedule_missed(about: About) -> Said:
    window = (
        f" (later than its catch-up window of {about.brand.catchup_window_minutes} min)"
        if about.brand
        else ""
    )
    return Said(
        "schedule missed slots",
        [f"The schedule of {about.name} missed or skipped slots{window}: those posted nothing.",
         about.notice.reason, *about.notice.lines],
        about.brand_link(), "Brand",
    )  # fmt: skip


def schedule_paused(about: About) -> Said:
    days = f" for more than {about.brand.paused_alert_days} days" if about.brand else ""
    return Said(
        f"schedule paused{days}",
        [f"The schedule of {about.name} has been paused{days}: nothing is posted.",
         about.notice.reason, *about.notice.lines,
         f"To post again: feedpub schedules unpause {about.name}"],
        about.brand_link(), "Brand",
    )  # fmt: skip


def temporal_unreachable(about: About) -> Said:
    return Said(
        "the watchdog cannot reach Temporal",
        ["The watchdog cannot reach Temporal: no brand posts, and feedpub cannot tell you of "
         "anything else, until it answers again.",
         about.notice.reason, *about.notice.lines],
        about.link("/"), "Console",
    )  # fmt: skip


WATCH_TEXTS: dict[str, Callable[[About], Said]] = {
    "not_posting": not_posting,
    "schedule_missed": schedule_missed,
    "schedule_paused": schedule_paused,
    "temporal_unreachable": temporal_unreachable,
}
