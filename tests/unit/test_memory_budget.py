"""The memory budget of the decodes in flight: each waits its turn until what it needs is
free, in order, and what is handed out never exceeds the budget."""

from __future__ import annotations

import asyncio

import pytest

from mcp_servers.feed_publisher.imaging.memory_budget import MemoryBudget
from tests.polling import poll


class Holders:
    """Tasks holding a share of ``budget`` until told to let go, in the order they got it."""

    def __init__(self, budget: MemoryBudget) -> None:
        self.budget = budget
        self.order: list[str] = []
        self.most_in_use = 0
        self._let_go: dict[str, asyncio.Event] = {}

    def start(self, name: str, amount: int) -> asyncio.Task[None]:
        self._let_go[name] = asyncio.Event()
        return asyncio.create_task(self._hold(name, amount))

    def let_go(self, name: str) -> None:
        self._let_go[name].set()

    async def _hold(self, name: str, amount: int) -> None:
        async with self.budget.held(amount):
            self.order.append(name)
            self.most_in_use = max(self.most_in_use, self.budget.in_use)
            await self._let_go[name].wait()


async def test_work_waits_in_order_until_what_it_needs_is_free() -> None:
    holders = Holders(MemoryBudget(100))
    tasks = [holders.start("a", 70), holders.start("b", 60), holders.start("c", 10)]

    await poll(lambda: holders.budget.waiting == 2, "2 waiting", every=0)
    assert holders.order == ["a"], "c fits beside a, but does not overtake b"

    holders.let_go("a")
    await poll(lambda: holders.order == ["a", "b", "c"], "the order [a, b, c]", every=0)
    for name in "bc":
        holders.let_go(name)
    await asyncio.gather(*tasks)
    assert holders.most_in_use == 70
    assert holders.budget.in_use == 0


async def test_a_wait_given_up_leaves_its_turn_to_the_next() -> None:
    holders = Holders(MemoryBudget(100))
    first = holders.start("a", 90)
    given_up = holders.start("b", 50)
    after = holders.start("c", 10)
    await poll(lambda: holders.budget.waiting == 2, "2 waiting", every=0)

    given_up.cancel()

    await poll(lambda: holders.order == ["a", "c"], "the order [a, c]", every=0)
    holders.let_go("a")
    holders.let_go("c")
    await asyncio.gather(first, after)
    with pytest.raises(asyncio.CancelledError):
        await given_up
    assert holders.budget.in_use == 0 and holders.budget.waiting == 0


async def test_work_needing_more_than_the_whole_budget_runs_alone() -> None:
    holders = Holders(MemoryBudget(100))
    small = holders.start("a", 10)
    await poll(lambda: holders.order == ["a"], "the order [a]", every=0)
    huge = holders.start("b", 500)
    await poll(lambda: holders.budget.waiting == 1, "1 waiting", every=0)

    holders.let_go("a")

    await poll(lambda: holders.order == ["a", "b"], "the order [a, b]", every=0)
    assert holders.budget.in_use == 100
    holders.let_go("b")
    await asyncio.gather(small, huge)
