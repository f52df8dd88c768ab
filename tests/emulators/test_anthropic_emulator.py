"""The Anthropic emulator, driven through the real `anthropic` SDK as the product drives it."""

from __future__ import annotations

import base64
import io
import json
import math
import os
import subprocess
import sys
import time
import uuid
from typing import Any

import anthropic
import httpx
import pytest
from PIL import Image
from pydantic import BaseModel, Field

from devstack.anthropic_emulator import AnthropicEmulator
from devstack.anthropic_emulator.phrases import PHRASES
from devstack.anthropic_emulator.signs import SIGN_COLOURS
from devstack.serve import ServedApp, free_port
from tests.polling import poll

from .conftest import API_KEY

MODEL = "claude-sonnet-5-5"
HELLO: Any = [{"role": "user", "content": "Hi"}]

pytestmark = pytest.mark.usefixtures("fresh_emulator")


class CaptionSet(BaseModel):
    description: str
    facebook_caption: str
    instagram_caption: str
    hashtags: list[str] = Field(max_length=10)
    alt_text: str = Field(max_length=125)


def encoded(width: int, height: int, colour: str = "darkred", kind: str = "JPEG") -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, kind)
    return base64.b64encode(buffer.getvalue()).decode()


def image_block(data: str, media_type: str = "image/jpeg") -> dict[str, Any]:
    return {"type": "image", "source": {"type": "base64", "media_type": media_type, "data": data}}


def photo_message(text: str, data: str, media_type: str = "image/jpeg") -> list[Any]:
    content = [image_block(data, media_type), {"type": "text", "text": text}]
    return [{"role": "user", "content": content}]


async def test_photo_is_described_from_its_pixels_and_counted_as_width_times_height_over_750(
    claude: anthropic.AsyncAnthropic,
) -> None:
    question = "Describe this photo."
    message = await claude.messages.create(
        model=MODEL, max_tokens=300, messages=photo_message(question, encoded(800, 600))
    )
    answer = message.content[0].text  # type: ignore[union-attr]
    assert "landscape" in answer and "800×600" in answer and "dark red" in answer
    assert message.stop_reason == "end_turn" and message.id.startswith("msg_")
    assert message.usage.input_tokens == 800 * 600 // 750 + math.ceil(len(question) / 4)
    assert message.usage.output_tokens == math.ceil(len(answer) / 4)
    assert message.usage.cache_read_input_tokens == 0


async def test_large_photo_is_counted_after_the_server_side_downscale(
    claude: anthropic.AsyncAnthropic,
) -> None:
    message = await claude.messages.create(
        model=MODEL, max_tokens=300, messages=photo_message("?", encoded(3000, 2000, "white"))
    )
    # 3000×2000 would be 8000 tokens; the API first scales it under ~1.15 megapixels.
    assert 1450 <= message.usage.input_tokens <= 1600
    assert "white" in message.content[0].text  # type: ignore[union-attr]


async def dutch_captions(claude: anthropic.AsyncAnthropic) -> CaptionSet:
    """Captions of a portrait photo asked in Dutch, validated by pydantic against CaptionSet."""
    message = await claude.messages.parse(
        model=MODEL,
        max_tokens=2000,
        system="You write social posts for a shop. Language code: nl",
        messages=photo_message("Write the captions.", encoded(1080, 1350)),
        output_format=CaptionSet,
    )
    assert message.parsed_output is not None
    return message.parsed_output


async def test_captions_fit_the_schema_and_are_dutch_when_dutch_is_asked(
    claude: anthropic.AsyncAnthropic,
) -> None:
    captions = await dutch_captions(claude)
    assert captions.alt_text.startswith("Foto van")
    assert captions.description.startswith("Een staande foto")
    assert "#" in captions.instagram_caption and "#" not in captions.facebook_caption
    assert 1 <= len(captions.hashtags) <= 10
    assert all(tag.startswith("#") and " " not in tag for tag in captions.hashtags)


def photo_with_band(colour: tuple[int, int, int] | None) -> str:
    """A 1080×1350 JPEG, with a band of ``colour`` across its top eighth."""
    image = Image.new("RGB", (1080, 1350), (30, 60, 90))
    if colour is not None:
        image.paste(colour, (0, 0, 1080, 1350 // 8))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=75)
    return base64.b64encode(buffer.getvalue()).decode()


@pytest.mark.parametrize(
    ("colour", "sign"), [*SIGN_COLOURS.items(), (None, None), ((250, 10, 10), None)]
)
async def test_the_text_of_a_photos_sign_is_written_into_both_captions(
    claude: anthropic.AsyncAnthropic, colour: tuple[int, int, int] | None, sign: str | None
) -> None:
    message = await claude.messages.parse(
        model=MODEL,
        max_tokens=2000,
        system="Language code: en",
        messages=photo_message("Write the captions.", photo_with_band(colour)),
        output_format=CaptionSet,
    )
    captions = message.parsed_output
    assert captions is not None
    for caption in (captions.facebook_caption, captions.instagram_caption):
        if sign is None:
            assert not any(text in caption for text in SIGN_COLOURS.values())
        else:
            assert sign in caption


async def test_captions_are_french_and_keep_the_bounds_the_sdk_moved_into_descriptions(
    claude: anthropic.AsyncAnthropic,
) -> None:
    raw = CaptionSet.model_json_schema()
    raw["properties"]["hashtags"]["maxItems"] = 3
    message = await claude.messages.create(
        model=MODEL,
        max_tokens=2000,
        messages=photo_message("Language code: FR. Write the captions.", encoded(900, 900)),
        output_config={
            "format": {"type": "json_schema", "schema": anthropic.transform_schema(raw)}
        },
    )
    captions = CaptionSet.model_validate_json(message.content[0].text)  # type: ignore[union-attr]
    assert captions.alt_text.startswith("Photo d'une scène")
    assert captions.description.startswith("Une photo carrée")
    assert len(captions.hashtags) == 3


async def test_captions_without_the_photo_follow_the_description_given_in_the_prompt(
    claude: anthropic.AsyncAnthropic,
) -> None:
    described = await claude.messages.create(
        model=MODEL, max_tokens=300, messages=photo_message("Describe it.", encoded(1080, 1350))
    )
    description = described.content[0].text  # type: ignore[union-attr]
    message = await claude.messages.parse(
        model=MODEL,
        max_tokens=2000,
        system="Language code: nl",
        messages=[{"role": "user", "content": f"Photo description: {description}"}],
        output_format=CaptionSet,
    )
    assert message.parsed_output is not None
    assert message.parsed_output.alt_text.startswith("Foto van")
    assert "rode tinten" in message.parsed_output.alt_text
    assert message.parsed_output.description.startswith("Een staande foto")


async def test_schema_with_bounds_the_api_cannot_compile_is_refused(
    claude: anthropic.AsyncAnthropic,
) -> None:
    raw = CaptionSet.model_json_schema()  # carries maxItems/maxLength, as the API refuses
    raw["additionalProperties"] = False
    with pytest.raises(anthropic.BadRequestError, match=r"maxItems|maxLength"):
        await claude.messages.create(
            model=MODEL,
            max_tokens=100,
            messages=HELLO,
            output_config={"format": {"type": "json_schema", "schema": raw}},
        )


async def test_cached_system_prompt_is_written_once_then_read(
    claude: anthropic.AsyncAnthropic,
) -> None:
    rules = f"Brand rules {uuid.uuid4()}: " + "Warm, short, no emoji. " * 200
    system: Any = [{"type": "text", "text": rules, "cache_control": {"type": "ephemeral"}}]
    cached = math.ceil(len(rules) / 4)
    usages = [
        (
            await claude.messages.create(
                model=MODEL,
                max_tokens=100,
                system=system,
                messages=HELLO,
            )
        ).usage
        for _ in range(2)
    ]
    assert (usages[0].cache_creation_input_tokens, usages[0].cache_read_input_tokens) == (cached, 0)
    assert (usages[1].cache_creation_input_tokens, usages[1].cache_read_input_tokens) == (0, cached)
    assert usages[0].input_tokens == usages[1].input_tokens == 1  # only "Hi" is uncached


async def test_wrong_key_is_refused(served: ServedApp) -> None:
    async with anthropic.AsyncAnthropic(api_key="wrong", base_url=served.url, max_retries=0) as c:
        with pytest.raises(anthropic.AuthenticationError):
            await c.messages.create(model=MODEL, max_tokens=10, messages=HELLO)


async def test_unknown_model_is_not_found(claude: anthropic.AsyncAnthropic) -> None:
    with pytest.raises(anthropic.NotFoundError):
        await claude.messages.create(model="claude-sonnet-9", max_tokens=10, messages=HELLO)


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        pytest.param(encoded(10, 10), "image/bmp", id="unsupported-media-type"),
        pytest.param("this is not base64!", "image/jpeg", id="corrupt-base64"),
        pytest.param(base64.b64encode(b"\xff\xd8 not a jpeg").decode(), "image/jpeg", id="junk"),
        pytest.param(encoded(10, 10, kind="PNG"), "image/jpeg", id="png-sent-as-jpeg"),
    ],
)
async def test_bad_image_is_refused(
    claude: anthropic.AsyncAnthropic, data: str, media_type: str
) -> None:
    with pytest.raises(anthropic.BadRequestError):
        await claude.messages.create(
            model=MODEL, max_tokens=10, messages=photo_message("?", data, media_type)
        )


async def test_image_wider_than_8000_px_is_refused_with_its_error_code(
    claude: anthropic.AsyncAnthropic,
) -> None:
    data = encoded(8001, 8, kind="PNG")
    with pytest.raises(anthropic.BadRequestError) as refused:
        await claude.messages.create(
            model=MODEL, max_tokens=10, messages=photo_message("?", data, "image/png")
        )
    assert refused.value.error_code == "image_dimensions_too_large"


async def test_temperature_is_refused_by_sonnet_5_5_but_not_by_sonnet_4_6(
    claude: anthropic.AsyncAnthropic,
) -> None:
    with pytest.raises(anthropic.BadRequestError, match="temperature"):
        await claude.messages.create(
            model=MODEL, max_tokens=10, messages=HELLO, extra_body={"temperature": 0.2}
        )
    message = await claude.messages.create(
        model="claude-sonnet-4-6", max_tokens=50, messages=HELLO, extra_body={"temperature": 0.2}
    )
    assert message.stop_reason == "end_turn"


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("rate_limit", anthropic.RateLimitError),
        ("server_error", anthropic.InternalServerError),
        ("overloaded", anthropic.OverloadedError),
    ],
)
async def test_armed_fault_raises_the_sdk_error_once_then_clears(
    claude: anthropic.AsyncAnthropic,
    emulator: AnthropicEmulator,
    fault: str,
    error: type[anthropic.APIStatusError],
) -> None:
    emulator.set_fault(fault, times=1, seconds=3)
    with pytest.raises(error) as raised:
        await claude.messages.create(model=MODEL, max_tokens=10, messages=HELLO)
    assert type(raised.value) is error
    if fault == "rate_limit":
        assert raised.value.response.headers["retry-after"] == "3"
    message = await claude.messages.create(model=MODEL, max_tokens=100, messages=HELLO)
    assert message.stop_reason == "end_turn"


async def test_refusal_fault_stops_with_refusal_and_no_text(
    claude: anthropic.AsyncAnthropic, emulator: AnthropicEmulator
) -> None:
    emulator.set_fault("refusal")
    message = await claude.messages.create(
        model=MODEL, max_tokens=100, messages=photo_message("?", encoded(64, 64))
    )
    assert message.stop_reason == "refusal"
    assert message.content == []


async def test_non_json_fault_answers_prose_although_a_schema_was_asked(
    claude: anthropic.AsyncAnthropic, emulator: AnthropicEmulator
) -> None:
    emulator.set_fault("non_json")
    schema = anthropic.transform_schema(CaptionSet)
    message = await claude.messages.create(
        model=MODEL,
        max_tokens=500,
        messages=[{"role": "user", "content": "Captions please"}],
        output_config={"format": {"type": "json_schema", "schema": schema}},
    )
    with pytest.raises(json.JSONDecodeError):
        json.loads(message.content[0].text)  # type: ignore[union-attr]


async def test_latency_fault_delays_the_answer(
    claude: anthropic.AsyncAnthropic, emulator: AnthropicEmulator
) -> None:
    emulator.set_fault("latency", seconds=0.3)
    started = time.monotonic()
    await claude.messages.create(model=MODEL, max_tokens=10, messages=HELLO)
    assert time.monotonic() - started >= 0.3


async def test_answer_longer_than_max_tokens_is_cut(claude: anthropic.AsyncAnthropic) -> None:
    message = await claude.messages.create(
        model=MODEL, max_tokens=3, messages=photo_message("?", encoded(64, 64))
    )
    assert message.stop_reason == "max_tokens"
    assert message.usage.output_tokens == 3
    assert len(message.content[0].text) <= 12  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"max_tokens": 64_001}, id="max-tokens-over-the-model-cap"),
        pytest.param({"messages": [{"role": "assistant", "content": "Hi"}]}, id="assistant-first"),
        pytest.param({"messages": []}, id="no-messages"),
        pytest.param({"messages": [{"role": "user", "content": ""}]}, id="empty-text"),
    ],
)
async def test_malformed_request_is_refused(
    claude: anthropic.AsyncAnthropic, change: dict[str, Any]
) -> None:
    request: dict[str, Any] = {"max_tokens": 10, "messages": [{"role": "user", "content": "Hi"}]}
    with pytest.raises(anthropic.BadRequestError):
        # An explicit timeout: for a large max_tokens the SDK itself demands streaming otherwise.
        await claude.messages.create(model=MODEL, timeout=30, **{**request, **change})


async def test_x_api_key_is_accepted_and_anthropic_version_is_required(served: ServedApp) -> None:
    body = {"model": MODEL, "max_tokens": 10, "messages": [{"role": "user", "content": "Hi"}]}
    async with httpx.AsyncClient(base_url=served.url) as http:
        ok = await http.post(
            "/v1/messages",
            json=body,
            headers={"x-api-key": API_KEY, "anthropic-version": "2023-06-01"},
        )
        unversioned = await http.post("/v1/messages", json=body, headers={"x-api-key": API_KEY})
    assert ok.status_code == 200 and ok.json()["type"] == "message"
    assert unversioned.status_code == 400
    error = unversioned.json()
    assert error["error"]["type"] == "invalid_request_error"
    assert error["request_id"].startswith("req_")


async def test_faults_and_request_log_can_be_driven_over_http(
    claude: anthropic.AsyncAnthropic, served: ServedApp
) -> None:
    key = {"x-api-key": API_KEY}
    async with httpx.AsyncClient(base_url=served.url) as http:
        assert (
            await http.post("/_emulator/faults", json={"kind": "overloaded"})
        ).status_code == 401
        armed = await http.post("/_emulator/faults", json={"kind": "overloaded"}, headers=key)
        assert armed.json()["faults"][0]["kind"] == "overloaded"
        with pytest.raises(anthropic.OverloadedError):
            await claude.messages.create(
                model=MODEL, max_tokens=10, messages=photo_message("?", encoded(32, 32))
            )
        await http.delete("/_emulator/faults", headers=key)
        await claude.messages.create(model=MODEL, max_tokens=10, messages=HELLO)
        log = await http.get("/_emulator/requests", params={"limit": 1}, headers=key)
    assert log.json()["count"] == 2
    assert log.json()["requests"] == [
        {"model": MODEL, "max_tokens": 10, "messages": [{"role": "user", "content": "Hi"}]}
    ]
    assert API_KEY not in log.text


async def test_a_wrong_language_fault_on_one_field_leaves_the_other_fields_alone(
    claude: anthropic.AsyncAnthropic, served: ServedApp
) -> None:
    key = {"x-api-key": API_KEY}
    async with httpx.AsyncClient(base_url=served.url, headers=key) as http:
        misplaced = await http.post("/_emulator/faults", json={"kind": "latency", "field": "x"})
        armed = await http.post(
            "/_emulator/faults", json={"kind": "wrong_language", "field": "alt_text"}
        )
    assert misplaced.status_code == 400 and "wrong_language only" in misplaced.text
    assert armed.json()["faults"][0]["field"] == "alt_text"
    captions = await dutch_captions(claude)
    assert captions.alt_text.startswith("New collection")
    assert captions.description.startswith("Een staande foto")
    dutch = captions.facebook_caption
    for sentence in PHRASES["nl"].sentences:
        dutch = dutch.replace(sentence, "")
    assert dutch.strip() == "", captions.facebook_caption


async def test_request_log_keeps_image_sizes_not_image_data(
    claude: anthropic.AsyncAnthropic, emulator: AnthropicEmulator
) -> None:
    data = encoded(50, 40)
    await claude.messages.create(model=MODEL, max_tokens=50, messages=photo_message("?", data))
    source = emulator.requests[-1]["messages"][0]["content"][0]["source"]
    assert "data" not in source
    assert source["data_bytes"] == len(base64.b64decode(data))


async def test_models_are_listed(claude: anthropic.AsyncAnthropic) -> None:
    ids = [model.id async for model in claude.models.list()]
    assert {"claude-sonnet-5-5", "claude-haiku-5-5", "claude-opus-5-5"} <= set(ids)


async def test_standalone_server_reads_its_key_from_the_environment() -> None:
    port = free_port()
    env = {**os.environ, "ANTHROPIC_EMULATOR_API_KEY": API_KEY}
    command = [sys.executable, "-m", "devstack.anthropic_emulator", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    try:
        claude = anthropic.Anthropic(
            api_key=API_KEY, base_url=f"http://127.0.0.1:{port}", max_retries=0
        )

        def answered() -> anthropic.types.Message:
            assert process.poll() is None, "the emulator exited"
            return claude.messages.create(model=MODEL, max_tokens=10, messages=HELLO)

        message = await poll(
            answered, "the emulator to answer", timeout=15, ignoring=(anthropic.APIConnectionError,)
        )
        assert message.type == "message"
        assert API_KEY not in " ".join(command)
    finally:
        process.terminate()
        process.wait(timeout=10)
