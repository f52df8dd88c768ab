"""What Claude is asked in a trait look, and how its answer is read.

One request per photo: the photo (Claude's copy, about 1,500 input tokens) and a short
question whose answer is constrained to the values of ``LOOK_DIMENSIONS``. The answer is read
here and checked by the feed-publisher (``traits_from_look``) before it is stored.
"""

from __future__ import annotations

import json
import re
from typing import Any

from feedpub.photo_traits import LOOK_DIMENSIONS

__all__ = ["LOOK_PROMPT", "LOOK_SCHEMA", "custom_id_of", "look_of", "trait_look_request"]

LOOK_PROMPT = (
    "Say what this photo shows, one value for each field: 'subject' (garment: the garment on "
    "its own; detail: a close-up; portrait: a person; scene: a wide view), 'setting', "
    "'people' (whether any person is in it) and 'season' (any when none shows)."
)
LOOK_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        dimension: {"type": "string", "enum": list(values)}
        for dimension, values in LOOK_DIMENSIONS.items()
    },
    "required": list(LOOK_DIMENSIONS),
    "additionalProperties": False,
}
_NOT_IN_A_CUSTOM_ID = re.compile(r"[^A-Za-z0-9_-]")


def trait_look_request(model: str, image: dict[str, Any]) -> dict[str, Any]:
    """The Messages API request (a Message Batch request's ``params``) for one photo, given
    as an image content block."""
    return {
        "model": model,
        "max_tokens": 100,
        "messages": [{"role": "user", "content": [image, {"type": "text", "text": LOOK_PROMPT}]}],
        "output_config": {"format": {"type": "json_schema", "schema": LOOK_SCHEMA}},
    }


def custom_id_of(index: int, key: str) -> str:
    """A batch request's id: unique in its batch by ``index``, readable by the key's name,
    within the 64 characters the API accepts."""
    name = _NOT_IN_A_CUSTOM_ID.sub("-", key.rsplit("/", 1)[-1])
    return f"p{index}-{name}"[:64]


def look_of(text: str) -> dict[str, str]:
    """The answer's fields as text (``{"subject": "detail", ...}``); ValueError when it is not
    a JSON object. Whether the values are known is the feed-publisher's to check."""
    try:
        answer = json.loads(text)
    except ValueError:
        raise ValueError(f"the answer is not JSON: {text[:80]!r}") from None
    if not isinstance(answer, dict):
        raise ValueError(f"the answer is not a JSON object: {text[:80]!r}")
    return {str(name): str(value) for name, value in answer.items() if value is not None}
