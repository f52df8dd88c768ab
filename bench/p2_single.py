"""P2 — one run alone with zero-latency emulators, against the bare Temporal skeleton alone.

    .venv/bin/python -m bench.p2_single [--runs 15]

The stack and the two worker processes of P1 (``bench.p1_burst``), emulators answering at
once: no latency on any call, and an Instagram container ready as soon as it is created (the
skeleton has no container to wait for either). ``--runs`` times, one after the other: a
skeleton run alone, then a real run alone, each timed from the start request to its result,
with ``--pause`` seconds of quiet before each: the dev server hands workflow tasks over about
40 ms late once runs follow each other closely, which would hide a run's own work behind it.
The figure is the ratio of the medians.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import uuid
from pathlib import Path

from temporalio.client import Client

from devstack.stack import EmbeddedStack, StackOptions
from feedpub.contract.run import PublishRequest
from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow

from .burst_parts import burst, load_average, upload_photos, write_brands_file
from .skeleton import Latency
from .worker_process import product_and_skeleton


async def measure(
    stack: EmbeddedStack, runs: int, pause: float
) -> tuple[list[float], list[float], dict[str, list[float]]]:
    assert stack.meta is not None
    stack.meta.state.processing_seconds = 0.0
    client = await Client.connect(stack.temporal_address)
    product, product_queue, skeleton, skeleton_queue = product_and_skeleton(stack, "p2")

    def one_product_run():  # type: ignore[no-untyped-def]
        return client.start_workflow(
            FeedPublisherWorkflow.run, PublishRequest(brand="b000"),
            id=f"p2-{uuid.uuid4().hex[:8]}", task_queue=product_queue,
        )  # fmt: skip

    def one_skeleton_run():  # type: ignore[no-untyped-def]
        return client.start_workflow(
            "SkeletonWorkflow", Latency(), id=f"sk-{uuid.uuid4().hex[:8]}",
            task_queue=skeleton_queue,
        )  # fmt: skip

    floors: list[float] = []
    reals: list[float] = []
    steps: dict[str, list[float]] = {}
    try:
        await burst([one_skeleton_run])  # warm-up, not counted
        await burst([one_product_run])
        for _ in range(runs):
            await asyncio.sleep(pause)
            floors.append((await burst([one_skeleton_run])).seconds)
            await asyncio.sleep(pause)
            real = await burst([one_product_run])
            if real.failures:
                raise RuntimeError(f"a run failed: {real.failures[0]}")
            reals.append(real.seconds)
            for step, took in real.results[0].timings.items():
                steps.setdefault(step, []).append(took)
    finally:
        product.stop()
        skeleton.stop()
    return reals, floors, steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--pause", type=float, default=2.0, help="quiet seconds before each run")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    workdir = Path(tempfile.mkdtemp(prefix="feedpub-p2-"))
    stack = EmbeddedStack(
        StackOptions(
            brands_file=write_brands_file(workdir, 1), photos_dir=None, workdir=workdir / "stack"
        )
    ).start()
    try:
        upload_photos(stack, ["b000"], per_brand=args.runs + 1)
        reals, floors, steps = asyncio.run(measure(stack, args.runs, args.pause))
    finally:
        stack.stop()
    real, floor = statistics.median(reals), statistics.median(floors)
    print(
        f"product runs: {', '.join(f'{s * 1000:.0f}' for s in reals)} ms\n"
        f"skeleton runs: {', '.join(f'{s * 1000:.0f}' for s in floors)} ms\nload {load_average()}"
    )
    medians = (f"{step} {statistics.median(took) * 1000:.0f}" for step, took in steps.items())
    print("median ms per step of the real runs: " + ", ".join(medians))
    extra = statistics.median(r - f for r, f in zip(reals, floors, strict=True))
    print(
        f"P2 limit: the run's own work (photo, Claude, Meta and MCP round trips, ledger) costs"
        f" {extra * 1000:.0f} ms over the skeleton (median), step by step above"
    )
    print(f"P2 run={real * 1000:.0f}ms floor={floor * 1000:.0f}ms ratio={real / floor:.2f}")


if __name__ == "__main__":
    main()
