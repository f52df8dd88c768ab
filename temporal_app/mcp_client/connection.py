"""Long-lived MCP clients from the worker to the two MCP servers.

One client per server, opened lazily and shared by all activities. The servers keep no session
for it: each call is a request of its own with its bearer token, so behind a load balancer any
replica answers it, and a replica that restarted or went away loses the client nothing. If a
call fails all the same (the transport broke), the next call opens a new client. Tools are
called as the contract names them (``feedpub.contract.tools``) and their answers read back as
its result types; tool errors become ``ApplicationError``s through ``tool_errors``.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack, suppress
from functools import cache
from typing import Any, TypeVar

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp_types import CallToolResult
from pydantic import TypeAdapter

from feedpub.contract.tools import Tool

from .tool_errors import tool_failure

__all__ = ["McpConnection"]

R = TypeVar("R")


@cache
def _reader(tool: Tool[Any]) -> TypeAdapter[Any]:
    # One adapter per tool: building one costs a schema build, reading with it does not.
    return TypeAdapter(tool.result or type(None))


class McpConnection:
    """A reconnecting MCP client for one server URL with a bearer token."""

    def __init__(self, name: str, url: str, token: str, *, timeout: float = 600.0) -> None:
        self.name = name
        self._url = url
        self._token = token
        self._timeout = timeout
        self._client: Client | None = None
        self._stack: AsyncExitStack | None = None
        self._lock = asyncio.Lock()

    async def _connected(self) -> Client:
        async with self._lock:
            if self._client is None:
                stack = AsyncExitStack()
                http = httpx2.AsyncClient(
                    headers={"Authorization": f"Bearer {self._token}"},
                    timeout=httpx2.Timeout(self._timeout, connect=10.0),
                )
                await stack.enter_async_context(http)
                transport = streamable_http_client(self._url, http_client=http)
                try:
                    self._client = await stack.enter_async_context(Client(transport))
                except BaseException:
                    await stack.aclose()
                    raise
                self._stack = stack
            return self._client

    async def _drop(self) -> None:
        async with self._lock:
            stack, self._stack, self._client = self._stack, None, None
        if stack is not None:
            # The transport may already be broken; there is nothing left to close well.
            with suppress(Exception):
                await stack.aclose()

    async def ask(self, tool: Tool[R], **arguments: Any) -> R:
        """Call ``tool`` and read its structured answer as the contract's result type."""
        if tool.result is None:
            raise TypeError(f"{tool.name} answers no structured result: use call()")
        result = await self.call(tool, arguments)
        answer: R = _reader(tool).validate_python(result.structured_content or {})
        return answer

    async def call(self, tool: Tool[Any] | str, arguments: dict[str, Any]) -> CallToolResult:
        """Call ``tool``; raise ApplicationError if the tool reports an error."""
        if isinstance(tool, Tool):
            missing = [name for name in tool.arguments if name not in arguments]
            if missing:
                raise TypeError(f"{tool.name} needs {', '.join(missing)}")
            tool = tool.name
        client = await self._connected()
        try:
            result = await client.call_tool(tool, arguments, read_timeout_seconds=self._timeout)
        except Exception:
            # A broken transport, or a server that did not answer: the next call opens a fresh
            # client, and Temporal retries this one.
            await self._drop()
            raise
        if result.is_error:
            raise tool_failure(self.name, tool, result)
        return result

    async def ping(self) -> None:
        """Check the server answers (opening the client if needed); raise if not."""
        client = await self._connected()
        try:
            # A tool listing straight from the server (MCP's ping is gone from the protocol).
            await client.list_tools(cache_mode="bypass")
        except Exception:
            await self._drop()
            raise

    async def close(self) -> None:
        await self._drop()
