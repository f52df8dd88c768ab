"""The Message object the emulator sends back for a valid request."""

from __future__ import annotations

import json
import random
import secrets
import string
from typing import Any

from .described import facts_from_description
from .faults import FaultPlan
from .phrases import PHRASES, language_asked
from .trait_look import is_trait_look, trait_answer
from .usage import PromptCache, text_tokens
from .validation import MessagesRequest
from .writer import JsonAnswer, describe_images, one_field_in, spoiled

_ID_ALPHABET = string.ascii_letters + string.digits
_NOT_JSON = "Sure! Here is a caption for your photo: {}"


def compose_message(
    request: MessagesRequest,
    *,
    rng: random.Random,
    faults: FaultPlan,
    cache: PromptCache,
    now: float | None = None,
) -> dict[str, Any]:
    """A Messages API `message` answering `request`, with realistic usage; its prompt is
    cached as of `now` (the emulator's clock by default).

    Armed `refusal` and `non_json` faults change the answer here; an answer longer than
    `max_tokens` is cut and ends with stop_reason `max_tokens`, as the API's would.
    """
    language = language_asked(request.prompt.instructions)
    stop_reason, stop_details, text = "end_turn", None, None
    if faults.take("refusal"):
        stop_reason, stop_details = "refusal", {"type": "refusal", "category": None}
    elif request.schema is None:
        text = describe_images(request.prompt.images)
    elif faults.take("non_json"):
        text = _NOT_JSON.format(rng.choice(PHRASES[language].sentences))
    elif is_trait_look(request.schema) and request.prompt.images:
        image = request.prompt.images[0]
        text = trait_answer(image.traits, image.digest)
    else:
        images = request.prompt.images
        described = facts_from_description(request.prompt.instructions)
        wrong = faults.take("wrong_language")
        other = "fr" if language == "en" else "en"
        if wrong and wrong.field is None:
            language = other
        text = JsonAnswer(language, images or ([described] if described else []), rng).write(
            request.schema
        )
        if wrong and wrong.field is not None:
            text = one_field_in(text, wrong.field, PHRASES[other])
        text = spoiled(text, faults, PHRASES[language].sentences)
    output = max(1, text_tokens(text or ""))
    if text is not None and output > request.max_tokens:
        text, output, stop_reason = text[: request.max_tokens * 4], request.max_tokens, "max_tokens"
    # Structured outputs add the schema to the prompt, uncached.
    schema_tokens = text_tokens(json.dumps(request.schema)) if request.schema else 0
    usage = cache.usage_for(
        request.model, request.prompt.blocks, extra_input=schema_tokens, output=output, now=now
    )
    return {
        "id": "msg_01" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(22)),
        "type": "message",
        "role": "assistant",
        "model": request.model.id,
        "content": [] if text is None else [{"type": "text", "text": text}],
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "stop_details": stop_details,
        "usage": usage.as_json(),
    }
