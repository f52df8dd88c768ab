"""``feed-publisher-mcp`` / ``python -m mcp_servers.feed_publisher``: stdio or streamable HTTP."""

from __future__ import annotations

from typing import Any

from feedpub.settings import FeedPublisherSettings, load_settings
from feedpub.startup import configured_brands
from mcp_servers._serve import run_server
from mcp_servers.feed_publisher import INSTRUCTIONS


def _server() -> Any:
    from mcp_servers.feed_publisher.server import server

    return server


def main(argv: list[str] | None = None) -> None:
    run_server(
        _server,
        [lambda: load_settings(FeedPublisherSettings), configured_brands],
        argv,
        name="feed-publisher",
        description=INSTRUCTIONS,
    )


if __name__ == "__main__":
    main()
