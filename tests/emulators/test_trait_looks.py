"""The emulator answers a trait look, sent as the product sends it in a Message Batch, from the
photo's trait mark."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import anthropic
from PIL import Image

from devstack.anthropic_emulator import AnthropicEmulator
from devstack.trait_marks import paint_traits
from feedpub.photo_traits import traits_from_look
from temporal_app.traits.look import look_of, trait_look_request

TRUTHS = [
    {"subject": "portrait", "setting": "outdoors", "people": "people", "season": "summer"},
    {"subject": "garment", "setting": "studio", "people": "no-people", "season": "any"},
    {"subject": "scene", "setting": "indoors", "people": "people", "season": "winter"},
]


def image_block(truth: dict[str, str] | None, shade: int) -> dict[str, Any]:
    photo = Image.new("RGB", (1080, 1350), (shade, 90, 60))
    if truth is not None:
        photo = paint_traits(photo, truth)
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=85)
    data = base64.b64encode(out.getvalue()).decode()
    return {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": data}}


async def test_a_batch_of_trait_looks_is_answered_from_each_photos_mark(
    claude: anthropic.AsyncAnthropic, emulator: AnthropicEmulator
) -> None:
    emulator.batches.timing.fixed_seconds = 0.0
    photos = [(truth, image_block(truth, 40 + 30 * n)) for n, truth in enumerate(TRUTHS)]
    photos.append((None, image_block(None, 200)))
    requests: Any = [
        {"custom_id": f"p{n}", "params": trait_look_request("claude-haiku-5-5", image)}
        for n, (_, image) in enumerate(photos)
    ]
    batch = await claude.messages.batches.create(requests=requests)
    assert (await claude.messages.batches.retrieve(batch.id)).processing_status == "ended"
    results = {
        line.custom_id: line.result
        async for line in await claude.messages.batches.results(batch.id)
    }

    answers = []
    for n, (truth, _) in enumerate(photos):
        result: Any = results[f"p{n}"]
        assert result.type == "succeeded"
        assert result.message.usage.input_tokens > 1000  # the photo itself, about 1,500
        answer = look_of(result.message.content[0].text)
        traits_from_look(answer)
        answers.append(answer)
        if truth is not None:  # right, or wrong in one dimension (15 % of photos)
            assert sum(answer[d] != truth[d] for d in truth) <= 1
    assert sum(answer == truth for answer, (truth, _) in zip(answers, photos, strict=True)) >= 2
    again = await claude.messages.create(**requests[3]["params"])
    assert json.loads(again.content[0].text) == answers[3]  # no mark: the same answer each time
