"""Command line and transports shared by both MCP servers.

stdio is the default, so a person can add a server to Claude Desktop or Claude Code.
Streamable HTTP requires ``MCP_AUTH_TOKEN`` and refuses any request without that bearer token.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os
import sys
from typing import Any

import uvicorn
from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecuritySettings
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["BearerTokenGuard", "http_app", "run_server"]


class BearerTokenGuard:
    """ASGI middleware: 401 unless ``Authorization: Bearer <token>`` matches."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self._app = app
        self._expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            given = dict(scope.get("headers") or []).get(b"authorization", b"")
            if not hmac.compare_digest(given, self._expected):
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


def http_app(server: MCPServer[Any], *, token: str, host: str = "127.0.0.1") -> ASGIApp:
    """The server's streamable-HTTP app at ``/mcp`` behind the bearer-token guard."""
    local = host in ("127.0.0.1", "localhost", "::1")
    # On loopback the SDK's DNS-rebinding check applies; on a container address the bearer
    # token is the protection and the Host header is whatever the network gives.
    security = None if local else TransportSecuritySettings(enable_dns_rebinding_protection=False)
    app = server.streamable_http_app(host=host, transport_security=security, json_response=True)
    return BearerTokenGuard(app, token)


def run_server(server: MCPServer[Any], argv: list[str] | None = None) -> None:
    """Parse ``--transport/--host/--port`` and run ``server`` until stopped."""
    parser = argparse.ArgumentParser(prog=server.name, description=server.instructions)
    parser.add_argument("--transport", choices=["stdio", "streamable-http"], default="stdio")
    parser.add_argument("--host", default=os.environ.get("MCP_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("MCP_PORT", "8765")))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # httpx logs every request URL at INFO: presigned S3 URLs are not for the logs.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if args.transport == "stdio":
        server.run()
        return
    token = os.environ.get("MCP_AUTH_TOKEN", "")
    if len(token) < 16:
        sys.exit(
            f"{server.name}: MCP_AUTH_TOKEN must be set (at least 16 characters) "
            "to serve over streamable HTTP"
        )
    app = http_app(server, token=token, host=args.host)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
