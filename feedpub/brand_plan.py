"""Planning ahead: how long before its slot a post is prepared, and what happens at the slot.

    [brands.pomandi]
    plan_ahead = "18h"             # "0": prepare and publish at the slot itself
    batch_cutoff = "2h"            # a caption batch not ended by then gives way to one request
    at_slot_unapproved = "skip"    # or "publish": a planned post nobody decided on by its slot

A planned brand's runs overlap by design (two slots a day, 18 h ahead), its approval deadline is
the slot and its catch-up window follows from ``plan_ahead``: the schedule settings that say
otherwise (``overlap``, ``approval_timeout_minutes``, ``catchup_window_minutes``) are refused
beside a non-zero ``plan_ahead``.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "AT_SLOT_UNAPPROVED",
    "DEFAULT_BATCH_CUTOFF",
    "DEFAULT_PLAN_AHEAD",
    "MAX_PLAN_AHEAD_SECONDS",
    "PLAN_FIELDS",
    "parse_plan_duration",
    "plan_problems",
]

DEFAULT_PLAN_AHEAD = "18h"
DEFAULT_BATCH_CUTOFF = "2h"
AT_SLOT_UNAPPROVED = ("skip", "publish")
MAX_PLAN_AHEAD_SECONDS = 72 * 3600
"""Three days: further ahead, a reserved photo and its captions sit idle for too long."""
PLAN_FIELDS: dict[str, tuple[type, object]] = {
    "plan_ahead": (str, DEFAULT_PLAN_AHEAD),
    "batch_cutoff": (str, DEFAULT_BATCH_CUTOFF),
    "at_slot_unapproved": (str, AT_SLOT_UNAPPROVED[0]),
}
"""The optional fields of this module and their defaults, for the brands file's checks."""
# Settings a planned brand may not have: what each would break.
_AT_SLOT_ONLY = {
    "overlap": "a planned brand's runs overlap by design (allow_all); 'terminate_other' "
    "would kill a waiting run without giving its photo back",
    "approval_timeout_minutes": "a planned run's approval deadline is its slot",
    "catchup_window_minutes": "a planned brand's catch-up window follows from "
    "plan_ahead minus batch_cutoff",
}
# Whole minutes: the slot is a wall-clock time, so seconds would only blur it.
_DURATION = re.compile(r"^(?:0|(?:(\d{1,3})h)?(?:(\d{1,4})m)?)$")


def parse_plan_duration(text: str) -> int:
    """Seconds in ``"0"``, ``"18h"``, ``"90m"``, ``"1h30m"``; ValueError otherwise."""
    found = _DURATION.match(text.strip())
    if not found or not text.strip():
        raise ValueError(f"{text!r} is not a duration like '18h', '90m', '1h30m' or '0'")
    hours, minutes = (int(part or 0) for part in found.groups())
    return hours * 3600 + minutes * 60


def plan_problems(where: str, table: dict[str, Any]) -> list[str]:
    """The problems of one brand's planning fields, and of settings a planned brand refuses."""
    problems: list[str] = []
    plan_ahead = _duration(where, table, "plan_ahead", problems)
    if plan_ahead is not None and plan_ahead > MAX_PLAN_AHEAD_SECONDS:
        problems.append(f"{where}: field 'plan_ahead' must be at most '72h'")
    cutoff = _duration(where, table, "batch_cutoff", problems)
    if cutoff is not None and not 60 <= cutoff <= MAX_PLAN_AHEAD_SECONDS:
        problems.append(
            f"{where}: field 'batch_cutoff' must be between '1m' and '72h' (the ordinary "
            "caption request that replaces an unfinished batch needs time before the slot)"
        )
    if table.get("at_slot_unapproved", "skip") not in AT_SLOT_UNAPPROVED:
        problems.append(
            f"{where}: field 'at_slot_unapproved' must be one of {', '.join(AT_SLOT_UNAPPROVED)}"
        )
    if plan_ahead:
        shown = f"plan_ahead = {table.get('plan_ahead', DEFAULT_PLAN_AHEAD)!r}"
        shown += "" if "plan_ahead" in table else " (the default)"
        problems += [
            f"{where}: field '{key}' cannot be set with {shown}: {why}; remove '{key}' "
            "or set plan_ahead = '0' to publish at the slot as before"
            for key, why in _AT_SLOT_ONLY.items()
            if key in table
        ]
    return problems


def _duration(where: str, table: dict[str, Any], key: str, problems: list[str]) -> int | None:
    try:
        return parse_plan_duration(table.get(key, PLAN_FIELDS[key][1]))
    except ValueError as exc:
        problems.append(f"{where}: field '{key}': {exc}")
        return None
