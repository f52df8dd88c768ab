"""`POST /v1/messages` bodies checked the way the API checks them, into a `MessagesRequest`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import ApiError, invalid_request
from .models import KNOWN_MODELS, ModelSpec
from .prompt import Prompt, read_prompt
from .schemas import check_output_format

KNOWN_FIELDS = {"model", "messages", "max_tokens", "system", "metadata", "stop_sequences"}
KNOWN_FIELDS |= {"stream", "temperature", "top_p", "top_k", "tools", "tool_choice", "thinking"}
KNOWN_FIELDS |= {"output_config", "cache_control", "container", "diagnostics", "inference_geo"}
KNOWN_FIELDS |= {"service_tier", "speed"}
SAMPLING_FIELDS = ("temperature", "top_p", "top_k")


@dataclass
class MessagesRequest:
    """A valid request, reduced to what the emulator answers from."""

    model: ModelSpec
    max_tokens: int
    prompt: Prompt
    schema: dict[str, Any] | None
    """The JSON schema of `output_config.format`, if JSON output was asked for."""


def parse_messages_request(body: Any) -> MessagesRequest:
    """Check a decoded request body.

    Raises:
        ApiError: 400 `invalid_request_error` or 404 `not_found_error`, as the API would send.
    """
    if not isinstance(body, dict):
        raise invalid_request("body: Input should be a valid dictionary")
    for name in body:
        if name not in KNOWN_FIELDS:
            raise invalid_request(f"{name}: Extra inputs are not permitted")
    model = _model(body)
    max_tokens = _max_tokens(body, model)
    _check_options(body, model)
    prompt = read_prompt(body)
    schema = check_output_format(body.get("output_config"))
    return MessagesRequest(model=model, max_tokens=max_tokens, prompt=prompt, schema=schema)


def _model(body: dict[str, Any]) -> ModelSpec:
    model = body.get("model")
    if model is None:
        raise invalid_request("model: Field required")
    if not isinstance(model, str):
        raise invalid_request("model: Input should be a valid string")
    if model not in KNOWN_MODELS:
        raise ApiError("not_found_error", f"model: {model}")
    return KNOWN_MODELS[model]


def _max_tokens(body: dict[str, Any], model: ModelSpec) -> int:
    value = body.get("max_tokens")
    if value is None:
        raise invalid_request("max_tokens: Field required")
    if not isinstance(value, int) or isinstance(value, bool):
        raise invalid_request("max_tokens: Input should be a valid integer")
    if value < 1:
        raise invalid_request("max_tokens: Input should be greater than or equal to 1")
    if value > model.max_tokens:
        raise invalid_request(
            f"max_tokens: {value} > {model.max_tokens}, which is the maximum allowed number "
            f"of output tokens for {model.id}"
        )
    return value


def _check_options(body: dict[str, Any], model: ModelSpec) -> None:
    for name in SAMPLING_FIELDS:
        if body.get(name) is not None and not model.sampling_parameters:
            raise invalid_request(
                f"{name}: {model.id} does not support non-default sampling parameters; "
                f"remove `{name}` from the request"
            )
    for name in ("temperature", "top_p"):
        value = body.get(name)
        if value is not None and not (isinstance(value, int | float) and 0 <= value <= 1):
            raise invalid_request(f"{name}: Input should be a number between 0 and 1")
    if body.get("stream"):
        raise invalid_request("stream: the emulator does not stream; send the request unstreamed")
    tool_choice = body.get("tool_choice")
    forced = isinstance(tool_choice, dict) and tool_choice.get("type") in ("tool", "any")
    if forced and not model.forced_tool_use:
        raise invalid_request(f"tool_choice: forced tool use is not supported for {model.id}")
