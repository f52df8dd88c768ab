"""Pydantic's validation errors in an operator's words: the variable, then what it must be.

No line shows the value given: a secret set by mistake in the wrong variable, or a token
that is merely too short, must not reach a terminal or a log.
"""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr
from pydantic_core import ErrorDetails

__all__ = ["HOST_PORT", "WEB_ADDRESS", "describe_problem"]

HOST_PORT = r"^[^:\s]*:\d+$"
"""The pattern of a listen address such as ``0.0.0.0:9464``."""
WEB_ADDRESS = r"^https?://[^\s/]+\S*$"
"""The pattern of an address people open, such as ``https://feedpub.example``."""
MODEL_ID = r"^claude-[a-z0-9][a-z0-9.-]*$"
"""The pattern of a Claude model id, such as ``claude-haiku-5-5``."""

_WORDS = {
    "missing": "is not set; it is required (see .env.example)",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
}


def describe_problem(error: ErrorDetails) -> str:
    """One line for one validation error, starting with the variable's name."""
    name = ".".join(str(part) for part in error["loc"]) or "?"
    return f"{name.upper()} {_what_is_wrong(error)}"


def _what_is_wrong(error: ErrorDetails) -> str:
    kind, limits = error["type"], error.get("ctx") or {}
    if kind in _WORDS:
        return _WORDS[kind]
    if kind == "string_pattern_mismatch" and limits.get("pattern") == HOST_PORT:
        return "must be host:port, e.g. 0.0.0.0:9464"
    if kind == "string_pattern_mismatch" and limits.get("pattern") == WEB_ADDRESS:
        return "must be an http:// or https:// address, e.g. https://feedpub.example"
    if kind == "string_pattern_mismatch" and limits.get("pattern") == MODEL_ID:
        return "must be a Claude model id, e.g. claude-haiku-5-5"
    if kind == "too_short":
        return f"must be at least {limits.get('min_length')} characters"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return _bound(kind, limits)
    # Anything else: pydantic's own words, unless they quote what was given.
    message = error["msg"].removeprefix("Value error, ")
    given = error.get("input")
    if isinstance(given, SecretStr):
        given = given.get_secret_value()
    if isinstance(given, str) and given and given in message:
        return "is not valid"
    return message[:1].lower() + message[1:]


def _bound(kind: str, limits: dict[str, Any]) -> str:
    words = {
        "greater_than_equal": ("at least", "ge"),
        "less_than_equal": ("at most", "le"),
        "greater_than": ("more than", "gt"),
        "less_than": ("less than", "lt"),
    }
    phrase, key = words[kind]
    return f"must be {phrase} {limits.get(key)}"
