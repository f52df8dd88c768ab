"""``feedpub dev``: the embedded stack and a worker, with the schedules applied.

The stack lives in ``devstack`` (``python -m devstack.dev``), which only a source checkout with
the dev extra has; the production image has neither. This command hands the process over to
it, so that Ctrl-C and SIGTERM reach the stack itself, and says in one line what is missing
where it cannot.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from typing import Any

# What `feedpub dev` needs beyond the product: the dev stack, and the embedded services the
# dev extra installs (PostgreSQL, S3).
_NEEDED = ("devstack", "pgserver", "moto")


def register(commands: Any) -> None:
    dev = commands.add_parser("dev", help="the embedded stack with schedules, for development")
    dev.add_argument("--keep-running", action="store_true", help="stay up until Ctrl-C")
    dev.add_argument(
        "--replicas",
        metavar="N",
        help="N workers, and N processes of each MCP server behind a round-robin proxy",
    )
    dev.set_defaults(handler=run_dev)


def run_dev(args: argparse.Namespace) -> int:
    missing = [name for name in _NEEDED if importlib.util.find_spec(name) is None]
    if missing:
        print(
            f"feedpub: dev needs a source checkout with the dev extra (make venv, or pip "
            f"install -e '.[dev]'); this install lacks {', '.join(missing)}",
            file=sys.stderr,
        )
        return 2
    # The stack checks the arguments it is given, and says what is wrong with them.
    command = [sys.executable, "-m", "devstack.dev"]
    if args.keep_running:
        command.append("--keep-running")
    if args.replicas is not None:
        command += ["--replicas", args.replicas]
    os.execv(sys.executable, command)
