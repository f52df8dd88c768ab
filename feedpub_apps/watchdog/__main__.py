"""``python -m feedpub_apps.watchdog`` (``RUN_MODE=watchdog``): a round of checks every
``WATCHDOG_INTERVAL_SECONDS`` until SIGINT or SIGTERM, or one round with ``--once``.

A bad setting, a broken brands file or a ``NOTIFY_*`` variable that is missing or no URL
apprise knows stops it before it starts, one line each, exit code 2.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from feedpub.brands import Brand
from feedpub.settings import WatchdogSettings, load_settings
from feedpub.startup import checked_all, configured_brands

if TYPE_CHECKING:
    from temporal_app.notifications import Destinations

PROGRAM = "feedpub watchdog"
log = logging.getLogger("feedpub.watchdog")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m feedpub_apps.watchdog",
        description="Tell the brands' teams when a brand stops posting, its schedule misses "
        "slots or stays paused, or Temporal is out of reach. Configured by environment "
        "variables only (see .env.example).",
    )
    parser.add_argument("--once", action="store_true", help="one round of checks, then exit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings, brands, destinations = checked_all(
        PROGRAM, [lambda: load_settings(WatchdogSettings), *_brands_and_destinations(os.environ)]
    )
    asyncio.run(watch(settings, brands, destinations, once=args.once))


def _brands_and_destinations(env: Mapping[str, str]) -> list[Callable[[], object]]:
    """The brands file, then the destinations it names: checked together, so that every
    problem is told at once."""
    found: dict[str, Mapping[str, Brand]] = {}

    def brands() -> Mapping[str, Brand]:
        found["brands"] = configured_brands()
        return found["brands"]

    def destinations() -> Destinations | None:
        # Imported once the arguments are read: apprise and the clients take seconds to load,
        # and `--help` needs none of them.
        from temporal_app.notifications import Destinations

        return Destinations.from_env(found["brands"], env) if "brands" in found else None

    return [brands, destinations]


async def watch(
    settings: WatchdogSettings,
    brands: Mapping[str, Brand],
    destinations: Destinations,
    *,
    once: bool = False,
) -> None:
    """Rounds until stopped; a round that fails is logged and the next one comes anyway."""
    from .rounds import Watchdog

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    watchdog = Watchdog(settings, brands, destinations)
    log.info("watching %d brands every %d s", len(brands), settings.watchdog_interval_seconds)
    try:
        while not stop.is_set():
            try:
                notices = await watchdog.round(datetime.now(UTC))
            except Exception as exc:
                log.error("the round failed: %s: %s", type(exc).__name__, exc)
            else:
                problems = [
                    notice.event_id for notice in notices if notice.kind != "back_to_normal"
                ]
                log.info("round done: %s", ", ".join(problems) or "nothing to tell")
            if once:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), settings.watchdog_interval_seconds)
    finally:
        await watchdog.close()


if __name__ == "__main__":
    main()
