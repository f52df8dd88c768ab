"""P9 — planning ahead over a simulated week of two brands: Claude cost per post planned against
at the slot, the delay from slot to post, and the share of captions that fell back.

    .venv/bin/python -m bench.plan_ahead [--days 7] [--real-time-posts 8]

The week: two brands that plan 18 h ahead (``nl``, ``fr``), two posts a day, run in a
time-skipping Temporal against the embedded stack, and their twins (same language and voice,
``plan_ahead = "0"``) posting as many times at the slot. The Anthropic emulator draws each
batch's delay as Anthropic describes them (90 % within 30 min, 8 % within 6 h, 2 % never). Each
planned run sends its batch at once, in real time; then the emulator's clock is moved to just
before the runs' cut-offs (16 h later) and the runs' clocks skip to their ends: a batch that
would have ended by its cut-off has its captions at half price, the others are cancelled and
the captions written the ordinary way. When in those 16 hours a batch ends changes neither
figure, so the runs look at their batches once instead of every 15 minutes.

The delay is measured in real time, on the stack's own Temporal and worker: ``--real-time-posts``
planned posts of the two brands with slots a minute and a half ahead, from each slot to the
post being out on both platforms (publishing begins when the slot's timer fires, and both
platforms publish side by side).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from temporalio.client import Client, WorkflowHandle

from devstack.stack import EmbeddedStack, StackOptions
from feedpub.contract.run import PROGRESS, WORKFLOW_NAME, Progress, PublishReport, PublishRequest
from temporal_app.worker import run_worker

from .burst_parts import load_average
from .plan_ahead_parts import (
    AT_SLOT,
    PLANNED,
    cost_per_post,
    seconds_to_out,
    skipping_worker,
    upload_photos,
    write_brands,
)

PLAN_AHEAD = timedelta(hours=18)
TO_THE_CUTOFF = timedelta(hours=16) - timedelta(minutes=5)
"""How far the emulator's clock moves once the batches are sent: to 5 min before the first
cut-off (``batch_cutoff = "2h"``)."""
REAL_TIME_AHEAD = timedelta(seconds=90)


async def simulated_week(stack: EmbeddedStack, days: int) -> tuple[list[Any], list[Any]]:
    """The week's planned runs' outcomes and their twins' at-slot ones (a report or an error)."""
    assert stack.claude is not None
    async with skipping_worker(stack) as (env, queue):

        def start(brand: str, slot: datetime | None) -> Any:
            request = PublishRequest(brand=brand, slot=slot.isoformat() if slot else None)
            return env.client.start_workflow(
                WORKFLOW_NAME, request, result_type=PublishReport,
                id=f"p9-{brand}-{uuid.uuid4().hex[:8]}", task_queue=queue,
            )  # fmt: skip

        now = datetime.now(UTC).replace(microsecond=0)
        week = [brand for brand in PLANNED for _ in range(2 * days)]
        with env.with_time_skipping_disabled():  # until every batch is sent
            planned = [
                await start(brand, now + PLAN_AHEAD + timedelta(minutes=n))
                for n, brand in enumerate(week)
            ]
        looked = await until_sent(planned)
        if looked:
            print(f"warning: {looked} runs looked at their batch before the clock moved")
        stack.claude.clock.advance(TO_THE_CUTOFF.total_seconds())
        planned_ends = await asyncio.gather(
            *(to_the_end(env, handle) for handle in planned), return_exceptions=True
        )
        at_slot_ends: list[Any] = []
        for _ in range(days):  # a day's posts at once: the two brands' two slots
            handles = [await start(twin, None) for twin in AT_SLOT for _ in range(2)]
            at_slot_ends += await asyncio.gather(
                *(h.result() for h in handles), return_exceptions=True
            )
    return planned_ends, at_slot_ends


async def until_sent(handles: list[WorkflowHandle[Any, PublishReport]]) -> int:
    """Wait until every run has sent its caption batch (or ended); how many already looked."""
    deadline = asyncio.get_running_loop().time() + 300
    while True:
        progress = [await h.query(PROGRESS, result_type=Progress) for h in handles]
        sent = ["submit_caption_batch" in p.done or p.step == "done" for p in progress]
        if all(sent):
            return sum("collect_caption_batch" in p.done for p in progress)
        if asyncio.get_running_loop().time() > deadline:
            raise RuntimeError(f"{sent.count(False)} runs sent no caption batch in 5 minutes")
        await asyncio.sleep(0.5)


async def to_the_end(env: Any, handle: WorkflowHandle[Any, PublishReport]) -> PublishReport:
    await env.fast_forward(handle, None)
    return await handle.result()


async def real_time_delays(stack: EmbeddedStack, posts: int) -> list[Any]:
    """Planned posts whose slots come in real time, on the stack's own Temporal and worker."""
    stop = asyncio.Event()
    worker = asyncio.create_task(
        run_worker(stack.worker_settings(), stop=stop, notify_env=stack.notify_env)
    )
    try:
        client = await Client.connect(stack.temporal_address)
        first = datetime.now(UTC).replace(microsecond=0) + REAL_TIME_AHEAD
        handles = [
            await client.start_workflow(
                WORKFLOW_NAME,
                PublishRequest(PLANNED[n % 2], slot=(first + timedelta(seconds=7 * n)).isoformat()),
                result_type=PublishReport,
                id=f"p9-real-{uuid.uuid4().hex[:8]}",
                task_queue=stack.options.task_queue,
            )
            for n in range(posts)
        ]
        return list(await asyncio.gather(*(h.result() for h in handles), return_exceptions=True))
    finally:
        stop.set()
        await worker


def reports(outcomes: list[Any], what: str) -> list[PublishReport]:
    found = [o for o in outcomes if isinstance(o, PublishReport)]
    for failure in (o for o in outcomes if not isinstance(o, PublishReport)):
        print(f"{what}: a run failed: {getattr(failure, 'cause', failure)}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--real-time-posts", type=int, default=8)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    workdir = Path(tempfile.mkdtemp(prefix="feedpub-p9-"))
    options = StackOptions(write_brands(workdir), photos_dir=None, workdir=workdir / "stack")
    stack = EmbeddedStack(options).start()
    try:
        for seed, brand in enumerate(PLANNED + AT_SLOT):
            extra = args.real_time_posts if brand in PLANNED else 0
            upload_photos(stack, brand, 2 * args.days + extra + 2, seed)
        planned_ends, at_slot_ends = asyncio.run(simulated_week(stack, args.days))
        real_ends = asyncio.run(real_time_delays(stack, args.real_time_posts))
    finally:
        stack.stop()
    planned, at_slot = reports(planned_ends, "planned"), reports(at_slot_ends, "at the slot")
    ways = {
        way: sum(r.captions_via == way for r in planned)
        for way in ("batch", "batch, then ordinary", "ordinary")
    }
    print(
        f"simulated week: {len(planned)} planned posts of {len(planned_ends)}, captions by "
        + ", ".join(f"{way} {count}" for way, count in ways.items())
        + f"; {len(at_slot)} at-slot posts of {len(at_slot_ends)}"
    )
    planned_cost, at_slot_cost = cost_per_post(planned), cost_per_post(at_slot)
    print(f"Claude per post: planned ${planned_cost:.5f}, at the slot ${at_slot_cost:.5f}")
    delays = [d for d in map(seconds_to_out, reports(real_ends, "real time")) if d is not None]
    if not delays:
        raise SystemExit("no real-time planned post went out: no delay to show")
    print(
        f"real time: {len(delays)} planned posts, slot to out: "
        + ", ".join(f"{d:.2f}" for d in delays)
        + " s"
    )
    print(f"load {load_average()}")
    fallback = (len(planned) - ways["batch"]) / len(planned)
    ratio, p50 = planned_cost / at_slot_cost, statistics.median(delays)
    print(
        f"P9 cost_ratio={ratio:.2f} delay_p50_s={p50:.2f} delay_max_s={max(delays):.2f} "
        f"fallback_share={fallback:.3f}"
    )


if __name__ == "__main__":
    main()
