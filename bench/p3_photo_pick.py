"""P3 — picking a random unused photo among 100,000: the ledger against listing the prefix.

    .venv/bin/python -m bench.p3_photo_pick [--photos 100000] [--s3-keys 100000] [--picks 200]

The ledger side is the feed-publisher's own ``PhotoLibrary.reserve`` on an embedded
PostgreSQL holding ``--photos`` rows of one brand (inserted with COPY): one ``UPDATE ... FOR
UPDATE SKIP LOCKED``, after the incremental S3 sync (a listing after the last key seen) when the
brand was not listed in the last minute. It is timed both ways: the brand listed moments ago
(the pick itself), and not (the sync's listing in front of it). The listing side lists the
brand's whole prefix in moto's S3 (``--s3-keys`` objects, put with 16 threads) and draws one
key from it, as a product without a ledger would on every run. Both run in the same process,
one after the other; the figure is the ratio of medians.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg

from devstack.parts import s3_client, start_postgres, start_s3
from feedpub.db import apply_migrations, open_pool
from mcp_servers.feed_publisher.library.photos import PhotoLibrary

BRAND = "p3"
PREFIX = "p3/"


_NOT_LISTED_LATELY = "UPDATE photo_sync SET listed_at = NULL WHERE brand = %s"


def key_of(index: int) -> str:
    return f"{PREFIX}2026/photo-{index:06d}.jpg"


def fill_ledger(database_url: str, count: int) -> None:
    with psycopg.connect(database_url) as conn, conn.cursor() as cur:
        with cur.copy("COPY photos (brand, key, etag, size_bytes) FROM STDIN") as copy:
            for index in range(count):
                copy.write_row((BRAND, key_of(index), f'"{index:032x}"', 2_000_000))
        # The sync state a running system has: last key seen, full listing recently done.
        cur.execute(
            "INSERT INTO photo_sync (brand, last_key, full_listing_at) VALUES (%s, %s, now())",
            (BRAND, key_of(count - 1)),
        )
        cur.execute("ANALYZE photos")


def fill_bucket(s3_env: dict[str, str], count: int) -> float:
    """Put ``count`` empty objects under the prefix; return the seconds it took."""
    client, bucket = s3_client(s3_env), s3_env["S3_BUCKET"]
    started = time.monotonic()
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda i: client.put_object(Bucket=bucket, Key=key_of(i), Body=b""),
                      range(count)))  # fmt: skip
    return time.monotonic() - started


def pick_by_listing(client: Any, bucket: str, rng: random.Random) -> str:
    keys = [
        obj["Key"]
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=PREFIX)
        for obj in page.get("Contents", [])
    ]
    return rng.choice(keys)


async def ledger_picks(database_url: str, s3_env: dict[str, str], picks: int) -> dict[str, float]:
    pool = await open_pool(database_url, max_size=4)
    try:
        library = PhotoLibrary(pool=pool, s3=s3_client(s3_env), bucket=s3_env["S3_BUCKET"])
        listed, recent, statement = [], [], []
        for _ in range(picks):
            async with pool.connection() as conn:
                await conn.execute(_NOT_LISTED_LATELY, (BRAND,))
            started = time.perf_counter()
            await library.reserve(BRAND, PREFIX, run_id=uuid.uuid4().hex)
            listed.append(time.perf_counter() - started)
            started = time.perf_counter()
            await library.reserve(BRAND, PREFIX, run_id=uuid.uuid4().hex)
            recent.append(time.perf_counter() - started)
            started = time.perf_counter()
            await library.reserve_available(BRAND, uuid.uuid4().hex)
            statement.append(time.perf_counter() - started)
        return {
            "reserve": statistics.median(recent),
            "with_listing": statistics.median(listed),
            "statement": statistics.median(statement),
        }
    finally:
        await pool.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--s3-keys", type=int, default=100_000)
    parser.add_argument("--picks", type=int, default=200)
    parser.add_argument("--listings", type=int, default=5)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="feedpub-p3-"))
    database_url, pg = start_postgres(None, workdir / "pgdata")
    s3_env, moto = start_s3({})
    try:
        asyncio.run(apply_migrations(database_url))
        started = time.monotonic()
        fill_ledger(database_url, args.photos)
        print(f"ledger: {args.photos} rows inserted in {time.monotonic() - started:.1f} s")
        took = fill_bucket(s3_env, args.s3_keys)
        print(f"s3: {args.s3_keys} objects put in {took:.0f} s ({args.s3_keys / took:.0f}/s)")
        ledger = asyncio.run(ledger_picks(database_url, s3_env, args.picks))
        print(
            f"ledger: reserve() p50 {ledger['reserve'] * 1000:.2f} ms, brand listed moments ago"
            f" (the UPDATE alone {ledger['statement'] * 1000:.2f} ms); with the sync's S3"
            f" listing in front {ledger['with_listing'] * 1000:.2f} ms; {args.picks} picks each"
        )
        client, rng, listing = s3_client(s3_env), random.Random(3), []
        for _ in range(args.listings):
            started = time.perf_counter()
            pick_by_listing(client, s3_env["S3_BUCKET"], rng)
            listing.append(time.perf_counter() - started)
        list_p50 = statistics.median(listing)
        print(f"listing: p50 {list_p50 * 1000:.0f} ms over {args.listings} listings")
        ratio = list_p50 / ledger["reserve"]
        print(
            f"P3 ledger_p50={ledger['reserve'] * 1000:.2f}ms"
            f" (with_sync_listing={ledger['with_listing'] * 1000:.0f}ms)"
            f" listing_p50={list_p50 * 1000:.0f}ms ratio={ratio:.0f}x"
            f" (with_sync_listing={list_p50 / ledger['with_listing']:.0f}x) keys={args.s3_keys}"
        )
    finally:
        moto.stop()
        pg.cleanup()


if __name__ == "__main__":
    main()
