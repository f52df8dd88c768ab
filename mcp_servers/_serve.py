"""Command line and transports shared by both MCP servers.

stdio is the default, so a person can add a server to Claude Desktop or Claude Code.
Streamable HTTP requires ``MCP_AUTH_TOKEN`` and refuses any request without that bearer token.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from feedpub.settings import McpHttpSettings, load_settings
from feedpub.startup import checked_all

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer
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
    from mcp.server.transport_security import TransportSecuritySettings

    local = host in ("127.0.0.1", "localhost", "::1")
    # On loopback the SDK's DNS-rebinding check applies; on a container address the bearer
    # token is the protection and the Host header is whatever the network gives.
    security = None if local else TransportSecuritySettings(enable_dns_rebinding_protection=False)
    app = server.streamable_http_app(host=host, transport_security=security, json_response=True)
    return BearerTokenGuard(app, token)


def run_server(
    load_server: Callable[[], MCPServer[Any]],
    configuration: Sequence[Callable[[], object]],
    argv: list[str] | None = None,
    *,
    name: str,
    description: str,
) -> None:
    """Parse ``--transport/--host/--port`` and run the server ``load_server`` imports until
    stopped.

    ``configuration`` reads the server's settings (and files) the way its lifespan will: a
    problem there, or a missing or short ``MCP_AUTH_TOKEN`` over HTTP, stops the process
    before it serves anything, one line per problem and exit code 2. Its first item reads the
    settings whose ``DATABASE_URL`` must answer: a database that does not is one line and exit
    code 1 (a container is restarted and tries again). The server's module, and
    the MCP SDK, S3 and imaging libraries behind it, are loaded only after that check: a
    misconfigured server says so in a fraction of a second, not after seconds of imports.
    """
    parser = argparse.ArgumentParser(prog=f"{name}-mcp", description=description)
    parser.add_argument("--transport", choices=["stdio", "streamable-http"], default="stdio")
    parser.add_argument("--host", help="listen address (default: $MCP_HOST, else 127.0.0.1)")
    parser.add_argument("--port", type=int, help="listen port (default: $MCP_PORT, else 8765)")
    args = parser.parse_args(argv)
    if args.transport == "stdio":
        settings, *_ = checked_all(parser.prog, configuration)
        _database_answers(parser.prog, settings.database_url)
        _configure_logging()
        load_server().run()
        return
    settings, *_, http = checked_all(
        parser.prog, [*configuration, lambda: load_settings(McpHttpSettings)]
    )
    assert isinstance(http, McpHttpSettings)
    _database_answers(parser.prog, settings.database_url)
    host = args.host or http.mcp_host
    _configure_logging()
    import uvicorn

    app = http_app(load_server(), token=http.mcp_auth_token.get_secret_value(), host=host)
    uvicorn.run(app, host=host, port=args.port or http.mcp_port, log_level="warning")


def _database_answers(program: str, url: SecretStr) -> None:
    """Exit with one line when the database does not answer: the server's start (migrations,
    its pool) would otherwise end in a traceback from deep inside the MCP SDK."""
    import psycopg

    try:
        with psycopg.connect(url.get_secret_value(), connect_timeout=10) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        # psycopg names the host, port, user and database it tried, never the password.
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"{program}: the database (DATABASE_URL) does not answer: {reason}", file=sys.stderr)
        raise SystemExit(1) from None


def _configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # httpx logs every request URL at INFO: presigned S3 URLs are not for the logs.
    logging.getLogger("httpx").setLevel(logging.WARNING)
