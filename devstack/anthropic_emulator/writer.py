"""What the emulator answers: JSON that fits the asked schema, or a plain image description.

The emulator is not a model, but the product must be able to use its answers: JSON is valid
against the schema and written in the asked language, and descriptions state real facts of
the decoded image (size, orientation, dominant colour, brightness).
"""

from __future__ import annotations

import json
import random
import re
import uuid
from typing import Any

from .faults import FaultPlan
from .images import ImageFacts
from .phrases import PHRASES, Phrases
from .schemas import limits_of

_FORMATTED = {
    "date-time": "2026-11-20T09:00:00Z",
    "date": "2026-11-20",
    "time": "09:00:00",
    "duration": "PT1H",
    "email": "hello@example.com",
    "hostname": "example.com",
    "uri": "https://example.com/",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
}
_LIGHT_EN = {"dark": "dark", "medium": "evenly lit", "bright": "bright"}


def describe_images(images: list[ImageFacts]) -> str:
    """A plain English description of each image, from facts read from its pixels."""
    if not images:
        return "There is no image in this message. Send a photo and I will describe it."
    lines = [
        f"A {image.orientation} photo ({image.width}×{image.height}), mostly "
        f"{(image.shade + ' ' + image.colour).strip()} tones, {_LIGHT_EN[image.brightness]}."
        for image in images
    ]
    if len(lines) == 1:
        return lines[0]
    return " ".join(f"Image {number}: {line}" for number, line in enumerate(lines, start=1))


class JsonAnswer:
    """Fills a JSON schema with content chosen by property name, in one language.

    Property names drive the content: `hashtag` → `#word` items; `alt` → short literal alt text;
    `caption` → one to three sentences, then the photo's sign if it has one (see `signs`), and
    a hashtag line when the name has `instagram`;
    `description` → a description of the image; `language` → the language code.
    """

    def __init__(self, language: str, images: list[ImageFacts], rng: random.Random) -> None:
        self._language = language
        self._phrases: Phrases = PHRASES[language]
        self._image = images[0] if images else None
        self._rng = rng
        # One order per answer, so the caption's hashtag line and a hashtag list agree.
        self._tags = rng.sample(self._phrases.hashtags, len(self._phrases.hashtags))

    def write(self, schema: dict[str, Any]) -> str:
        self._root = schema
        return json.dumps(self._fill(schema, ""), ensure_ascii=False)

    def _fill(self, node: dict[str, Any], name: str) -> Any:
        while "$ref" in node:  # only local refs (`#/$defs/X`) reach here
            node = self._root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        if "const" in node:
            return node["const"]
        if node.get("enum"):
            return self._rng.choice(node["enum"])
        variants = node.get("anyOf") or node.get("allOf")
        if variants:
            chosen = [v for v in variants if v.get("type") != "null"] or variants
            return self._fill(chosen[0], name)
        kind = node.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        limits = limits_of(node)
        if kind == "object":
            return {key: self._fill(child, key) for key, child in node["properties"].items()}
        if kind == "array":
            return self._array(node, name, limits)
        if kind == "integer" or kind == "number":
            low, high = limits.get("minimum", 1), limits.get("maximum", 10**6)
            return max(low, min(high, 3))
        if kind == "boolean":
            return True
        if kind == "string":
            return _fit(self._string(node, name), limits.get("maxLength"))
        return None

    def _array(self, node: dict[str, Any], name: str, limits: dict[str, int]) -> list[Any]:
        count = 5 if "hashtag" in name.lower() else 3
        count = min(count, limits.get("maxItems", count))
        count = max(count, node.get("minItems", 0), limits.get("minItems", 0))
        if "hashtag" in name.lower():
            return [f"#{word}" for word in self._hashtags(count)]
        return [self._fill(node.get("items") or {"type": "string"}, name) for _ in range(count)]

    def _string(self, node: dict[str, Any], name: str) -> str:
        lowered = name.lower()
        words = re.sub(r"([a-z])([A-Z])", r"\1 \2", name).lower().replace("_", " ").split()
        if "hashtag" in lowered:
            return " ".join(f"#{word}" for word in self._hashtags(5))
        if "alt" in words or lowered.startswith("alt"):
            return self._about_image(self._phrases.alt)
        if "caption" in lowered:
            count = self._rng.randint(1, 3)
            caption = " ".join(self._rng.sample(self._phrases.sentences, count))
            if self._image is not None and self._image.sign:
                caption += f" {self._image.sign}"  # obeys the text in the photo
            if "instagram" in lowered:
                caption += "\n\n" + " ".join(f"#{word}" for word in self._hashtags(5))
            return caption
        if "description" in lowered or "describe" in lowered:
            return self._about_image(self._phrases.description)
        if "language" in lowered or lowered in ("lang", "locale"):
            return self._language
        if node.get("format") == "uuid":
            return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
        if node.get("format") in _FORMATTED:
            return _FORMATTED[node["format"]]
        return self._rng.choice(self._phrases.sentences)

    def _about_image(self, template: str) -> str:
        image = self._image
        if image is None:
            return self._rng.choice(self._phrases.sentences)
        return template.format(
            orientation=self._phrases.orientations[image.orientation],
            colour=self._phrases.colours[image.colour],
            light=self._phrases.light[image.brightness],
        )

    def _hashtags(self, count: int) -> list[str]:
        return self._tags[:count]


def _fit(text: str, max_length: int | None) -> str:
    """`text` cut at a word boundary to at most `max_length` characters."""
    if max_length is None or len(text) <= max_length:
        return text
    cut = text[:max_length]
    return cut.rsplit(" ", 1)[0] if " " in cut.strip() else cut


def one_field_in(text: str, field: str, phrases: Phrases) -> str:
    """A JSON answer whose `field` is written in the language of `phrases`: three of its
    sentences, long enough for a language detector to judge (one short sentence may not be)."""
    data = json.loads(text)
    if isinstance(data, dict) and isinstance(data.get(field), str):
        data[field] = " ".join(phrases.sentences[:3])
    return json.dumps(data, ensure_ascii=False)


def spoiled(text: str, faults: FaultPlan, sentences: tuple[str, ...]) -> str:
    """A JSON answer broken the way an armed `long_caption` or `many_hashtags` fault asks:
    every Instagram caption made longer than 2,200 characters, every hashtag list 40 long."""
    long_caption, many_hashtags = faults.take("long_caption"), faults.take("many_hashtags")
    if not (long_caption or many_hashtags):
        return text
    data = json.loads(text)
    if isinstance(data, dict):
        for key, value in data.items():
            if long_caption and "instagram" in key.lower() and isinstance(value, str):
                filler = " ".join(sentences[i % len(sentences)] for i in range(120))
                data[key] = f"{value} {filler}"
            if many_hashtags and "hashtag" in key.lower() and isinstance(value, list):
                data[key] = [f"#tag{number}" for number in range(40)]
    return json.dumps(data, ensure_ascii=False)
