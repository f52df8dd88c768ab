"""What Claude is asked, and how its answers are read: prompts, JSON schema, checks.

Plain functions, tested without Temporal or Claude.
"""

from __future__ import annotations

import json
import re
from typing import Any

from feedpub.brands import Brand

__all__ = [
    "ANALYSIS_PROMPT",
    "CAPTION_SCHEMA",
    "LANGUAGE_NAMES",
    "CaptionProblem",
    "caption_system_prompt",
    "caption_user_prompt",
    "parse_captions",
]

INSTAGRAM_MAX_CHARS = 2200
INSTAGRAM_MAX_HASHTAGS = 30
ALT_TEXT_MAX_CHARS = 1000
LANGUAGE_NAMES = {"nl": "Dutch", "fr": "French", "en": "English", "de": "German", "es": "Spanish"}

ANALYSIS_PROMPT = (
    "Describe this photo for a social-media caption writer in 2 to 4 sentences of English: "
    "the subject, the setting, colours, mood. Facts only, no hashtags."
)

# Structured outputs take no length limits in the schema: they are checked in parse_captions.
CAPTION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "facebook_caption": {"type": "string"},
        "instagram_caption": {"type": "string"},
        "hashtags": {"type": "array", "items": {"type": "string"}},
        "alt_text": {"type": "string"},
    },
    "required": ["facebook_caption", "instagram_caption", "hashtags", "alt_text"],
    "additionalProperties": False,
}

_HASHTAG = re.compile(r"(?<!\w)#\w+")


class CaptionProblem(ValueError):
    """Claude's answer cannot be published as it is; the message says why."""


def caption_system_prompt(brand: Brand) -> str:
    """The brand's voice and rules; stable per brand, so it is sent for prompt caching."""
    language = LANGUAGE_NAMES.get(brand.language, brand.language)
    return (
        f"You write social-media captions for the brand '{brand.name}'.\n"
        f"Language code: {brand.language}. Write every caption and the alt text in {language}.\n"
        f"Brand voice: {brand.voice.strip()}\n"
        "Facebook: 1 to 3 sentences, no hashtags. Instagram: 1 to 3 sentences; hashtags go in "
        "the separate 'hashtags' list (without spaces). Alt text: a literal description of "
        "the photo for people who cannot see it. Never invent prices, dates or discounts."
    )


def caption_user_prompt(description: str) -> str:
    return f"Write the captions for this photo.\nPhoto description: {description.strip()}"


def parse_captions(text: str) -> dict[str, str]:
    """Claude's JSON answer as ``facebook``, ``instagram`` (with hashtags) and ``alt_text``."""
    try:
        data = json.loads(text)
    except ValueError:
        raise CaptionProblem("the answer was not JSON") from None
    if not isinstance(data, dict):
        raise CaptionProblem("the answer was not a JSON object")
    fields = {}
    for name in ("facebook_caption", "instagram_caption", "alt_text"):
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            raise CaptionProblem(f"'{name}' is missing or empty")
        fields[name] = value.strip()
    listed = data.get("hashtags") or []
    if not isinstance(listed, list):
        raise CaptionProblem("'hashtags' is not a list")
    tags = [t.replace(" ", "") for t in listed if isinstance(t, str) and t.strip()]
    tags = [t if t.startswith("#") else f"#{t}" for t in tags]
    instagram = fields["instagram_caption"]
    missing: list[str] = []
    for tag in tags:
        if not _has_hashtag(f"{instagram} {' '.join(missing)}", tag):
            missing.append(tag)
    if missing:
        instagram = f"{instagram}\n\n{' '.join(missing)}"
    if len(instagram) > INSTAGRAM_MAX_CHARS:
        raise CaptionProblem(f"the Instagram caption has {len(instagram)} characters (max 2200)")
    if len(_HASHTAG.findall(instagram)) > INSTAGRAM_MAX_HASHTAGS:
        raise CaptionProblem("the Instagram caption has more than 30 hashtags")
    return {
        "facebook": fields["facebook_caption"],
        "instagram": instagram,
        "alt_text": fields["alt_text"][:ALT_TEXT_MAX_CHARS],
    }


def _has_hashtag(text: str, tag: str) -> bool:
    # A whole-tag match: "#pak" is not already present because the caption has "#pakken".
    return re.search(rf"(?<!\w){re.escape(tag)}(?!\w)", text, re.IGNORECASE) is not None
