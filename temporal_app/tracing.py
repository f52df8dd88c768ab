"""Langfuse traces: one trace per run, a span per activity attempt, Claude calls as
generations. Off (no client, no network) unless both Langfuse keys are set.

Only ids, brand names, step names and token counts go into spans: no secret, no image.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from temporalio import activity
from temporalio.worker import (
    ActivityInboundInterceptor,
    ExecuteActivityInput,
    Interceptor,
)

from .models import ClaudeUsage
from .pricing import cost_usd

__all__ = ["Tracing"]

log = logging.getLogger("feedpub.tracing")


class Tracing:
    """A Langfuse client, or nothing when tracing is off."""

    def __init__(self, langfuse: Any | None = None) -> None:
        self.langfuse = langfuse

    @classmethod
    def connect(cls, public_key: str | None, secret_key: str | None, base_url: str) -> Tracing:
        if not (public_key and secret_key):
            return cls(None)
        from langfuse import Langfuse

        return cls(Langfuse(public_key=public_key, secret_key=secret_key, base_url=base_url))

    @property
    def enabled(self) -> bool:
        return self.langfuse is not None

    @contextmanager
    def generation(self, name: str, model: str) -> Iterator[Any]:
        """A generation under the current activity's span; ``record(usage)`` it when done."""
        if self.langfuse is None:
            yield _NoGeneration()
            return
        with self.langfuse.start_as_current_observation(
            name=name, as_type="generation", model=model
        ) as generation:
            yield _Generation(generation)

    def interceptor(self) -> Interceptor:
        return _ActivityTracingInterceptor(self)

    def flush(self) -> None:
        if self.langfuse is not None:
            self.langfuse.flush()

    def shutdown(self) -> None:
        if self.langfuse is not None:
            self.langfuse.shutdown()


class _NoGeneration:
    def record(self, usage: ClaudeUsage) -> None:
        pass


class _Generation:
    def __init__(self, observation: Any) -> None:
        self._observation = observation

    def record(self, usage: ClaudeUsage) -> None:
        cost = cost_usd(usage)
        self._observation.update(
            usage_details={
                "input": usage.input_tokens,
                "output": usage.output_tokens,
                "cache_creation_input_tokens": usage.cache_creation_input_tokens,
                "cache_read_input_tokens": usage.cache_read_input_tokens,
            },
            cost_details={"total": cost} if cost is not None else None,
        )


class _ActivityTracingInterceptor(Interceptor):
    def __init__(self, tracing: Tracing) -> None:
        self._tracing = tracing

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _TracedActivity(next, self._tracing)


class _TracedActivity(ActivityInboundInterceptor):
    def __init__(self, next: ActivityInboundInterceptor, tracing: Tracing) -> None:
        super().__init__(next)
        self._tracing = tracing

    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        langfuse = self._tracing.langfuse
        if langfuse is None:
            return await super().execute_activity(input)
        info = activity.info()
        brand = getattr(input.args[0], "brand", None) if input.args else None
        run_id = info.workflow_run_id or info.workflow_id or ""
        from langfuse import propagate_attributes

        span = langfuse.start_as_current_observation(
            name=info.activity_type,
            as_type="span",
            trace_context={"trace_id": langfuse.create_trace_id(seed=run_id)},
            metadata={"attempt": info.attempt, "workflow_id": info.workflow_id, "run_id": run_id},
        )
        attributes = propagate_attributes(
            trace_name=f"{brand or 'feedpub'} post",
            session_id=info.workflow_id,
            tags=[brand] if brand else None,
            metadata={"brand": brand or "", "run_id": run_id},
        )
        with span as observation, attributes:
            try:
                return await super().execute_activity(input)
            except BaseException as exc:
                observation.update(level="ERROR", status_message=str(exc)[:500])
                raise
