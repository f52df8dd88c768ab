"""The worker's (and the CLI's) MCP clients for the two MCP servers.

The servers keep no session: each call is a request of its own with its bearer token, so
behind a load balancer any replica answers it. Each call therefore gets an MCP client of its
own, entered and left in the task that makes the call, over one HTTP connection pool shared
by all calls. A transport that breaks under one call (a replica dying while it answers) fails
that call alone: the MCP SDK's client runs its requests in one task group, and one shared by
every activity would fail them all. The protocol version the server offered is asked once and
reused, so a call costs no extra round trip. Tools are called as the contract names them
(``feedpub.contract.tools``) and their answers read back as its result types; tool errors
become ``ApplicationError``s through ``tool_errors``.
"""

from __future__ import annotations

import asyncio
from functools import cache
from typing import Any, TypeVar

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp_types import CallToolResult, DiscoverResult
from pydantic import TypeAdapter

from feedpub.contract.tools import Tool

from .tool_errors import tool_failure

__all__ = ["McpConnection"]

R = TypeVar("R")


@cache
def _reader(tool: Tool[Any]) -> TypeAdapter[Any]:
    # One adapter per tool: building one costs a schema build, reading with it does not.
    return TypeAdapter(tool.result or type(None))


def _first_cause(failure: Exception) -> Exception:
    """The error itself, out of the task groups the MCP client nests it in: ``MCPError:
    Server returned an error response`` reads better in a report than "unhandled errors in a
    TaskGroup"."""
    while isinstance(failure, ExceptionGroup) and failure.exceptions:
        failure = failure.exceptions[0]
    return failure


class McpConnection:
    """MCP calls to one server URL with a bearer token, each on a client of its own."""

    def __init__(self, name: str, url: str, token: str, *, timeout: float = 600.0) -> None:
        self.name = name
        self._url = url
        self._token = token
        self._timeout = timeout
        self._http: httpx2.AsyncClient | None = None
        self._agreed: tuple[str, DiscoverResult] | None = None
        """The protocol version and discovery answer the server gave; None until asked, or
        when a client of the initialize handshake is needed (a legacy server)."""
        self._lock = asyncio.Lock()

    def _pool(self) -> httpx2.AsyncClient:
        if self._http is None:
            self._http = httpx2.AsyncClient(
                headers={"Authorization": f"Bearer {self._token}"},
                timeout=httpx2.Timeout(self._timeout, connect=10.0),
            )
        return self._http

    async def _client(self) -> Client:
        """A client for one call (not yet entered)."""
        transport = streamable_http_client(self._url, http_client=self._pool())
        async with self._lock:
            if self._agreed is None:
                await self._agree()
            agreed = self._agreed
        if agreed is None:
            return Client(transport)
        version, discovered = agreed
        return Client(transport, mode=version, prior_discover=discovered)

    async def _agree(self) -> None:
        async with Client(streamable_http_client(self._url, http_client=self._pool())) as probe:
            session = probe.session
            if session.protocol_version is not None and probe.server_capabilities is not None:
                try:
                    self._agreed = (probe.protocol_version, await session.discover())
                except Exception:
                    self._agreed = None  # a server of the initialize handshake

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
        try:
            async with await self._client() as client:
                result = await client.call_tool(tool, arguments, read_timeout_seconds=self._timeout)
        except Exception as failure:
            # The server may have been replaced by another release: ask its version again.
            self._agreed = None
            raise _first_cause(failure) from None
        if result.is_error:
            raise tool_failure(self.name, tool, result)
        return result

    async def ping(self) -> None:
        """Check the server answers; raise if not."""
        try:
            async with await self._client() as client:
                # A tool listing straight from the server (MCP's ping is gone from the protocol).
                await client.list_tools(cache_mode="bypass")
        except Exception as failure:
            self._agreed = None
            raise _first_cause(failure) from None

    async def close(self) -> None:
        http, self._http = self._http, None
        if http is not None:
            await http.aclose()
