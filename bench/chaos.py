"""Exactly-once under crashes and faults: the R1, R2 and R3 rounds of the chaos bench.

    .venv/bin/python -m bench.chaos [--runs-r1 50] [--kills 20] [--runs-r2 100] [--runs-r3 100]

R1 SIGKILLs the worker at random moments and restarts it; R2 has the Meta emulator fail 20 %
of calls with a 5xx, accept-then-drop 10 % and throttle 5 %; R3 runs 100 runs of one brand at
once over 100 photos, then one more. Each prints its figures; the last line sums them up.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import time
import uuid
from pathlib import Path

from temporalio.client import Client

from devstack.meta_emulator import FaultRule
from devstack.stack import EmbeddedStack, StackOptions

from .chaos_parts import Outcome, Tally, outcome, start_runs, tally, upload_photos
from .worker_process import WorkerProcess

BRANDS = Path(__file__).with_name("brands.toml")
R2_FAULTS = [
    FaultRule(kind="server_error", endpoint="*", probability=0.20),
    FaultRule(kind="drop_after_accept", endpoint="*", probability=0.10),
    FaultRule(kind="throttle", endpoint="*", probability=0.05, regain_minutes=0),
]


def worker_for(stack: EmbeddedStack, queue: str) -> WorkerProcess:
    env = stack.worker_env(TEMPORAL_TASK_QUEUE=queue)
    return WorkerProcess(stack, "temporal_app.worker", env).start()


def line(name: str, result: Tally, **extra: object) -> str:
    figures = " ".join(f"{key}={value}" for key, value in extra.items())
    return (
        f"{name} runs={result.runs} {figures} facebook={result.published_facebook}"
        f" instagram={result.published_instagram} duplicates={result.duplicates}"
        f" lost={result.lost} reused={result.reused} failed={len(result.failed)}"
    ).replace("  ", " ")


async def round_r1(
    stack: EmbeddedStack,
    client: Client,
    runs: int,
    kills: int,
    pause: tuple[float, float] = (0.2, 1.5),
) -> Tally:
    """``runs`` runs while the worker is killed ``kills`` times, every ``pause`` seconds."""
    queue = f"chaos-r1-{uuid.uuid4().hex[:6]}"
    upload_photos(stack, "r1", runs)
    worker = worker_for(stack, queue)
    handles = await start_runs(client, "r1", runs, queue)
    done = asyncio.gather(*(outcome(h, timeout=1800) for h in handles))
    rng = random.Random(7)
    try:
        while worker.kills < kills and not done.done():
            await asyncio.sleep(rng.uniform(*pause))
            worker.kill()
            worker.start()
        outcomes: list[Outcome] = await done
    finally:
        worker.stop()
    result = tally(stack, "r1", outcomes)
    result.kills = worker.kills
    return result


async def round_r2(stack: EmbeddedStack, client: Client, runs: int) -> Tally:
    """``runs`` runs against a Meta that fails, drops and throttles."""
    assert stack.meta is not None
    queue = f"chaos-r2-{uuid.uuid4().hex[:6]}"
    upload_photos(stack, "r2", runs)
    worker = worker_for(stack, queue)
    for rule in R2_FAULTS:
        stack.meta.set_fault(rule)
    try:
        handles = await start_runs(client, "r2", runs, queue)
        outcomes = list(await asyncio.gather(*(outcome(h, timeout=1800) for h in handles)))
    finally:
        stack.meta.clear_faults()
        worker.stop()
    return tally(stack, "r2", outcomes)


async def round_r3(stack: EmbeddedStack, client: Client, runs: int) -> tuple[Tally, str]:
    """``runs`` concurrent runs of one brand over exactly ``runs`` photos, then one more."""
    queue = f"chaos-r3-{uuid.uuid4().hex[:6]}"
    upload_photos(stack, "r3", runs)
    worker = worker_for(stack, queue)
    try:
        handles = await start_runs(client, "r3", runs, queue)
        outcomes = list(await asyncio.gather(*(outcome(h, timeout=1800) for h in handles)))
        extra = await outcome((await start_runs(client, "r3", 1, queue))[0], timeout=300)
    finally:
        worker.stop()
    return tally(stack, "r3", outcomes), extra.reason or "published (unexpected)"


async def main_async(stack: EmbeddedStack, args: argparse.Namespace) -> None:
    client = await Client.connect(stack.temporal_address)
    started = time.monotonic()
    r1 = await round_r1(stack, client, args.runs_r1, args.kills)
    print(line("R1", r1, kills=r1.kills), f"({time.monotonic() - started:.0f} s)")
    started = time.monotonic()
    r2 = await round_r2(stack, client, args.runs_r2)
    print(line("R2", r2), f"({time.monotonic() - started:.0f} s)")
    for reason in sorted(set(r2.failed)):
        print(f"   R2 failed: {reason}")
    started = time.monotonic()
    r3, extra = await round_r3(stack, client, args.runs_r3)
    print(line("R3", r3), f"({time.monotonic() - started:.0f} s)")
    print(f"   R3 run {args.runs_r3 + 1}: {extra}")
    total = (r1.duplicates + r2.duplicates + r3.duplicates, r1.lost + r2.lost + r3.lost)
    reused = r1.reused + r2.reused + r3.reused
    print(
        f"CHAOS R1 runs={r1.runs} kills={r1.kills} R2 runs={r2.runs}"
        f" R3 runs={r3.runs} duplicates={total[0]} lost={total[1]} reused={reused}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs-r1", type=int, default=50)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--runs-r2", type=int, default=100)
    parser.add_argument("--runs-r3", type=int, default=100)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    stack = EmbeddedStack(StackOptions(brands_file=BRANDS, photos_dir=None)).start()
    try:
        asyncio.run(main_async(stack, args))
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
