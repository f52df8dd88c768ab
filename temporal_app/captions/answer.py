"""How Claude's answer becomes the captions that are published.

The brand's call to action, signature and hashtags are added here, by code, so they are always
there and always right.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from typing import Any

from feedpub.brands import VoiceSettings

__all__ = ["CaptionProblem", "compose_captions", "read_answer"]


class CaptionProblem(ValueError):
    """Claude's answer cannot be published as it is; the message says why."""


def read_answer(text: str) -> dict[str, Any]:
    """Claude's JSON answer, checked for shape: three non-empty texts and a hashtag list."""
    try:
        data = json.loads(text)
    except ValueError:
        raise CaptionProblem("the answer was not JSON") from None
    if not isinstance(data, dict):
        raise CaptionProblem("the answer was not a JSON object")
    answer: dict[str, Any] = {}
    for name in ("facebook_caption", "instagram_caption", "alt_text"):
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            raise CaptionProblem(f"'{name}' is missing or empty")
        answer[name] = value.strip()
    listed = data.get("hashtags") or []
    if not isinstance(listed, list):
        raise CaptionProblem("'hashtags' is not a list")
    answer["hashtags"] = [t for t in listed if isinstance(t, str) and t.strip()]
    description = data.get("description")
    answer["description"] = description.strip()[:1000] if isinstance(description, str) else ""
    return answer


def compose_captions(
    answer: dict[str, Any], voice: VoiceSettings, *, seed: str = ""
) -> dict[str, str]:
    """The captions as published: Claude's text, the call to action, signature and hashtags.

    ``seed`` picks the rotating hashtags: the same seed (the same photo), the same choice.
    """
    rotating = list(voice.rotating_hashtags)
    count = min(voice.rotating_hashtag_count, len(rotating))
    chosen = random.Random(hashlib.sha256(seed.encode()).digest()).sample(rotating, count)
    tags = [t.replace(" ", "") for t in [*answer["hashtags"], *voice.fixed_hashtags, *chosen]]
    tags = [t if t.startswith("#") else f"#{t}" for t in tags]
    ending = "\n".join(part for part in (voice.call_to_action, voice.signature) if part)
    facebook = _ended(answer["facebook_caption"], ending)
    instagram = _ended(answer["instagram_caption"], ending)
    missing: list[str] = []
    for tag in tags:
        if not _has_hashtag(f"{instagram} {' '.join(missing)}", tag):
            missing.append(tag)
    if missing:
        instagram = f"{instagram}\n\n{' '.join(missing)}"
    return {"facebook": facebook, "instagram": instagram, "alt_text": answer["alt_text"]}


def _ended(caption: str, ending: str) -> str:
    return f"{caption}\n\n{ending}" if ending and ending not in caption else caption


def _has_hashtag(text: str, tag: str) -> bool:
    # A whole-tag match: "#pak" is not already present because the caption has "#pakken".
    return re.search(rf"(?<!\w){re.escape(tag)}(?!\w)", text, re.IGNORECASE) is not None
