"""R4: the feed-publisher server's peak memory while it works through a hostile set.

    .venv/bin/python -m bench.r4_hostile [--at-once 6]

Every kind of bad input is put in place first, then fed to the product, ``--at-once`` kinds
at a time: files (hostile_photos.PHOTO_KINDS: tall, wide and endless strips for a crop and a
pad brand, 100 MP images of each format, a 60 MB file, decompression bombs, broken files,
formats feedpub does not post) to the real feed-publisher server of the embedded stack over
MCP; brands entries, Meta answers and caption texts (hostile_answers) to the brands file's
checks, to the Graph client, its classifier and the worker's error handling, and to the
caption checks. The
server's resident memory is sampled all along (psutil) and its high-water mark read at the end
(VmHWM). A server that dies is restarted, as its container would be, and counted.
Goal: every kind ends as expected (refused with its reason, or accepted), peak under 400 MB,
no restart. Each kind's outcome is printed; the last line is the figure.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import threading
import time
from pathlib import Path

import psutil

from devstack.parts import s3_client
from devstack.stack import EmbeddedStack, StackOptions

from .hostile_answers import ANSWER_KINDS, CAPTION_KINDS, ENTRY_KINDS
from .hostile_kinds import Attempt, HostileBench, HostileKind, Outcome
from .hostile_photos import PHOTO_KINDS, encoded, photo_kind

BRANDS = Path(__file__).with_name("hostile_brands.toml")
ALL_KINDS: list[HostileKind] = [*PHOTO_KINDS, *ENTRY_KINDS, *ANSWER_KINDS, *CAPTION_KINDS]
MB = 1024 * 1024


class MemorySampler:
    """The feed-publisher server's resident memory, sampled every 10 ms in a thread."""

    def __init__(self, stack: EmbeddedStack) -> None:
        self._stack = stack
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def rss(self) -> int:
        return int(psutil.Process(self._stack.children["feed-publisher"].pid).memory_info().rss)

    def high_water_mark(self) -> int:
        """VmHWM of the server process now running: its peak since it started (Linux)."""
        pid = self._stack.children["feed-publisher"].pid
        status = Path(f"/proc/{pid}/status").read_text()
        return int(status.split("VmHWM:")[1].split()[0]) * 1024

    def _sample(self) -> None:
        while not self._stop.wait(0.01):
            try:
                self.peak = max(self.peak, self.rss())
            except (psutil.NoSuchProcess, KeyError):
                continue  # restarting


async def attempt_all(attempts: list[Attempt], at_once: int) -> list[Outcome]:
    gate = asyncio.Semaphore(at_once)

    async def one(attempt: Attempt) -> Outcome:
        async with gate:
            return await attempt()

    return list(await asyncio.gather(*(one(attempt) for attempt in attempts)))


async def main_async(stack: EmbeddedStack, at_once: int) -> None:
    bench = HostileBench(stack, s3_client(stack.s3_env))
    try:
        # A good photo of each brand first: the server's one-off allocations (the perceptual
        # hash's maths, the JPEG encoder) are then part of its baseline.
        warm = [photo_kind(f"warm-up-{fit}", lambda: encoded((4000, 3000), "JPEG"), fit=fit,
                           refused_because=None) for fit in ("crop", "pad")]  # fmt: skip
        await attempt_all([kind.stage(bench) for kind in warm], at_once)
        attempts = [kind.stage(bench) for kind in ALL_KINDS]
        sampler = MemorySampler(stack)
        baseline = sampler.rss()
        started = time.monotonic()
        with sampler:
            outcomes = await attempt_all(attempts, at_once)
        elapsed = time.monotonic() - started
        # The high-water mark counts from the server's start: only while it never restarted.
        peak = max(sampler.peak, sampler.high_water_mark() if bench.restarts == 0 else 0)
    finally:
        await bench.close()
    for kind, outcome in zip(ALL_KINDS, outcomes, strict=True):
        verdict = "ok" if kind.as_expected(outcome) else "UNEXPECTED"
        said = outcome.reason.split("': ", 1)[-1] if outcome.refused else "accepted"
        if outcome.crashed:
            said = outcome.reason
        print(f"  {verdict:10} {kind.name:28} {said}")
    refused = sum(1 for o in outcomes if o.refused and o.reason)
    expected = sum(1 for k, o in zip(ALL_KINDS, outcomes, strict=True) if k.as_expected(o))
    print(
        f"  {len(ALL_KINDS)} kinds in {elapsed:.0f} s, {at_once} at once; server baseline"
        f" {baseline / MB:.0f} MB, sampled peak {sampler.peak / MB:.0f} MB"
    )
    print(
        f"R4 kinds={len(ALL_KINDS)} refused_with_reason={refused}"
        f" accepted={len(ALL_KINDS) - refused} as_expected={expected}/{len(ALL_KINDS)}"
        f" server_restarts={bench.restarts} peak_rss_mb={peak / MB:.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--at-once", type=int, default=6, help="kinds fed at the same time")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    stack = EmbeddedStack(StackOptions(brands_file=BRANDS, photos_dir=None)).start()
    try:
        asyncio.run(main_async(stack, args.at_once))
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
