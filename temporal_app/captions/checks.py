"""The rules a caption must keep before it is published, checked all at once.

Instagram's limits (2,200 characters, 30 hashtags, 20 mentions), alt text length, the brand's
language, its banned words, its emoji policy, and the links, phone numbers, e-mail addresses
and @mentions it does not allow. Each problem is one plain sentence, so it
can be told to Claude for the one regeneration, and to a person in the report.
"""

from __future__ import annotations

import re

from feedpub.brands import Brand

from .contacts import Allowlist, find_contacts
from .language import detect_language

__all__ = [
    "ALT_TEXT_MAX_CHARS",
    "FEW_EMOJI",
    "INSTAGRAM_MAX_CHARS",
    "INSTAGRAM_MAX_HASHTAGS",
    "INSTAGRAM_MAX_MENTIONS",
    "caption_problems",
    "is_contact_problem",
]

INSTAGRAM_MAX_CHARS = 2200
INSTAGRAM_MAX_HASHTAGS = 30
INSTAGRAM_MAX_MENTIONS = 20
ALT_TEXT_MAX_CHARS = 1000
FEW_EMOJI = 3
LANGUAGE_NAMES = {"nl": "Dutch", "fr": "French", "en": "English", "de": "German", "es": "Spanish"}
LANGUAGE_NAMES |= {"it": "Italian", "pt": "Portuguese"}
HASHTAG = re.compile(r"(?<!\w)#\w+")
MENTION = re.compile(r"(?<!\w)@[\w.]+")
_NAMES = {"facebook": "Facebook caption", "instagram": "Instagram caption", "alt_text": "alt text"}
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff]")


def caption_problems(captions: dict[str, str], written: dict[str, str], brand: Brand) -> list[str]:
    """What keeps ``captions`` (as published) from going out; empty when they may.

    Args:
        captions: ``facebook``, ``instagram``, ``alt_text`` as they would be published.
        written: the same fields as Claude wrote them, before the brand's call to action,
            signature and hashtags were added: the text whose language is judged.
        brand: whose language and rules apply.
    """
    problems = []
    instagram = captions["instagram"]
    if len(instagram) > INSTAGRAM_MAX_CHARS:
        problems.append(
            f"the Instagram caption has {len(instagram)} characters (max {INSTAGRAM_MAX_CHARS})"
        )
    if (tags := len(HASHTAG.findall(instagram))) > INSTAGRAM_MAX_HASHTAGS:
        problems.append(f"the Instagram caption has {tags} hashtags (max {INSTAGRAM_MAX_HASHTAGS})")
    for name in ("facebook", "instagram"):
        if (mentions := len(MENTION.findall(captions[name]))) > INSTAGRAM_MAX_MENTIONS:
            problems.append(f"the {_NAMES[name]} has {mentions} @-mentions (max 20)")
    if len(captions["alt_text"]) > ALT_TEXT_MAX_CHARS:
        problems.append(
            f"the alt text has {len(captions['alt_text'])} characters (max {ALT_TEXT_MAX_CHARS})"
        )
    problems += _language_problems(written, brand.language)
    problems += _voice_problems(captions, brand)
    problems += _contact_problems(captions, brand)
    return problems


def _language_problems(written: dict[str, str], language: str) -> list[str]:
    problems = []
    for name, text in written.items():
        found = detect_language(text, language)
        if found is not None and found != language:
            problems.append(
                f"the {name} is written in {LANGUAGE_NAMES.get(found, found)}, "
                f"not in {LANGUAGE_NAMES.get(language, language)}"
            )
    return problems


def _voice_problems(captions: dict[str, str], brand: Brand) -> list[str]:
    voice = brand.voice_settings
    problems = []
    for word in voice.banned_words:
        pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)
        used = [_NAMES.get(name, name) for name, text in captions.items() if pattern.search(text)]
        if used:
            problems.append(f"the banned word '{word}' is in the {' and the '.join(used)}")
    if voice.emoji != "free":
        limit = 0 if voice.emoji == "none" else FEW_EMOJI
        for name in ("facebook", "instagram"):
            if (count := len(_EMOJI.findall(captions[name]))) > limit:
                problems.append(
                    f"the {_NAMES[name]} has {count} emoji; the brand allows "
                    + ("none" if limit == 0 else f"at most {limit}")
                )
    return problems


_SETTING = {
    "link": "a link that is not in the brand's allowed_links",
    "phone number": "a phone number that is not in the brand's allowed_phone_numbers",
    "e-mail address": "an e-mail address that is not in the brand's allowed_emails",
    "@mention": "an @mention that is not in the brand's allowed_mentions",
}


def is_contact_problem(problem: str) -> bool:
    """Whether ``problem`` (one of ``caption_problems``) is a contact the brand does not allow."""
    return any(setting in problem for setting in _SETTING.values())


def _contact_problems(captions: dict[str, str], brand: Brand) -> list[str]:
    """Contacts the brand does not allow, each named once with the fields that give it. The
    call to action and signature are the brand's own, so what they give is allowed."""
    allowed = Allowlist.of(brand.voice_settings)
    used: dict[tuple[str, str], list[str]] = {}
    for name, text in captions.items():
        for contact in find_contacts(text):
            if not allowed.allows(contact):
                places = used.setdefault((contact.kind, contact.text), [])
                field = _NAMES.get(name, name)
                places += [] if field in places else [field]
    problems = []
    for (kind, text), places in used.items():
        # Shown defanged: the reason goes to chat and e-mail, which would make it a live link.
        shown = text.replace(".", "[.]") if kind in ("link", "e-mail address") else text
        verb = "contains" if len(places) == 1 else "contain"
        problems.append(f"the {' and the '.join(places)} {verb} {_SETTING[kind]}: {shown}")
    return problems
