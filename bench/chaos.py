"""Exactly-once under crashes and faults: the R1, R2, R3 and R9 rounds of the chaos bench.

    .venv/bin/python -m bench.chaos [--rounds R1,R2,R3,R9,R9-burst] [--runs-r1 50] [--kills 20]
        [--runs-r2 100] [--runs-r3 100] [--runs-r9 200] [--brands-r9 50] [--kills-r9 8]

R1 SIGKILLs the worker at random moments and restarts it; R2 has the Meta emulator fail 20 %
of calls with a 5xx, accept-then-drop 10 % and throttle 5 %; R3 runs 100 runs of one brand at
once over 100 photos, then one more. R9 runs 200 runs over 50 brands on two workers and two
replicas of each MCP server behind round-robin proxies, with R2's faults, while a
feed-publisher replica and a worker are SIGKILLed and started again; then the same burst
without faults on one replica of everything and on two (``bench/chaos_r9.py``). Each prints
its figures; the last line sums them up.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import tempfile
import time
import uuid
from pathlib import Path

from temporalio.client import Client

from devstack.meta_emulator import FaultRule
from devstack.stack import EmbeddedStack, StackOptions

from . import burst_parts
from .chaos_parts import Outcome, Tally, outcome, start_runs, tally, upload_photos
from .chaos_r9 import burst, round_r9
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
    rounds = set(args.rounds.split(","))
    results: dict[str, Tally] = {}
    if "R1" in rounds:
        started = time.monotonic()
        results["R1"] = r1 = await round_r1(stack, client, args.runs_r1, args.kills)
        print(line("R1", r1, kills=r1.kills), f"({time.monotonic() - started:.0f} s)")
    if "R2" in rounds:
        started = time.monotonic()
        results["R2"] = r2 = await round_r2(stack, client, args.runs_r2)
        print(line("R2", r2), f"({time.monotonic() - started:.0f} s)")
        for reason in sorted(set(r2.failed)):
            print(f"   R2 failed: {reason}")
    if "R3" in rounds:
        started = time.monotonic()
        results["R3"], extra = await round_r3(stack, client, args.runs_r3)
        print(line("R3", results["R3"]), f"({time.monotonic() - started:.0f} s)")
        print(f"   R3 run {args.runs_r3 + 1}: {extra}")
    if rounds & {"R9", "R9-burst"}:
        brands = r9_brands(stack, args)
    if "R9" in rounds:
        started = time.monotonic()
        results["R9"] = r9 = await round_r9(
            stack, client, brands, runs=args.runs_r9, kills=args.kills_r9, faults=R2_FAULTS
        )
        print(line("R9", r9, replicas=2, kills=r9.kills), f"({time.monotonic() - started:.0f} s)")
        for reason in sorted(set(r9.failed)):
            print(f"   R9 failed: {reason}")
    if "R9-burst" in rounds:
        await bursts_r9(stack, client, brands, args)
    figures = " ".join(
        f"{name} runs={result.runs}" + (f" kills={result.kills}" if result.kills else "")
        for name, result in results.items()
    )
    print(
        f"CHAOS {figures} duplicates={sum(r.duplicates for r in results.values())}"
        f" lost={sum(r.lost for r in results.values())}"
        f" reused={sum(r.reused for r in results.values())}"
    )


async def bursts_r9(
    stack: EmbeddedStack, client: Client, brands: list[str], args: argparse.Namespace
) -> None:
    """R9's runs on one replica of everything, then on two, without faults or kills, with
    P1's emulated latencies."""
    assert stack.meta is not None and stack.claude is not None
    stack.claude.latency_seconds = args.claude
    stack.meta.set_fault(FaultRule(kind="latency", seconds=args.meta))
    try:
        for replicas in (1, 2):
            figures = await burst(stack, client, brands, runs=args.runs_r9, replicas=replicas)
            print(figures.line(), f"(Claude {args.claude} s, Meta {args.meta} s per call)")
            print(figures.cpu_line())
    finally:
        stack.meta.clear_faults()
        stack.claude.latency_seconds = 0.0


def r9_brands(stack: EmbeddedStack, args: argparse.Namespace) -> list[str]:
    """R9's brands, with photos for their runs in R9 and in the two bursts, the bursts'
    warm-up runs and a spare."""
    names = sorted(name for name in stack.brands if name.startswith("b"))[: args.brands_r9]
    per_brand = 3 * -(-args.runs_r9 // args.brands_r9) + 4
    burst_parts.upload_photos(stack, names, per_brand=per_brand)
    return names


def brands_file(r9_brands: int) -> Path:
    """The rounds' brands: R1-R3's, and R9's ``b000``... (a Page and account each)."""
    folder = Path(tempfile.mkdtemp(prefix="feedpub-chaos-"))
    generated = burst_parts.write_brands_file(folder, r9_brands).read_text(encoding="utf-8")
    path = folder / "brands.toml"
    path.write_text(BRANDS.read_text(encoding="utf-8") + "\n" + generated, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs-r1", type=int, default=50)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--runs-r2", type=int, default=100)
    parser.add_argument("--runs-r3", type=int, default=100)
    parser.add_argument(
        "--rounds", default="R1,R2,R3,R9,R9-burst", help="which rounds, comma-separated"
    )
    parser.add_argument("--runs-r9", type=int, default=200)
    parser.add_argument("--brands-r9", type=int, default=50)
    parser.add_argument("--kills-r9", type=int, default=8)
    parser.add_argument("--claude", type=float, default=0.8, help="s per Claude call (bursts)")
    parser.add_argument("--meta", type=float, default=0.3, help="s per Meta call (bursts)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    options = StackOptions(brands_file=brands_file(args.brands_r9), photos_dir=None)
    stack = EmbeddedStack(options).start()
    try:
        asyncio.run(main_async(stack, args))
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
