"""``feedpub photos readmit``: put rejected photos back among a brand's unused ones.

For photos rejected by mistake: a fault of ours (the brand's alert says when feedpub stopped
rejecting), or files fixed in place. Asks the feed-publisher server, which holds the ledger.
"""

from __future__ import annotations

import argparse
from typing import Any

from feedpub.contract.tools import READMIT_PHOTOS

from ..servers import AppError, ask_feed_publisher
from .common import brand_named, load, run_command

__all__ = ["register"]


def register(commands: Any) -> None:
    group = commands.add_parser("photos", help="a brand's photo library")
    sub = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    readmit = sub.add_parser(
        "readmit",
        help="put rejected photos back among the unused ones",
        description="Put rejected photos of BRAND back among the unused ones: the photos "
        "named, or every rejected photo whose reason contains --reason (any case).",
    )
    readmit.add_argument("brand", metavar="BRAND")
    readmit.add_argument("keys", metavar="KEY", nargs="*", help="S3 keys of rejected photos")
    readmit.add_argument("--reason", metavar="TEXT", help="a part of the rejection reason")
    readmit.add_argument("--brands", help="brands file (default: $BRANDS_FILE, else brands.toml)")
    readmit.set_defaults(handler=lambda args: run_command(lambda: readmit_photos(args)))


async def readmit_photos(args: argparse.Namespace) -> int:
    if bool(args.keys) == bool(args.reason):
        raise AppError("give either the photos' keys or --reason TEXT (not both)", 2)
    brand = brand_named(args.brand, load(args))
    found = await ask_feed_publisher(
        READMIT_PHOTOS,
        {"brand": brand.name, "keys": args.keys, "reason_contains": None}
        if args.keys
        else {"brand": brand.name, "keys": None, "reason_contains": args.reason},
        what="feedpub photos readmit",
        publishes=True,
    )
    for photo in found.readmitted:
        print(f"readmitted  {photo.key}  (was rejected: {photo.reason})")
    for key in found.not_rejected:
        print(f"not rejected, left as it is: {key}")
    count = len(found.readmitted)
    print(f"{brand.name}: {count} photo{'s' if count != 1 else ''} put back among the unused ones")
    return 0 if count or not found.not_rejected else 1
