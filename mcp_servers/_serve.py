"""Command line and transports shared by both MCP servers.

stdio is the default, so a person can add a server to Claude Desktop or Claude Code.
Streamable HTTP requires ``MCP_AUTH_TOKEN`` (the publish token) and accepts ``MCP_READ_TOKEN``
(the read token) and ``MCP_NOTIFY_TOKEN`` (the notify token) when they are set; it refuses any
request without one of them (``_access``).
It is served statelessly: no MCP session lives in the server's memory, each request stands on
its own (its token, its call), so any replica behind a load balancer answers any request, and
a restarted replica has forgotten nothing a client needs.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from feedpub.settings import McpHttpSettings, load_settings
from feedpub.startup import checked_all

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer
    from mcp.server.transport_security import TransportSecuritySettings
    from starlette.types import ASGIApp

__all__ = ["http_app", "run_server"]

LOOPBACK = ("127.0.0.1", "localhost", "::1")
"""Listen addresses on which the SDK checks the Host header by itself."""
LOOPBACK_HOSTS = ("127.0.0.1:*", "localhost:*", "[::1]:*")


def http_app(server: MCPServer[Any], http: McpHttpSettings, *, host: str) -> ASGIApp:
    """The server's stateless streamable-HTTP app at ``/mcp``: bearer tokens with scopes
    (``_access``) and, where it applies, the SDK's DNS-rebinding check on the Host and Origin
    headers."""
    from ._access import StaticTokens, ToolScopes, bearer_token_guard

    if not any(isinstance(step, ToolScopes) for step in server.middleware):
        server.middleware.append(ToolScopes(server))
    tokens = StaticTokens(
        http.mcp_auth_token.get_secret_value(),
        http.mcp_read_token.get_secret_value() if http.mcp_read_token else None,
        notify=http.mcp_notify_token.get_secret_value() if http.mcp_notify_token else None,
    )
    security = _transport_security(host, http.allowed_hosts)
    app = server.streamable_http_app(
        host=host, transport_security=security, json_response=True, stateless_http=True
    )
    return bearer_token_guard(app, tokens)


def _transport_security(host: str, allowed: list[str]) -> TransportSecuritySettings | None:
    """With ``MCP_ALLOWED_HOSTS`` the check is on whatever the listen address (``0.0.0.0`` in a
    container), for those names and the loopback ones (a rebinding page's requests carry its
    own name, never a loopback one). Without it, the SDK's default: on for a loopback listen
    address, off for any other, where the bearer token is then the only protection."""
    from mcp.server.transport_security import TransportSecuritySettings

    if not allowed:
        if host not in LOOPBACK:
            logging.getLogger(__name__).warning(
                "listening on %s without MCP_ALLOWED_HOSTS: requests for any host name are "
                "served; set it to the names clients use",
                host,
            )
        return None
    hosts = [*LOOPBACK_HOSTS]
    for name in allowed:
        hosts += [name] if re.search(r":(\d+|\*)$", name) else [name, f"{name}:*"]
    origins = [f"{scheme}://{name}" for name in hosts for scheme in ("http", "https")]
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True, allowed_hosts=hosts, allowed_origins=origins
    )


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

    app = http_app(load_server(), http, host=host)
    uvicorn.run(app, host=host, port=args.port or http.mcp_port, log_level="warning")


def _database_answers(program: str, url: SecretStr) -> None:
    """Exit with one line when the database does not answer: the server's start (migrations,
    its pool) would otherwise end in a traceback from deep inside the MCP SDK."""
    import psycopg

    try:
        with psycopg.connect(url.get_secret_value(), connect_timeout=10) as conn:
            conn.execute("SELECT 1")
    except psycopg.ProgrammingError:
        # psycopg quotes the part of a malformed address it could not read, which can be the
        # password: say only which variable to look at.
        print(
            f"{program}: DATABASE_URL is not a PostgreSQL address psycopg can read",
            file=sys.stderr,
        )
        raise SystemExit(2) from None
    except psycopg.Error as exc:
        # Connection failures name the host, port, user and database tried, never the password.
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"{program}: the database (DATABASE_URL) does not answer: {reason}", file=sys.stderr)
        raise SystemExit(1) from None


def _configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # httpx logs every request URL at INFO: presigned S3 URLs are not for the logs.
    logging.getLogger("httpx").setLevel(logging.WARNING)
