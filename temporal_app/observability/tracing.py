"""Langfuse traces: one trace per run, a span per activity attempt, Claude calls as
generations, and Temporal's own workflow and activity spans in the same tree. Off (no client,
no network) unless both Langfuse keys are set.

The tree, for a run with workflow id W (trace id ``Langfuse.create_trace_id(seed=W)``)::

    RunWorkflow:FeedPublisherWorkflow          Temporal, the root (``trace_tree``)
      StartActivity:generate_caption           Temporal, one per scheduled activity
        RunActivity:generate_caption           Temporal, one per attempt
          generate_caption                     ours: attempt, brand, ids (``activity_spans``)
            write captions                     ours: a generation (model, tokens, cost)
      CompleteWorkflow:FeedPublisherWorkflow

Spans are exported in the background (a batch processor); an unreachable or slow Langfuse
costs a run nothing. Only ids, brand names, step names, statuses and token counts go into
spans: no secret, no image, no caption text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from temporalio.worker import (
    ActivityInboundInterceptor,
    Interceptor,
    WorkflowInterceptorClassInput,
)

from feedpub.contract.run import ClaudeUsage

from ..captions.pricing import cost_usd

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
    from temporalio.contrib.opentelemetry import TracingInterceptor

__all__ = ["Tracing"]

log = logging.getLogger("feedpub.tracing")

# Langfuse and the span machinery are imported when tracing is on: a worker without keys does
# not load them (about 20 MB).


def _export_filter() -> Callable[[ReadableSpan], bool]:
    """Langfuse's default filter drops spans that are not about LLMs: keep Temporal's too."""
    from langfuse.span_filter import is_default_export_span

    from .trace_tree import TEMPORAL_SCOPE

    def exported(span: ReadableSpan) -> bool:
        scope = span.instrumentation_scope
        return is_default_export_span(span) or (scope is not None and scope.name == TEMPORAL_SCOPE)

    return exported


class Tracing:
    """A Langfuse client on its own tracer provider, or nothing when tracing is off."""

    def __init__(self, langfuse: Any | None = None, provider: TracerProvider | None = None):
        self.langfuse = langfuse
        self._provider = provider

    @classmethod
    def connect(cls, public_key: str | None, secret_key: str | None, base_url: str) -> Tracing:
        if not (public_key and secret_key):
            return cls(None)
        from langfuse import Langfuse
        from opentelemetry.sdk.trace import TracerProvider

        from .trace_tree import SeededIds

        # Our own provider, not the global one: the run's root span gets its id from the
        # workflow id (SeededIds), and nothing else in the process exports through it.
        provider = TracerProvider(id_generator=SeededIds())
        langfuse = Langfuse(
            public_key=public_key,
            secret_key=secret_key,
            base_url=base_url,
            tracer_provider=provider,
            should_export_span=_export_filter(),
        )
        return cls(langfuse, provider)

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
        """Temporal's OpenTelemetry interceptor around ours (ours runs inside its span)."""
        assert self.langfuse is not None and self._provider is not None
        from temporalio.contrib.opentelemetry import TracingInterceptor

        from .activity_spans import ActivitySpans
        from .trace_tree import TEMPORAL_SCOPE, RunTraceTracer

        temporal = TracingInterceptor(
            RunTraceTracer(self._provider.get_tracer(TEMPORAL_SCOPE)),
            # Runs started by a Schedule have no client span: make workflow spans anyway.
            always_create_workflow_spans=True,
        )
        return _Traced(temporal, ActivitySpans(self.langfuse))

    def flush(self) -> None:
        if self.langfuse is not None:
            self.langfuse.flush()

    def shutdown(self) -> None:
        """Export what is left (bounded by Langfuse's timeout) and stop the exporter."""
        if self.langfuse is not None:
            self.langfuse.shutdown()
        if self._provider is not None:
            self._provider.shutdown()


class _Traced(Interceptor):
    """Temporal's interceptor, with our activity spans nested inside its ``RunActivity``."""

    def __init__(self, temporal: TracingInterceptor, ours: Interceptor) -> None:
        self._temporal = temporal
        self._ours = ours

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return self._temporal.intercept_activity(self._ours.intercept_activity(next))

    def workflow_interceptor_class(self, input: WorkflowInterceptorClassInput) -> Any:
        return self._temporal.workflow_interceptor_class(input)


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
