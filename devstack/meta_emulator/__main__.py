"""``python -m devstack.meta_emulator --host 127.0.0.1 --port 8701 [--accounts FILE.json]``."""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

import uvicorn

from .emulator import MetaEmulator


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run the Meta Graph API emulator.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8701)
    parser.add_argument(
        "--accounts",
        type=Path,
        help='JSON file: {"pages": {page_id: token}, "instagram_users": {ig_user_id: token}}',
    )
    parser.add_argument("--processing-seconds", type=float, default=0.2)
    parser.add_argument("--quota-total", type=int, default=100)
    parser.add_argument("--seed", type=int, default=None)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    emulator = MetaEmulator(
        processing_seconds=args.processing_seconds, quota_total=args.quota_total, seed=args.seed
    )
    if args.accounts:
        accounts = json.loads(args.accounts.read_text())
        emulator.add_accounts(
            pages=accounts.get("pages"), instagram_users=accounts.get("instagram_users")
        )
    # uvicorn's access log prints query strings, and Graph clients put the token there.
    uvicorn.run(emulator.app, host=args.host, port=args.port, access_log=False)


if __name__ == "__main__":
    main()
