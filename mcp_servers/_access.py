"""Who may call what over HTTP: three static bearer tokens, each with its scopes.

- The publish token (``MCP_AUTH_TOKEN``, the worker's) has every scope: every tool.
- The read token (``MCP_READ_TOKEN``, for ``feedpub reports``, ``feedpub alerts`` and other
  readers) has ``read`` alone: only the tools marked ``READ_ONLY``, which list and read.
- The notify token (``MCP_NOTIFY_TOKEN``, for a process that tells teams from outside the
  worker, the watchdog) has ``read`` and ``notify``: the ``READ_ONLY`` tools and the notice
  tools (``NOTICE_TOOLS``: claim a notice, close its window, record its delivery).

The tokens go through the MCP SDK's own auth pieces (a ``TokenVerifier`` giving an
``AccessToken`` with scopes, the bearer backend, the auth context), on every request: the
servers keep no session, so each request is judged by the token it carries. The server
refuses every other tool to a token without ``publish`` (``ToolScopes``); a tool is
publish-only unless marked (or named among the notice tools, in the contract), so a new tool
that changes state cannot be opened to readers by forgetting it. Over stdio there is no
token: the person who started the server may call everything.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Any

from mcp.server.auth.middleware.auth_context import AuthContextMiddleware, get_access_token
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser, BearerAuthBackend
from mcp.server.auth.provider import AccessToken
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from starlette.middleware.authentication import AuthenticationMiddleware

from feedpub.contract.tools import NOTICE_TOOLS

from ._errors import feed_error

if TYPE_CHECKING:
    from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
    from mcp.server.mcpserver import MCPServer
    from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = [
    "NOTIFY",
    "PUBLISH",
    "READ",
    "READ_ONLY",
    "StaticTokens",
    "ToolScopes",
    "bearer_token_guard",
]

PUBLISH, READ, NOTIFY = "publish", "read", "notify"
READ_ONLY = ToolAnnotations(read_only_hint=True)
"""Mark a tool that only lists or reads: ``@server.tool(annotations=READ_ONLY)``."""


class StaticTokens:
    """The SDK's ``TokenVerifier`` for our tokens, compared in constant time."""

    def __init__(self, publish: str, read: str | None = None, *, notify: str | None = None) -> None:
        self._tokens = [(publish.encode(), PUBLISH, [PUBLISH, NOTIFY, READ])]
        if read:
            self._tokens.append((read.encode(), READ, [READ]))
        if notify:
            self._tokens.append((notify.encode(), NOTIFY, [NOTIFY, READ]))

    async def verify_token(self, token: str) -> AccessToken | None:
        given = token.encode("utf-8", "surrogateescape")
        found = None
        for expected, client, scopes in self._tokens:
            if hmac.compare_digest(given, expected):
                found = AccessToken(token=token, client_id=client, scopes=scopes)
        return found


def bearer_token_guard(app: ASGIApp, tokens: StaticTokens) -> ASGIApp:
    """``app`` behind the SDK's bearer authentication: 401 for a request without a known
    token; the token's scopes go with the request to ``ToolScopes``."""
    return AuthenticationMiddleware(
        AuthContextMiddleware(_RequireToken(app)), backend=BearerAuthBackend(tokens)
    )


class _RequireToken:
    """401 for an HTTP request the bearer backend did not authenticate."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not isinstance(scope.get("user"), AuthenticatedUser):
            body = b'{"error":"unauthorized","error_description":"bearer token required"}'
            await send(
                {
                    "type": "http.response.start",
                    "status": 401,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"www-authenticate", b'Bearer realm="feedpub"'),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        await self._app(scope, receive, send)


class ToolScopes:
    """Server middleware: a token without the publish scope calls only ``READ_ONLY`` tools,
    and the notice tools when it has the notify scope."""

    def __init__(self, server: MCPServer[Any]) -> None:
        self._server = server
        self._read_only: set[str] | None = None

    async def __call__(
        self, ctx: ServerRequestContext[Any, Any], call_next: CallNext
    ) -> HandlerResult:
        token = get_access_token()
        if ctx.method == "tools/call" and token is not None and PUBLISH not in token.scopes:
            name = str((ctx.params or {}).get("name", ""))
            allowed = await self._read_only_tools()
            if NOTIFY in token.scopes:
                allowed = allowed | NOTICE_TOOLS
            if name not in allowed:
                return _refusal(name, token.client_id)
        return await call_next(ctx)

    async def _read_only_tools(self) -> set[str]:
        if self._read_only is None:
            self._read_only = {
                tool.name
                for tool in await self._server.list_tools()
                if tool.annotations is not None and tool.annotations.read_only_hint
            }
        return self._read_only


_CARRIED = {
    READ: "the read token (MCP_READ_TOKEN), which may only list and read",
    NOTIFY: "the notify token (MCP_NOTIFY_TOKEN), which may only list, read and tell of notices",
}


def _refusal(tool: str, client: str | None) -> CallToolResult:
    carried = _CARRIED.get(client or "", _CARRIED[READ])
    reason = (
        f"tool '{tool}' needs the publish token (MCP_AUTH_TOKEN); the request carried {carried}"
    )
    error = feed_error("PublishScopeRequired", reason, retryable=False, tool=tool)
    return CallToolResult(content=[TextContent(type="text", text=str(error))], is_error=True)
