"""``python -m feedpub_apps.console`` (``RUN_MODE=console``): the web console, served by uvicorn
on ``CONSOLE_HOST:CONSOLE_PORT`` until SIGINT or SIGTERM.

A missing or bad setting, or a broken brands file, stops it before it starts: one line each,
exit code 2. A database that does not answer the console's role, or a Temporal out of reach,
stops it with one line and exit code 1.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from feedpub.settings import load_settings
from feedpub.startup import checked_all, configured_brands

from .settings import ConsoleSettings

PROGRAM = "feedpub console"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m feedpub_apps.console",
        description="The web console: brands, approvals, history. Configured by environment "
        "variables only (see .env.example).",
    )
    parser.parse_args(argv)
    settings: ConsoleSettings = checked_all(
        PROGRAM, [lambda: load_settings(ConsoleSettings), configured_brands]
    )[0]
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # httpx logs every request's URL at INFO; the MCP SDK's client its sessions.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    from temporal_app.process_exit import exit_after

    exit_after(lambda: asyncio.run(serve(settings)))


async def serve(settings: ConsoleSettings) -> int:
    # The web stack is imported once the settings are known to be good: a refusal is quick.
    import uvicorn

    from temporal_app.client import TemporalUnreachable

    from .app import create_app
    from .backends import connect_backends
    from .store import MALFORMED_URL, schema_problem

    url = settings.console_database_url.get_secret_value()
    if (problem := await schema_problem(url)) is not None:
        print(f"{PROGRAM}: {problem}", file=sys.stderr)
        return 2 if problem == MALFORMED_URL else 1
    try:
        backends = await connect_backends(settings)
    except TemporalUnreachable as exc:
        print(f"{PROGRAM}: {exc}", file=sys.stderr)
        return 1
    try:
        config = uvicorn.Config(
            create_app(settings, backends),
            host=settings.console_host,
            port=settings.console_port,
            # The client's address from a proxy's headers, when FORWARDED_ALLOW_IPS trusts it
            # (the login limit counts per address).
            proxy_headers=True,
            # Request lines would carry approval links' tokens into the logs.
            access_log=False,
            log_level="warning",
        )
        where = f"http://{settings.console_host}:{settings.console_port}"
        logging.getLogger("feedpub.console").info("serving on %s", where)
        await uvicorn.Server(config).serve()
    finally:
        await backends.close()
    return 0


if __name__ == "__main__":
    main()
