"""R9 — two of everything, under crashes and Meta faults; and one replica of everything
against two, in makespan and CPU per post.

R9 runs ``runs`` runs over ``brands`` brands on two workers, with two replicas of each MCP
server behind round-robin proxies, while the Meta emulator fails, drops and throttles as in R2
and, at random moments, a feed-publisher replica or a worker is SIGKILLed and started again.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from typing import Any

from temporalio.client import Client, WorkflowHandle

from devstack.meta_emulator import FaultRule
from devstack.stack import EmbeddedStack
from feedpub.contract.run import PublishReport, PublishRequest
from temporal_app.workflows.feed_publisher import FeedPublisherWorkflow

from .chaos_parts import Outcome, Tally, outcome, tally
from .replicas import Fleet

VICTIM = "feed-publisher"


async def start_spread(
    client: Client, brands: list[str], runs: int, queue: str
) -> list[tuple[str, WorkflowHandle[Any, PublishReport]]]:
    """``runs`` runs at once, brand after brand in turn; each with its brand."""
    names = [brands[index % len(brands)] for index in range(runs)]
    handles = await asyncio.gather(*(
        client.start_workflow(
            FeedPublisherWorkflow.run, PublishRequest(brand=name),
            id=f"{queue}-{name}-{index:03d}", task_queue=queue,
        )
        for index, name in enumerate(names)
    ))  # fmt: skip
    return list(zip(names, handles, strict=True))


def tally_brands(stack: EmbeddedStack, outcomes: list[tuple[str, Outcome]]) -> Tally:
    """The round's figures summed over its brands."""
    total = Tally(runs=len(outcomes))
    for brand in sorted({name for name, _ in outcomes}):
        one = tally(stack, brand, [item for name, item in outcomes if name == brand])
        total.published_facebook += one.published_facebook
        total.published_instagram += one.published_instagram
        total.duplicates += one.duplicates
        total.lost += one.lost
        total.reused += one.reused
        total.failed += one.failed
    return total


async def round_r9(
    stack: EmbeddedStack,
    client: Client,
    brands: list[str],
    *,
    runs: int,
    kills: int,
    faults: list[FaultRule],
    seed: int = 9,
    pause: tuple[float, float] = (2.0, 6.0),
    down: tuple[float, float] = (0.5, 3.0),
) -> Tally:
    """``runs`` runs over ``brands`` on two of everything; ``kills`` crashes, of the
    feed-publisher replica and of the first worker in turn, at random moments ``pause``
    seconds apart, each down for ``down`` seconds."""
    assert stack.meta is not None
    fleet = Fleet(stack, 2, "chaos-r9").start()
    rng = random.Random(seed)
    for rule in faults:
        stack.meta.set_fault(rule)
    try:
        await fleet.polling(client)
        started = await start_spread(client, brands, runs, fleet.queue)
        done = asyncio.gather(*(outcome(handle, timeout=1800) for _, handle in started))
        while fleet.server_kills + fleet.worker_kills < kills and not done.done():
            await asyncio.sleep(rng.uniform(*pause))
            if fleet.server_kills <= fleet.worker_kills:
                fleet.kill_server(VICTIM)
                await asyncio.sleep(rng.uniform(*down))
                await asyncio.to_thread(fleet.restart_server, VICTIM)
            else:
                fleet.workers[0].kill()
                await asyncio.sleep(rng.uniform(*down))
                fleet.workers[0].start()
        outcomes = list(await done)
    finally:
        stack.meta.clear_faults()
        fleet.stop()
    names = [name for name, _ in started]
    result = tally_brands(stack, list(zip(names, outcomes, strict=True)))
    result.kills = fleet.server_kills + fleet.worker_kills
    print(f"   R9 kills: {VICTIM} replica {fleet.server_kills}, worker {fleet.worker_kills}")
    return result


@dataclass
class Burst:
    replicas: int
    seconds: float
    cpu: dict[str, float]
    """CPU-seconds each kind of process used during the burst."""
    published: int
    failed: int

    def line(self) -> str:
        total = sum(self.cpu.values())
        return (
            f"R9 burst replicas={self.replicas} makespan={self.seconds:.1f}s"
            f" cpu={total:.0f}s cpu_per_post={total / max(self.published, 1):.2f}s"
            f" published={self.published} failed={self.failed}"
        )

    def cpu_line(self) -> str:
        return "   cpu s: " + ", ".join(f"{k} {v:.0f}" for k, v in self.cpu.items())


async def burst(
    stack: EmbeddedStack, client: Client, brands: list[str], *, runs: int, replicas: int
) -> Burst:
    """``runs`` runs over ``brands`` at once on ``replicas`` of everything, without faults or
    kills: the time from the first start to the last result, and the CPU every process used
    (a published run is one post on Facebook and one on Instagram)."""
    fleet = Fleet(stack, replicas, f"burst-{replicas}").start()
    try:
        await fleet.polling(client)
        warm = await start_spread(client, brands[:1], replicas, fleet.queue)
        await asyncio.gather(*(outcome(handle, timeout=300) for _, handle in warm))
        cpu = fleet.cpu_seconds()
        began = time.monotonic()
        started = await start_spread(client, brands, runs, fleet.queue)
        outcomes = await asyncio.gather(*(outcome(h, timeout=1800) for _, h in started))
        seconds = time.monotonic() - began
        used = {name: took - cpu[name] for name, took in fleet.cpu_seconds().items()}
    finally:
        fleet.stop()
    published = sum(1 for item in outcomes if item.report is not None)
    return Burst(replicas, seconds, used, published, len(outcomes) - published)
