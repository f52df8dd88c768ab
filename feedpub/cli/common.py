"""What the CLI commands share: settings, brands, a Temporal client, clear failures."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Coroutine, Mapping
from pathlib import Path
from typing import Any

from temporalio.client import Client

from feedpub.brands import Brand, BrandsFileError, load_brands
from feedpub.settings import SettingsError
from temporal_app.client import TemporalUnreachable, get_temporal_client

from .dev_settings import use_dev_settings

__all__ = [
    "CliError",
    "ask_feed_publisher",
    "brand_named",
    "brands_file",
    "connect",
    "load",
    "mcp_token",
    "run_command",
    "task_queue",
]


class CliError(Exception):
    """A failure to print as one line and exit with ``code``."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def brands_file(args: Any = None) -> Path:
    given = getattr(args, "brands", None)
    return Path(given or os.environ.get("BRANDS_FILE", "brands.toml"))


def load(args: Any = None) -> dict[str, Brand]:
    try:
        return load_brands(brands_file(args))
    except BrandsFileError as exc:
        raise CliError("\n".join([f"{exc.path}: cannot be used:", *exc.problems]), 2) from None


def brand_named(name: str, brands: dict[str, Brand]) -> Brand:
    if name not in brands:
        known = ", ".join(sorted(brands)) or "none"
        raise CliError(f"unknown brand '{name}'; known brands: {known}", 2)
    return brands[name]


def task_queue() -> str:
    return os.environ.get("TEMPORAL_TASK_QUEUE", "agent-tasks")


async def connect() -> Client:
    """A client from the ``TEMPORAL_*`` variables; a bad one, or no answer, is a CliError."""
    try:
        return await get_temporal_client()
    except SettingsError as exc:
        raise CliError(str(exc), 2) from None
    except TemporalUnreachable as exc:
        raise CliError(str(exc)) from None


def mcp_token(what: str, *, publishes: bool, env: Mapping[str, str] | None = None) -> str:
    """The bearer token for ``what``: the publish token (``MCP_AUTH_TOKEN``) when it changes
    state; else the read token (``MCP_READ_TOKEN``), or the publish token where no read token
    is set (whoever may publish may read). A missing one is a CliError naming the variable."""
    env = os.environ if env is None else env
    if publishes:
        if not env.get("MCP_AUTH_TOKEN"):
            raise CliError(
                f"{what} changes state: it needs the publish token MCP_AUTH_TOKEN (the "
                "worker's); the read token MCP_READ_TOKEN may only list and read",
                2,
            )
        return env["MCP_AUTH_TOKEN"]
    token = env.get("MCP_READ_TOKEN") or env.get("MCP_AUTH_TOKEN")
    if not token:
        raise CliError(f"MCP_READ_TOKEN (or MCP_AUTH_TOKEN) must be set to {what}", 2)
    return token


async def ask_feed_publisher(
    tool: str, arguments: dict[str, Any], *, what: str, publishes: bool = False
) -> dict[str, Any]:
    """The structured answer of the feed-publisher server's ``tool``, over HTTP with the token
    ``mcp_token`` picks for ``what``; a missing token, no answer or a refusal is a CliError."""
    url = os.environ.get("FEED_PUBLISHER_MCP_URL", "http://127.0.0.1:8765/mcp")
    token = mcp_token(what, publishes=publishes)
    from temporal_app.mcp_client import McpConnection  # the MCP client: only when it is used

    server = McpConnection("feed-publisher", url, token, timeout=30)
    try:
        return dict(await server.call_structured(tool, arguments))
    except Exception as exc:
        raise CliError(f"the feed-publisher server at {url}: {exc}") from None
    finally:
        await server.close()


def run_command(body: Callable[[], Coroutine[Any, Any, int | None]]) -> int:
    """Run an async command body; print a CliError as one line on stderr.

    A client setting left unset comes from the running dev stack, if there is one.
    """
    use_dev_settings()
    try:
        return asyncio.run(body()) or 0
    except CliError as exc:
        print(f"feedpub: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
