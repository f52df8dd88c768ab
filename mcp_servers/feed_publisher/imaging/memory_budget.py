"""A share of the server's memory handed out to the work in flight, first come first served.

Like a semaphore whose permits are bytes: each piece of work takes what it will need at its
peak and waits, in its turn, until that much is free. Work that needs more than the whole
budget takes all of it, alone. Written here because asyncio's semaphores and anyio's
CapacityLimiter hand out whole permits, one at a time, not amounts of different sizes; and
per process on purpose: it shares out this process's memory.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

__all__ = ["MemoryBudget"]


class MemoryBudget:
    def __init__(self, total: int) -> None:
        self.total = total
        self._free = total
        self._waiting: deque[tuple[int, asyncio.Future[None]]] = deque()

    @property
    def in_use(self) -> int:
        return self.total - self._free

    @property
    def waiting(self) -> int:
        """How many are waiting their turn."""
        return len(self._waiting)

    @asynccontextmanager
    async def held(self, amount: int) -> AsyncIterator[None]:
        """``amount`` bytes (at most the whole budget) for the duration of the block.

        They are given back synchronously on the way out, cancelled or not."""
        amount = min(amount, self.total)
        await self._acquire(amount)
        try:
            yield
        finally:
            self._free += amount
            self._wake()

    async def _acquire(self, amount: int) -> None:
        if not self._waiting and amount <= self._free:
            self._free -= amount
            return
        turn = asyncio.get_running_loop().create_future()
        waiting = (amount, turn)
        self._waiting.append(waiting)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self._free += amount  # granted just as the wait was cancelled
            elif waiting in self._waiting:
                self._waiting.remove(waiting)
            self._wake()
            raise

    def _wake(self) -> None:
        # In order: a large request at the head is not overtaken by smaller ones behind it.
        while self._waiting and self._waiting[0][0] <= self._free:
            amount, turn = self._waiting.popleft()
            if not turn.cancelled():
                self._free -= amount
                turn.set_result(None)
