"""How a brand's team is told: the destinations' variables and the timings of its messages.

Destinations are apprise URLs, which hold secrets (a Slack webhook, an SMTP password, a
signing secret), so brands.toml names the variables that hold them, as it does Meta tokens.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "DEFAULT_NOTIFY_KEY",
    "is_notify_env",
    "notify_problems",
    "parse_duration",
    "weekly_time",
]

DEFAULT_NOTIFY_KEY = "notify_env"
"""The top-level list of destinations every brand is told at."""
# Only variables made for destinations: any other name (DATABASE_URL, a Meta token) would
# hand that secret to apprise as a URL to send to.
_NOTIFY_ENV = re.compile(r"^NOTIFY_[A-Z0-9_]+$")
# A wrong entry is repeated in the refusal only when it is shaped like a variable's name: an
# apprise URL put there by mistake holds a secret.
_ANY_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_DURATION = re.compile(r"^\s*(\d+)\s*(s|m|h|d)\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def is_notify_env(name: object) -> bool:
    """``name`` is a variable made to hold a destination (``NOTIFY_POMANDI_SLACK``)."""
    return isinstance(name, str) and _NOTIFY_ENV.fullmatch(name) is not None


def parse_duration(text: str) -> int:
    """Seconds in ``"6h"``, ``"30m"``, ``"45s"``, ``"2d"``; ValueError otherwise."""
    found = _DURATION.match(text)
    if not found:
        raise ValueError(f"{text!r} is not a duration like '6h', '30m' or '45s'")
    return int(found.group(1)) * _UNIT_SECONDS[found.group(2)]


def weekly_time(text: str) -> tuple[int, str] | None:
    """``"mon 09:00"`` as (weekday 0-6, ``"09:00"``); None for ``"off"``; ValueError else."""
    if text.strip() == "off":
        return None
    day, _, time = text.strip().partition(" ")
    if day.lower() not in _WEEKDAYS or not _TIME.match(time.strip()):
        raise ValueError(f"{text!r} is not a weekday and time like 'mon 09:00', nor 'off'")
    return _WEEKDAYS.index(day.lower()), time.strip()


def notify_problems(where: str, table: dict[str, Any]) -> list[str]:
    """The problems of one brand's notification fields (or of the top-level list)."""
    problems = []
    for position, name in enumerate(table.get("notify_env", []), start=1):
        if not is_notify_env(name):
            shown = repr(name) if isinstance(name, str) and _ANY_NAME.fullmatch(name) else None
            problems.append(
                f"{where}: field 'notify_env' has {shown or f'entry {position} (not shown)'}: "
                "it must name a variable starting NOTIFY_, such as NOTIFY_POMANDI_SLACK "
                "(never the URL itself)"
            )
    checks = {
        "notify_repeat_window": parse_duration,
        "digest": weekly_time,
        "daily_check_time": _clock,
    }
    for key, check in checks.items():
        if key in table:
            try:
                check(table[key])
            except ValueError as exc:
                problems.append(f"{where}: field '{key}': {exc}")
    for key, (low, high) in {"runway_warn_days": (1, 365), "paused_alert_days": (0, 365)}.items():
        if key in table and not low <= table[key] <= high:
            problems.append(f"{where}: field '{key}' must be between {low} and {high}")
    return problems


def _clock(text: str) -> str:
    if not _TIME.match(text):
        raise ValueError(f"{text!r} is not a HH:MM time")
    return text
