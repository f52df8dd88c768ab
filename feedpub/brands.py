"""The brands file (``brands.toml``): one table per brand, validated as a whole.

A broken file is reported once, with every problem naming the file, the brand and the field,
so an operator can fix it in one pass.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .brand_accounts import account_problems, prefix_overlaps
from .brand_learning import LEARNING_FIELDS, learning_problems
from .brand_notify import DEFAULT_NOTIFY_KEY, notify_problems, parse_duration
from .brand_plan import PLAN_FIELDS, parse_plan_duration, plan_problems
from .brand_style import ImageSettings, VoiceSettings, check_style
from .contract.schedules import schedule_id

__all__ = [
    "APPROVAL_MODES",
    "OVERLAP_POLICIES",
    "Brand",
    "BrandsFileError",
    "ImageSettings",
    "VoiceSettings",
    "load_brands",
    "parse_brands",
]

_DECLARED_TWICE = re.compile(r"^Cannot declare \('brands', '([^']+)'\) twice(?: \(at line (\d+))?")
_NAME = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_FIELDS: dict[str, type] = {
    "language": str,
    "time_zone": str,
    "posting_times": list,
    "s3_prefix": str,
    "facebook_page_id": str,
    "instagram_user_id": str,
    "meta_token_env": str,
    "voice": str,
}
# Optional fields and their defaults: how the brand is scheduled and approved.
_OPTIONAL: dict[str, tuple[type, object]] = {
    "enabled": (bool, True),
    "approval": (str, "none"),
    "approval_timeout_minutes": (int, 120),
    "overlap": (str, "skip"),
    "catchup_window_minutes": (int, 10),
    "jitter_seconds": (int, 0),
    "photo_search_seconds": (int, 600),
    "rejections_in_a_row": (int, 5),
    # Who is told, and when (see brand_notify).
    "notify_env": (list, []),
    "notify_repeat_window": (str, "6h"),
    "runway_warn_days": (int, 7),
    "paused_alert_days": (int, 3),
    "digest": (str, "mon 09:00"),
    "daily_check_time": (str, "08:00"),
    # How long ahead each post is prepared (see brand_plan).
    **PLAN_FIELDS,
    # What the brand learns from its posts' figures (see brand_learning).
    **LEARNING_FIELDS,
}
# Optional tables (see brand_style): caption voice rules and photo framing.
_STYLE_TABLES = ("voice_settings", "image")
_KIND_WORDS = {str: "a string", list: "a list", bool: "true or false", int: "a whole number"}
APPROVAL_MODES = ("none", "required")
OVERLAP_POLICIES = (
    "skip",
    "buffer_one",
    "buffer_all",
    "cancel_other",
    "terminate_other",
    "allow_all",
)


class BrandsFileError(Exception):
    """The brands file cannot be used; ``problems`` holds one line per problem."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = str(path)
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


@dataclass(frozen=True)
class Brand:
    """One brand whose feed feedpub publishes."""

    name: str
    """Short id, used in schedule ids and S3 paths (``pomandi``)."""
    language: str
    """ISO 639-1 code the captions must be written in (``nl``)."""
    time_zone: str
    """IANA zone the posting times are read in (``Europe/Brussels``)."""
    posting_times: tuple[str, ...]
    """Local ``HH:MM`` times of the daily posts."""
    s3_prefix: str
    """Folder in the photo bucket holding the brand's photos (``pomandi/``); it ends in ``/``
    and overlaps no other brand's, so a key belongs to one brand at most."""
    facebook_page_id: str
    """Meta's numeric id of the brand's Facebook Page."""
    instagram_user_id: str
    """Meta's numeric id of the brand's Instagram business account."""
    meta_token_env: str
    """Name of the environment variable that holds the brand's Page access token; always
    ``META_ACCESS_TOKEN_<something>``."""
    voice: str
    """Notes on tone and audience for the caption writer."""
    enabled: bool = True
    """False pauses the brand's schedule (with a note) instead of deleting it."""
    approval: str = "none"
    """``required``: a run waits for a person to approve the captions before publishing."""
    approval_timeout_minutes: int = 120
    """How long a run waits for a decision before it ends as ``expired``."""
    overlap: str = "skip"
    """What the schedule does when a slot comes while the previous run is still going."""
    catchup_window_minutes: int = 10
    """A slot missed by more than this (worker or Temporal down) is skipped, not posted late."""
    jitter_seconds: int = 0
    """Random delay up to this many seconds after each slot."""
    photo_search_seconds: int = 600
    """How long a run goes on taking photos when the ones it takes prove unusable."""
    rejections_in_a_row: int = 5
    """Photos refused one after another for the same cause before rejecting stops and an
    alert is raised: at that count the fault may be feedpub's, not the photos'."""
    voice_settings: VoiceSettings = field(default_factory=VoiceSettings)
    """Tone, audience, words, emoji, hashtags, call to action, signature (all optional)."""
    image: ImageSettings = field(default_factory=ImageSettings)
    """How photos are framed for Instagram: cropped (default) or padded in a colour."""
    notify_env: tuple[str, ...] = ()
    """The variables (``NOTIFY_*``) holding the apprise URLs of the brand's destinations: the
    file's top-level ``notify_env`` (every brand's), then the brand's own."""
    notify_repeat_window: str = "6h"
    """Repeats of a problem within this long fold into one follow-up with a count."""
    runway_warn_days: int = 7
    """Warn when the unused photos last fewer days of posts than this; alarm at none."""
    paused_alert_days: int = 3
    """Tell the team when the brand's schedule has been paused this many days (0: at once)."""
    digest: str = "mon 09:00"
    """When the weekly digest goes out, local time (``off`` for never)."""
    daily_check_time: str = "08:00"
    """When the daily checks (token, photos left) run, local time."""
    plan_ahead: str = "18h"
    """How long before each slot its run starts, prepares the post and waits (``"0"``: the
    run starts at the slot and publishes at once)."""
    batch_cutoff: str = "2h"
    """A planned run whose caption batch has not ended this long before the slot writes its
    captions with one ordinary request."""
    at_slot_unapproved: str = "skip"
    """A planned post nobody approved or rejected by its slot: ``skip`` or ``publish``."""
    learning: str = "photos+captions"
    """What the brand learns from its posts' figures: ``photos``, ``photos+captions``, ``off``."""
    exploration_percent: int = 20
    """Of the runs that learn, the share (%) that explore: the traits seen least first."""

    @property
    def schedule_id(self) -> str:
        return schedule_id(self.name)

    @property
    def repeat_window_seconds(self) -> int:
        return parse_duration(self.notify_repeat_window)

    @property
    def posts_per_day(self) -> int:
        return len(self.posting_times)

    @property
    def plan_ahead_seconds(self) -> int:
        return parse_plan_duration(self.plan_ahead)

    @property
    def batch_cutoff_seconds(self) -> int:
        return parse_plan_duration(self.batch_cutoff)

    @property
    def planned(self) -> bool:
        """Each run starts ``plan_ahead`` before its slot and publishes at the slot."""
        return self.plan_ahead_seconds > 0


def load_brands(path: Path | str) -> dict[str, Brand]:
    """Read and validate the brands file at ``path``."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BrandsFileError(path, ["file not found"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise BrandsFileError(path, [_toml_problem(str(exc))]) from None
    return parse_brands(raw, path)


def _toml_problem(message: str) -> str:
    twice = _DECLARED_TWICE.match(message)
    if twice:
        where = f" (second time at line {twice.group(2)})" if twice.group(2) else ""
        return f"brand '{twice.group(1)}' is declared twice{where}"
    return f"not valid TOML: {message}"


def parse_brands(raw: dict[str, Any], path: Path | str = "brands.toml") -> dict[str, Brand]:
    """Validate the parsed TOML document ``raw``; ``path`` is only used in messages."""
    problems: list[str] = [
        f"unknown top-level key '{key}'" for key in raw if key not in ("brands", DEFAULT_NOTIFY_KEY)
    ]
    defaults, default_problems = _default_notify(raw)
    problems += default_problems
    tables = raw.get("brands")
    if not isinstance(tables, dict) or not tables:
        raise BrandsFileError(path, [*problems, "no [brands.<name>] table"])
    brands: dict[str, Brand] = {}
    for name, table in tables.items():
        found = _check_brand(name, table, defaults)
        if isinstance(found, Brand):
            brands[name] = found
        else:
            problems.extend(found)
    problems += prefix_overlaps(tables)
    if problems:
        raise BrandsFileError(path, problems)
    return brands


def _default_notify(raw: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The top-level ``notify_env``: destinations every brand is told at."""
    value = raw.get(DEFAULT_NOTIFY_KEY, [])
    if not isinstance(value, list):
        return [], [f"top-level '{DEFAULT_NOTIFY_KEY}' must be a list"]
    return value, notify_problems("top-level", {"notify_env": value})


def _check_brand(name: str, table: Any, default_notify: list[str]) -> Brand | list[str]:
    where = f"brand '{name}'"
    if not isinstance(table, dict):
        return [f"{where}: must be a table"]
    problems = [] if _NAME.match(name) else [f"{where}: name must be lowercase a-z, 0-9, '-'"]
    problems += [
        f"{where}: unknown field '{key}'"
        for key in table
        if key not in _FIELDS and key not in _OPTIONAL and key not in _STYLE_TABLES
    ]
    for key, kind in _FIELDS.items():
        if key not in table:
            problems.append(f"{where}: missing field '{key}'")
        elif not isinstance(table[key], kind):
            problems.append(f"{where}: field '{key}' must be {_KIND_WORDS[kind]}")
    for key, (kind, _default) in _OPTIONAL.items():
        # bool is an int in Python: a `true` where a number belongs is still a mistake.
        value = table.get(key)
        if key in table and (
            not isinstance(value, kind) or (kind is int and isinstance(value, bool))
        ):
            problems.append(f"{where}: field '{key}' must be {_KIND_WORDS[kind]}")
    if problems:
        return problems
    problems += _check_values(where, table)
    style, style_problems = check_style(where, table)
    problems += style_problems
    if problems:
        return problems
    own = table.get("notify_env", [])
    notify_env = tuple(dict.fromkeys([*default_notify, *own]))
    return Brand(
        name=name,
        **{
            **table,
            "posting_times": tuple(table["posting_times"]),
            "notify_env": notify_env,
            **style,
        },
    )


def _check_values(where: str, table: dict[str, Any]) -> list[str]:
    problems = []
    if not _LANGUAGE.match(table["language"]):
        problems.append(f"{where}: field 'language' must be an ISO 639-1 code like 'nl'")
    try:
        ZoneInfo(table["time_zone"])
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(
            f"{where}: field 'time_zone' is not a known time zone: {table['time_zone']!r}"
        )
    times = table["posting_times"]
    if not times:
        problems.append(f"{where}: field 'posting_times' is empty")
    for value in times:
        if not isinstance(value, str) or not _TIME.match(value):
            problems.append(f"{where}: field 'posting_times' has {value!r}, not a HH:MM time")
    written = [value for value in times if isinstance(value, str)]
    if len(set(written)) != len(written):
        problems.append(f"{where}: field 'posting_times' repeats a time")
    return (
        problems
        + account_problems(where, table)
        + _check_operating(where, table)
        + notify_problems(where, table)
        + plan_problems(where, table)
        + learning_problems(where, table)
    )


def _check_operating(where: str, table: dict[str, Any]) -> list[str]:
    problems = []
    if table.get("approval", "none") not in APPROVAL_MODES:
        problems.append(f"{where}: field 'approval' must be one of {', '.join(APPROVAL_MODES)}")
    if table.get("overlap", "skip") not in OVERLAP_POLICIES:
        problems.append(f"{where}: field 'overlap' must be one of {', '.join(OVERLAP_POLICIES)}")
    limits = {
        "approval_timeout_minutes": (1, 24 * 60),
        "catchup_window_minutes": (1, 24 * 60),
        "jitter_seconds": (0, 3600),
        "photo_search_seconds": (1, 3600),
        "rejections_in_a_row": (2, 100),
    }
    for key, (low, high) in limits.items():
        if key in table and not low <= table[key] <= high:
            problems.append(f"{where}: field '{key}' must be between {low} and {high}")
    return problems
