"""A brand's optional style tables in ``brands.toml``: how captions sound, how photos are framed.

    [brands.pomandi.voice_settings]   # all optional
    tone = "warm, stylish, direct"
    banned_words = ["goedkoop"]
    fixed_hashtags = ["#pomandi"]
    allowed_links = ["pomandi.be"]
    ...
    [brands.pomandi.image]
    fit = "pad"
    pad_colour = "#1b2a41"

A brand without them keeps working: every field has a default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

__all__ = ["EMOJI_POLICIES", "IMAGE_FITS", "ImageSettings", "VoiceSettings", "check_style"]

EMOJI_POLICIES = ("none", "few", "free")
IMAGE_FITS = ("crop", "pad")
_HASHTAG = re.compile(r"^#?\w+$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_DOMAIN = r"(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}"
# What an entry of each allowlist must look like, and the example a refusal gives.
_ALLOWED = {
    "allowed_links": (re.compile(rf"^{_DOMAIN}$"), "a domain like 'pomandi.be'"),
    "allowed_mentions": (re.compile(r"^@?\w(?:[\w.]*\w)?$"), "an account like '@pomandi'"),
    "allowed_emails": (re.compile(rf"^[\w.+-]+@{_DOMAIN}$"), "an address like 'info@pomandi.be'"),
    "allowed_phone_numbers": (
        re.compile(r"^\+\d[\d ()./-]{6,}\d$"),
        "a number like '+32 3 231 45 67'",
    ),
}


@dataclass(frozen=True)
class VoiceSettings:
    """How the brand's captions sound, and the rules they must keep."""

    tone: str = ""
    """A few words on the tone (``warm, stylish, direct``)."""
    audience: str = ""
    """Who reads the posts."""
    words_to_use: tuple[str, ...] = ()
    """Words and phrases the brand likes to use."""
    banned_words: tuple[str, ...] = ()
    """Words that must never appear; a caption with one is regenerated or not posted."""
    emoji: str = "few"
    """``none`` (checked: no emoji at all), ``few`` (at most 3 per caption) or ``free``."""
    fixed_hashtags: tuple[str, ...] = ()
    """Hashtags on every Instagram post (``#pomandi``)."""
    rotating_hashtags: tuple[str, ...] = ()
    """A pool of hashtags; ``rotating_hashtag_count`` of them go on each post, varying by photo."""
    rotating_hashtag_count: int = 3
    call_to_action: str = ""
    """Ends every caption when set (``Maak een afspraak via de link in bio.``)."""
    signature: str = ""
    """Closes every caption when set (``— Team Pomandi``)."""
    allowed_links: tuple[str, ...] = ()
    """Domains a caption may link to, each with its subdomains (``pomandi.be``). Any other
    link, phone number, e-mail address or @mention in a caption is refused, unless the call
    to action or signature gives it."""
    allowed_mentions: tuple[str, ...] = ()
    """Accounts a caption may @mention (``@pomandi``)."""
    allowed_emails: tuple[str, ...] = ()
    """E-mail addresses a caption may give (``info@pomandi.be``)."""
    allowed_phone_numbers: tuple[str, ...] = ()
    """Phone numbers a caption may give, in international form (``+32 3 231 45 67``); the
    same number written the local way is allowed too."""


@dataclass(frozen=True)
class ImageSettings:
    """How a photo is brought into Instagram's ratios (4:5 to 1.91:1)."""

    fit: str = "crop"
    """``crop`` keeps the most detailed part; ``pad`` keeps the whole photo on bands of colour."""
    pad_colour: str = "#ffffff"
    """``#rrggbb`` of the bands, and of what shows through transparent pixels."""

    @property
    def pad_rgb(self) -> tuple[int, int, int]:
        red, green, blue = bytes.fromhex(self.pad_colour[1:])
        return red, green, blue


def check_style(where: str, table: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The brand's ``voice_settings`` and ``image`` tables as objects, and the problems found."""
    found: dict[str, Any] = {}
    problems: list[str] = []
    for key, kind in (("voice_settings", VoiceSettings), ("image", ImageSettings)):
        if key not in table:
            continue
        raw = table[key]
        if not isinstance(raw, dict):
            problems.append(f"{where}: field '{key}' must be a table ([brands.<name>.{key}])")
            continue
        values, wrong = _typed(f"{where}: field '{key}.", kind, raw)
        problems += wrong
        if not wrong:
            found[key] = kind(**values)
    if isinstance(found.get("voice_settings"), VoiceSettings):
        problems += _check_voice(f"{where}: field 'voice_settings.", found["voice_settings"])
    if isinstance(found.get("image"), ImageSettings):
        problems += _check_image(f"{where}: field 'image.", found["image"])
    return found, problems


def _typed(where: str, kind: type, raw: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    known = {field.name: field for field in fields(kind)}
    values: dict[str, Any] = {}
    problems = [f"{where}{key}' is not a known setting" for key in raw if key not in known]
    for key, value in raw.items():
        if key not in known:
            continue
        default = known[key].default
        if isinstance(default, tuple):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(f"{where}{key}' must be a list of strings")
                continue
            value = tuple(v.strip() for v in value if v.strip())
        elif isinstance(default, int) and (not isinstance(value, int) or isinstance(value, bool)):
            problems.append(f"{where}{key}' must be a whole number")
            continue
        elif isinstance(default, str) and not isinstance(value, str):
            problems.append(f"{where}{key}' must be a string")
            continue
        values[key] = value.strip() if isinstance(value, str) else value
    return values, problems


def _check_voice(where: str, voice: VoiceSettings) -> list[str]:
    problems = []
    if voice.emoji not in EMOJI_POLICIES:
        problems.append(f"{where}emoji' must be one of {', '.join(EMOJI_POLICIES)}")
    for key in ("fixed_hashtags", "rotating_hashtags"):
        for tag in getattr(voice, key):
            if not _HASHTAG.match(tag):
                problems.append(f"{where}{key}' has {tag!r}, not a hashtag (letters, digits, _)")
    for key, (pattern, example) in _ALLOWED.items():
        for entry in getattr(voice, key):
            if not pattern.match(entry):
                problems.append(f"{where}{key}' has {entry!r}, not {example}")
    if not 0 <= voice.rotating_hashtag_count <= 30:
        problems.append(f"{where}rotating_hashtag_count' must be between 0 and 30")
    if (
        len(voice.fixed_hashtags) + min(voice.rotating_hashtag_count, len(voice.rotating_hashtags))
        > 30
    ):
        problems.append(f"{where}fixed_hashtags' and rotating ones add up to more than 30")
    return problems


def _check_image(where: str, image: ImageSettings) -> list[str]:
    problems = []
    if image.fit not in IMAGE_FITS:
        problems.append(f"{where}fit' must be one of {', '.join(IMAGE_FITS)}")
    if not _COLOUR.match(image.pad_colour):
        problems.append(f"{where}pad_colour' must be a colour like '#1b2a41'")
    return problems
