"""P1 — a burst of 200 brands firing together, against the floor of a bare Temporal skeleton.

    .venv/bin/python -m bench.p1_burst [--brands 200] [--rounds 2] [--claude 0.8] [--meta 0.3]

One embedded stack with a generated brands file (one Page and Instagram account per brand),
the Anthropic emulator answering after ``--claude`` seconds and the Meta emulator after
``--meta`` seconds per call. Two worker processes with the same tuning: the real one
(``temporal_app.worker``) and the skeleton (``bench.skeleton``: the same ten activities, no-op
bodies sleeping the same emulated latencies). Each round starts ``--brands`` skeleton runs at
once, waits for all, then ``--brands`` real runs at once; a warm-up run on each side comes
first. The figure is the median makespan of the real bursts over the median of the skeleton
bursts. P6 (peak RSS of the worker, largest payload in any history) is read on the way.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from temporalio.client import Client

from devstack.meta_emulator import FaultRule
from devstack.stack import EmbeddedStack, StackOptions
from feedpub.contract.run import PublishRequest
from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow

from .burst_parts import (
    burst,
    cpu_seconds,
    largest_payload,
    load_average,
    upload_photos,
    write_brands_file,
)
from .skeleton import Latency
from .worker_process import product_and_skeleton


@dataclass
class Figures:
    product: list[float] = field(default_factory=list)
    skeleton: list[float] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    settled_rss_mb: float = 0.0
    """The worker's resident memory after its warm-up run, before the bursts."""
    largest_payload: int = 0
    failures: list[str] = field(default_factory=list)
    product_cpu: list[float] = field(default_factory=list)
    """CPU-seconds all processes of the stack used during each real burst."""
    skeleton_cpu: list[float] = field(default_factory=list)


async def measure(stack: EmbeddedStack, args: argparse.Namespace) -> Figures:
    assert stack.meta is not None and stack.claude is not None
    stack.claude.latency_seconds = args.claude
    if args.meta:
        stack.meta.set_fault(FaultRule(kind="latency", seconds=args.meta))
    latency = Latency(claude=args.claude, meta=args.meta)
    client = await Client.connect(stack.temporal_address)
    product, product_queue, skeleton, skeleton_queue = product_and_skeleton(stack, "p1")
    brands = sorted(stack.brands)[: args.brands]
    figures = Figures()

    def product_runs(names: list[str]) -> list:  # type: ignore[type-arg]
        return [
            lambda name=name: client.start_workflow(
                FeedPublisherWorkflow.run, PublishRequest(brand=name),
                id=f"p1-{name}-{uuid.uuid4().hex[:8]}", task_queue=product_queue,
            )
            for name in names
        ]  # fmt: skip

    def skeleton_runs(count: int) -> list:  # type: ignore[type-arg]
        return [
            lambda: client.start_workflow(
                "SkeletonWorkflow", latency,
                id=f"sk-{uuid.uuid4().hex[:8]}", task_queue=skeleton_queue,
            )
            for _ in range(count)
        ]  # fmt: skip

    try:
        warm = [await burst(skeleton_runs(1)), await burst(product_runs(brands[:1]))]
        print(f"warm-up: skeleton {warm[0].seconds:.2f} s, product {warm[1].seconds:.2f} s")
        handles = list(warm[1].handles)
        figures.settled_rss_mb = product.rss_mb()
        stack.meta.request_counts()  # counted from here on
        meta_before = sum(stack.meta.request_counts().values())
        claude_before = stack.claude.request_log.count
        timings: dict[str, list[float]] = {}
        pids = {"worker": product.pid, "skeleton": skeleton.pid, "bench": os.getpid(),
                **{name: child.pid for name, child in stack.children.items()}}  # fmt: skip
        for round_no in range(1, args.rounds + 1):
            cpu = {name: cpu_seconds(pid) for name, pid in pids.items()}
            floor = await burst(skeleton_runs(len(brands)))
            between = {name: cpu_seconds(pid) for name, pid in pids.items()}
            real = await burst(product_runs(brands))
            used = {name: cpu_seconds(pid) - between[name] for name, pid in pids.items()}
            figures.skeleton_cpu.append(sum(between[n] - cpu[n] for n in pids))
            figures.product_cpu.append(sum(used.values()))
            print("   cpu s: " + ", ".join(f"{k} {v:.0f}" for k, v in used.items()))
            for report in real.results:
                for step, took in report.timings.items():
                    timings.setdefault(step, []).append(took)
            figures.skeleton.append(floor.seconds)
            figures.product.append(real.seconds)
            figures.failures += floor.failures + real.failures
            handles += real.handles
            print(
                f"round {round_no}: skeleton {floor.seconds:.1f} s, product {real.seconds:.1f} s"
                f" ({len(real.failures)} failed), load {load_average()}"
            )
        print("   median s per step: " + ", ".join(
            f"{k} {statistics.median(v):.2f}" for k, v in timings.items()))  # fmt: skip
        runs = len(brands) * args.rounds
        meta_calls = sum(stack.meta.request_counts().values()) - meta_before
        claude_calls = stack.claude.request_log.count - claude_before
        print(
            f"per run: {meta_calls / runs:.2f} Meta calls, {claude_calls / runs:.2f} Claude calls"
        )
        figures.peak_rss_mb = product.peak_rss_mb()
        figures.largest_payload = await largest_payload(client, handles)
    finally:
        product.stop()
        skeleton.stop()
    return figures


def run(args: argparse.Namespace) -> Figures:
    workdir = Path(tempfile.mkdtemp(prefix="feedpub-burst-"))
    brands_file = write_brands_file(workdir, args.brands)
    stack = EmbeddedStack(
        StackOptions(brands_file=brands_file, photos_dir=None, workdir=workdir / "stack")
    ).start()
    try:
        upload_photos(stack, sorted(stack.brands), per_brand=args.rounds + 1)
        return asyncio.run(measure(stack, args))
    finally:
        stack.stop()


def parser(doc: str | None, rounds: int) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--brands", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=rounds)
    parser.add_argument("--claude", type=float, default=0.8, help="seconds per Claude call")
    parser.add_argument("--meta", type=float, default=0.3, help="seconds per Meta call")
    return parser


def p6_line(figures: Figures) -> str:
    return (
        f"P6 peak_rss={figures.peak_rss_mb:.0f}MB (after the warm-up run:"
        f" {figures.settled_rss_mb:.0f}MB) largest_payload="
        f"{figures.largest_payload / 1024:.1f}KB ({figures.largest_payload} bytes)"
    )


def cpu_note(figures: Figures, floor: float) -> str:
    """What bounds the makespan from below on this machine: the CPU the burst needs."""
    cores = os.cpu_count() or 1
    needed = statistics.median(figures.product_cpu)
    return (
        f"P1 limit: the real burst used {needed:.0f} CPU-s (the skeleton's "
        f"{statistics.median(figures.skeleton_cpu):.0f}), so it takes at least "
        f"{needed / cores:.1f} s on {cores} cores; 1.3x the floor is {1.3 * floor:.1f} s"
    )


def main() -> None:
    args = parser(__doc__, rounds=2).parse_args()
    logging.basicConfig(level=logging.ERROR)
    figures = run(args)
    for reason in sorted(set(figures.failures)):
        print(f"   failed: {reason}")
    print(p6_line(figures))
    product, floor = statistics.median(figures.product), statistics.median(figures.skeleton)
    print(cpu_note(figures, floor))
    print(f"P1 makespan={product:.1f}s floor={floor:.1f}s ratio={product / floor:.2f}")


if __name__ == "__main__":
    main()
