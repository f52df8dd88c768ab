"""The ``feedpub`` command: schedules, the plan, runs on demand, approvals, checks,
notifications, the console's people, the dev stack.

Each sub-module registers its commands; a handler returns the exit code.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from feedpub_apps.cli import (
    alerts,
    checks,
    decisions,
    dev,
    notify,
    photos,
    plan,
    reports,
    runs,
    schedules,
    users,
)
from temporal_app.process_exit import exit_after

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="feedpub",
        description="Scheduled publishing of brand photos to Facebook and Instagram.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (
        schedules,
        plan,
        runs,
        decisions,
        checks,
        alerts,
        notify,
        photos,
        reports,
        users,
        dev,
    ):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    # Exits without interpreter finalization: see temporal_app.process_exit.
    exit_after(lambda: args.handler(args))
