"""``feedpub dev``: the embedded stack and a worker, with the schedules applied.

Development only: it needs the dev extra (``pip install -e '.[dev]'``), which the production
image does not install.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(commands: Any) -> None:
    dev = commands.add_parser("dev", help="the embedded stack with schedules, for development")
    dev.add_argument("--keep-running", action="store_true", help="stay up until Ctrl-C")
    dev.set_defaults(handler=run_dev)


def run_dev(args: argparse.Namespace) -> int:
    try:
        from devstack.dev import main
    except ImportError as exc:
        print(f"feedpub: dev needs the dev extra (pip install -e '.[dev]'): {exc}", file=sys.stderr)
        return 2
    return main(keep_running=args.keep_running)
