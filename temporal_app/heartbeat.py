"""Every activity heartbeats while it runs, so a worker that dies is noticed in seconds.

Without it, an activity lost with its worker is retried only when its start-to-close timeout
passes (minutes for a Claude call); with it, when the heartbeat timeout passes.
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
from typing import Any

from temporalio import activity
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput, Interceptor

__all__ = ["HEARTBEAT_EVERY_SECONDS", "HeartbeatInterceptor"]

HEARTBEAT_EVERY_SECONDS = 5.0


class HeartbeatInterceptor(Interceptor):
    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _Heartbeating(next)


class _Heartbeating(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        if activity.info().is_local:
            # A local activity cannot heartbeat: its workflow task's timeout watches it.
            return await super().execute_activity(input)

        async def beat() -> None:
            # The heartbeat timeout runs from the start of the attempt, so the first beat can
            # wait: the many steps that end within seconds send none (one call less each).
            while True:
                await asyncio.sleep(HEARTBEAT_EVERY_SECONDS)
                activity.heartbeat()

        task = asyncio.create_task(beat())
        try:
            return await super().execute_activity(input)
        finally:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
