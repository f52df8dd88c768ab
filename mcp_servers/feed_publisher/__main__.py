"""``feed-publisher-mcp`` / ``python -m mcp_servers.feed_publisher``: stdio or streamable HTTP."""

from __future__ import annotations

from mcp_servers._serve import run_server
from mcp_servers.feed_publisher.server import server


def main(argv: list[str] | None = None) -> None:
    run_server(server, argv)


if __name__ == "__main__":
    main()
