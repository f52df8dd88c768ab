"""Our Langfuse span for each activity attempt, and the run's trace name and metadata.

The span sits inside Temporal's ``RunActivity`` span (see ``tracing``); when an activity
arrives without Temporal's context (a run started before tracing was on), it joins the run's
trace under the root's derived id instead. Trace-level attributes (name, tags,
metadata) are set from what each activity's input says: brand and ids always, the photo key
once a step names it, the platform results from ``save_report``'s input.
"""

from __future__ import annotations

from typing import Any

from opentelemetry import trace
from temporalio import activity
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput, Interceptor

from feedpub.contract.schedules import scheduled_slot

from .trace_tree import run_trace_ids

__all__ = ["ActivitySpans", "trace_metadata", "trace_name"]


def trace_name(brand: str, workflow_id: str) -> str:
    """``"<brand> post <slot>"``: the Schedule's timestamp, or ``manual``."""
    return f"{brand} post {scheduled_slot(workflow_id) or 'manual'}"


def _short(value: object) -> str:
    # Langfuse refuses metadata values longer than 200 characters once JSON-encoded.
    return str(value)[:150]


def trace_metadata(arg: object, workflow_id: str, run_id: str) -> dict[str, str]:
    """Brand, ids, photo key and platform results: whatever this activity's input knows."""
    found = {"brand": getattr(arg, "brand", None), "workflow_id": workflow_id, "run_id": run_id}
    found["photo_key"] = getattr(arg, "photo_key", None) or getattr(arg, "key", None)
    if hasattr(arg, "facebook") and hasattr(arg, "status"):
        found["status"] = arg.status
        for platform in ("facebook", "instagram"):
            result = getattr(arg, platform)
            if result is not None:
                found[platform] = " ".join(
                    str(part) for part in (result.status, result.post_id or result.reason) if part
                )
    return {key: _short(value) for key, value in found.items() if value}


class ActivitySpans(Interceptor):
    def __init__(self, langfuse: Any) -> None:
        self._langfuse = langfuse

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _SpannedActivity(next, self._langfuse)


class _SpannedActivity(ActivityInboundInterceptor):
    def __init__(self, next: ActivityInboundInterceptor, langfuse: Any) -> None:
        super().__init__(next)
        self._langfuse = langfuse

    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        from langfuse import propagate_attributes

        info = activity.info()
        workflow_id, run_id = info.workflow_id or "", info.workflow_run_id or ""
        arg = input.args[0] if input.args else None
        metadata = trace_metadata(arg, workflow_id, run_id)
        brand = metadata.get("brand", "feedpub")
        parent = None
        if not trace.get_current_span().get_span_context().is_valid:
            trace_id, root_id = run_trace_ids(workflow_id)
            parent = {"trace_id": f"{trace_id:032x}", "parent_span_id": f"{root_id:016x}"}
        span = self._langfuse.start_as_current_observation(
            name=info.activity_type,
            as_type="span",
            trace_context=parent,
            metadata={"attempt": info.attempt, "activity_id": info.activity_id},
        )
        attributes = propagate_attributes(
            trace_name=trace_name(brand, workflow_id),
            tags=[brand],
            metadata=metadata,
        )
        with span as observation, attributes:
            try:
                return await super().execute_activity(input)
            except BaseException as exc:
                observation.update(level="ERROR", status_message=str(exc)[:500])
                raise
