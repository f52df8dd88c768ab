"""What a bearer token between our processes must be, and the names an MCP server answers to.

A token is at least 32 characters (``secrets.token_urlsafe(24)`` gives 32) and is never the
placeholder ``.env.example`` ships with: a copied example file must not open the servers.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field, SecretStr

__all__ = ["MIN_TOKEN_LENGTH", "PLACEHOLDER_PREFIX", "BearerToken", "host_names"]

MIN_TOKEN_LENGTH = 32
PLACEHOLDER_PREFIX = "change-me"
"""How the placeholders of ``.env.example`` begin."""

_HOST = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*)(:(\d{1,5}|\*))?$")


def _not_a_placeholder(token: SecretStr) -> SecretStr:
    if token.get_secret_value().startswith(PLACEHOLDER_PREFIX):
        raise ValueError(
            "is the placeholder from .env.example; set a random one, e.g. the output of "
            "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    return token


BearerToken = Annotated[
    SecretStr, Field(min_length=MIN_TOKEN_LENGTH), AfterValidator(_not_a_placeholder)
]
"""A bearer token one of our processes sends or accepts."""


def host_names(value: str | None) -> list[str]:
    """The ``host`` or ``host:port`` names of a comma-separated list (``*`` for any port).

    Raises ValueError when an entry is no such name.
    """
    names = [name.strip() for name in (value or "").split(",") if name.strip()]
    for name in names:
        if not _HOST.match(name):
            raise ValueError(
                "must be host or host:port names separated by commas, "
                "e.g. feed-publisher-mcp,mcp.example.org:443"
            )
    return names
