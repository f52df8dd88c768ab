"""JSON schemas for structured outputs: the subset the API compiles, and limits kept in text.

The API constrains decoding with a grammar built from the schema, and that grammar has no
numeric, length or item-count bounds: a schema that carries them is refused. The SDK
(`anthropic.transform_schema`, `messages.parse`) therefore moves such bounds into the
`description` as `{maxLength: 280}`; the emulator reads them back from there and keeps to
them, the way a model that reads the description would.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import invalid_request

_UNSUPPORTED = {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}
_UNSUPPORTED |= {"minLength", "maxLength", "maxItems", "uniqueItems", "minProperties"}
_UNSUPPORTED |= {"maxProperties"}
_BOUNDS_NOTE = re.compile(r"\{([^{}]*)\}\s*$")
_BOUND = re.compile(r"\b(\w+): (-?\d+)\b")
_WHERE = "output_config.format.schema"


def check_output_format(output_config: Any) -> dict[str, Any] | None:
    """The JSON schema asked for in `output_config.format`, checked like the API does.

    Returns:
        The schema, or None when no JSON output was asked for.

    Raises:
        ApiError: 400 when `output_config` is malformed or the schema uses unsupported keywords.
    """
    if output_config is None:
        return None
    if not isinstance(output_config, dict):
        raise invalid_request("output_config: Input should be a valid dictionary")
    output_format = output_config.get("format")
    if output_format is None:
        return None
    if not isinstance(output_format, dict) or output_format.get("type") != "json_schema":
        raise invalid_request("output_config.format.type: Input should be 'json_schema'")
    schema = output_format.get("schema")
    if not isinstance(schema, dict):
        raise invalid_request(f"{_WHERE}: Field required")
    _check_node(schema)
    return schema


def _check_node(node: Any) -> None:
    if not isinstance(node, dict):
        return
    type_name = node.get("type", "any")
    for keyword in sorted(_UNSUPPORTED):
        if keyword in node:
            raise invalid_request(
                f"{_WHERE}: For '{type_name}' type, property '{keyword}' is not supported"
            )
    if node.get("minItems", 0) not in (0, 1):
        raise invalid_request(
            f"{_WHERE}: For 'array' type, 'minItems' values other than 0 or 1 are not supported"
        )
    if type_name == "object" and node.get("additionalProperties") is not False:
        raise invalid_request(
            f"{_WHERE}: For 'object' type, 'additionalProperties' must be explicitly set to false"
        )
    for child in (node.get("properties") or {}).values():
        _check_node(child)
    for child in (node.get("$defs") or {}).values():
        _check_node(child)
    for key in ("anyOf", "allOf"):
        for child in node.get(key) or []:
            _check_node(child)
    _check_node(node.get("items"))


def limits_of(node: dict[str, Any]) -> dict[str, int]:
    """Bounds such as `maxLength` or `maxItems` that the SDK wrote into the description."""
    description = node.get("description")
    note = _BOUNDS_NOTE.search(description) if isinstance(description, str) else None
    return {key: int(value) for key, value in _BOUND.findall(note.group(1))} if note else {}
