"""What feedpub's applications share to reach its servers: a failure told in one line, and the
MCP servers asked with the token that is just enough for what is asked."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, TypeVar

from feedpub.contract.tools import Tool

__all__ = ["AppError", "ask_feed_publisher", "mcp_token"]

R = TypeVar("R")


class AppError(Exception):
    """A failure to tell as one line; a command exits with ``code``."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def mcp_token(what: str, *, publishes: bool, env: Mapping[str, str] | None = None) -> str:
    """The bearer token for ``what``: the publish token (``MCP_AUTH_TOKEN``) when it changes
    state; else the read token (``MCP_READ_TOKEN``), or the publish token where no read token
    is set (whoever may publish may read). A missing one is an AppError naming the variable."""
    env = os.environ if env is None else env
    if publishes:
        if not env.get("MCP_AUTH_TOKEN"):
            raise AppError(
                f"{what} changes state: it needs the publish token MCP_AUTH_TOKEN (the "
                "worker's); the read token MCP_READ_TOKEN may only list and read",
                2,
            )
        return env["MCP_AUTH_TOKEN"]
    token = env.get("MCP_READ_TOKEN") or env.get("MCP_AUTH_TOKEN")
    if not token:
        raise AppError(f"MCP_READ_TOKEN (or MCP_AUTH_TOKEN) must be set to {what}", 2)
    return token


async def ask_feed_publisher(
    tool: Tool[R], arguments: dict[str, Any], *, what: str, publishes: bool = False
) -> R:
    """The structured answer of the feed-publisher server's ``tool``, over HTTP with the token
    ``mcp_token`` picks for ``what``; a missing token, no answer or a refusal is an AppError."""
    url = os.environ.get("FEED_PUBLISHER_MCP_URL", "http://127.0.0.1:8765/mcp")
    token = mcp_token(what, publishes=publishes)
    from temporal_app.mcp_client import McpConnection  # the MCP client: only when it is used

    server = McpConnection("feed-publisher", url, token, timeout=30)
    try:
        return await server.ask(tool, **arguments)
    except Exception as exc:
        raise AppError(f"the feed-publisher server at {url}: {exc}") from None
    finally:
        await server.close()
