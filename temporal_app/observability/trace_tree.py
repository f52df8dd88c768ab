"""Temporal's OpenTelemetry spans, rooted in the run's Langfuse trace.

Temporal's ``TracingInterceptor`` links the spans of a run through the client's span; a run
started by a Schedule has none, so each ``StartActivity`` span would open a trace of its own.
Here every span Temporal creates for a workflow lands in the trace whose id Langfuse derives
from the workflow id, and ``RunWorkflow`` is its root, with a span id derived the same way so
that spans made later (on another worker, after a restart) still find their parent. The
activity side needs nothing: its ``RunActivity`` spans arrive parented through the headers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from langfuse import Langfuse
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.trace.id_generator import RandomIdGenerator

__all__ = ["TEMPORAL_SCOPE", "RunTraceTracer", "SeededIds", "run_trace_ids"]

TEMPORAL_SCOPE = "temporalio.contrib.opentelemetry"
"""Instrumentation scope of Temporal's spans (let through Langfuse's export filter)."""

_forced: ContextVar[tuple[int, int] | None] = ContextVar("feedpub_forced_ids", default=None)


def run_trace_ids(workflow_id: str) -> tuple[int, int]:
    """The run's trace id (Langfuse's, seeded with the workflow id) and its root span id."""
    trace_id = int(Langfuse.create_trace_id(seed=workflow_id), 16)
    digest = hashlib.sha256(f"{workflow_id}/RunWorkflow".encode()).digest()
    return trace_id, int.from_bytes(digest[:8], "big") or 1


class SeededIds(RandomIdGenerator):
    """Random ids, except for the one span created under ``_forced`` (the run's root)."""

    def generate_span_id(self) -> int:
        forced = _forced.get()
        return forced[1] if forced else super().generate_span_id()

    def generate_trace_id(self) -> int:
        forced = _forced.get()
        return forced[0] if forced else super().generate_trace_id()


class RunTraceTracer(trace.Tracer):
    """The tracer given to Temporal's interceptor: it re-parents a run's spans (see above)."""

    def __init__(self, tracer: trace.Tracer) -> None:
        self._tracer = tracer

    def _placed(
        self, name: str, context: Context | None, attributes: Any, links: Any
    ) -> tuple[Context | None, list[trace.Link], tuple[int, int] | None]:
        """The context, links and forced ids a span gets in its run's trace."""
        links = list(links or ())
        workflow_id = (attributes or {}).get("temporalWorkflowID")
        if not workflow_id:
            return context, links, None
        trace_id, root_id = run_trace_ids(str(workflow_id))
        parent = trace.get_current_span(context).get_span_context()
        if parent.is_valid and parent.trace_id == trace_id and not name.startswith("RunWorkflow:"):
            return context, links, None
        if parent.is_valid:
            # A caller's own trace (a client with tracing on): kept as a link, not as the parent.
            links.append(trace.Link(parent))
        if name.startswith("RunWorkflow:"):
            return Context(), links, (trace_id, root_id)
        sampled = trace.TraceFlags(trace.TraceFlags.SAMPLED)
        root = trace.SpanContext(trace_id, root_id, is_remote=True, trace_flags=sampled)
        return trace.set_span_in_context(trace.NonRecordingSpan(root)), links, None

    def start_span(  # type: ignore[override]
        self,
        name: str,
        context: Context | None = None,
        kind: trace.SpanKind = trace.SpanKind.INTERNAL,
        attributes: Any = None,
        links: Sequence[trace.Link] | None = None,
        **options: Any,
    ) -> trace.Span:
        context, placed_links, forced = self._placed(name, context, attributes, links)
        token = _forced.set(forced)
        try:
            return self._tracer.start_span(
                name, context, kind, attributes=attributes, links=placed_links, **options
            )
        finally:
            _forced.reset(token)

    @contextmanager
    def start_as_current_span(  # type: ignore[override]
        self,
        name: str,
        context: Context | None = None,
        kind: trace.SpanKind = trace.SpanKind.INTERNAL,
        attributes: Any = None,
        links: Sequence[trace.Link] | None = None,
        end_on_exit: bool = True,
        **options: Any,
    ) -> Iterator[trace.Span]:
        span = self.start_span(name, context, kind, attributes, links, **options)
        with trace.use_span(
            span,
            end_on_exit=end_on_exit,
            record_exception=options.get("record_exception", True),
            set_status_on_exception=options.get("set_status_on_exception", True),
        ) as current:
            yield current
