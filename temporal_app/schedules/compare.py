"""What differs between the schedule a brand should have and the one Temporal holds.

``apply`` updates a schedule only when this finds a difference, so running it twice changes
nothing the second time. Only the parts feedpub sets are compared; both sides go through the
same payload converter, so the workflow input and the memo compare as decoded values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

from temporalio.api.common.v1 import Payload
from temporalio.client import (
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleCalendarSpec,
    ScheduleSpec,
    ScheduleState,
)
from temporalio.converter import PayloadConverter

from .spec import DISABLED_NOTE

__all__ = ["differences", "state_to_keep"]


def state_to_keep(desired: ScheduleState, current: ScheduleState) -> ScheduleState:
    """The state to write: the file decides it only for a brand it disables or re-enables.

    A pause made by hand (``feedpub schedules pause``) survives the next apply, and so does a
    note written on an active schedule: apply runs on every deploy and must not undo them.
    """
    if desired.paused:
        return desired
    if current.paused and current.note == DISABLED_NOTE:
        return desired
    return replace(desired, paused=current.paused, note=current.note)


def differences(desired: Schedule, current: Schedule, converter: PayloadConverter) -> list[str]:
    """Names of the parts of ``current`` that are not as ``desired`` (empty: unchanged)."""
    changed = _action_differences(desired.action, current.action, converter)
    changed += _spec_differences(desired.spec, current.spec)
    if desired.policy.overlap != current.policy.overlap:
        changed.append("overlap policy")
    if desired.policy.catchup_window != current.policy.catchup_window:
        changed.append("catch-up window")
    if desired.policy.pause_on_failure != current.policy.pause_on_failure:
        changed.append("pause on failure")
    if desired.state.paused != current.state.paused:
        changed.append("unpaused" if current.state.paused else "paused")
    elif (desired.state.note or "") != (current.state.note or ""):
        changed.append("note")
    return changed


def _action_differences(desired: Any, current: Any, converter: PayloadConverter) -> list[str]:
    if not isinstance(current, ScheduleActionStartWorkflow):
        return ["action"]
    assert isinstance(desired, ScheduleActionStartWorkflow)
    changed = [
        label
        for label, attribute in (
            ("workflow", "workflow"),
            ("workflow id", "id"),
            ("task queue", "task_queue"),
            ("execution timeout", "execution_timeout"),
            ("run timeout", "run_timeout"),
        )
        if getattr(desired, attribute) != getattr(current, attribute)
    ]
    if _values(desired.args, converter) != _values(current.args, converter):
        changed.append("workflow input")
    if _memo(desired.memo, converter) != _memo(current.memo, converter):
        changed.append("memo")
    if _attributes(desired) != _attributes(current):
        changed.append("search attributes")
    return changed


def _spec_differences(desired: ScheduleSpec, current: ScheduleSpec) -> list[str]:
    changed = []
    if _calendars(desired.calendars) != _calendars(current.calendars):
        changed.append("calendars")
    if len(current.intervals) or len(current.cron_expressions) or len(current.skip):
        changed.append("extra intervals, cron or skip entries")
    if (desired.start_at, desired.end_at) != (current.start_at, current.end_at):
        changed.append("start or end")
    if (desired.time_zone_name or "UTC") != (current.time_zone_name or "UTC"):
        changed.append("time zone")
    if (desired.jitter or timedelta(0)) != (current.jitter or timedelta(0)):
        changed.append("jitter")
    return changed


def _calendars(calendars: Sequence[ScheduleCalendarSpec]) -> list[tuple[Any, ...]]:
    def ranges(values: Any) -> tuple[tuple[int, int, int], ...]:
        return tuple((r.start, max(r.end, r.start), r.step or 1) for r in values)

    return sorted(
        (
            ranges(c.second),
            ranges(c.minute),
            ranges(c.hour),
            ranges(c.day_of_month),
            ranges(c.month),
            ranges(c.year),
            ranges(c.day_of_week),
            c.comment or "",
        )
        for c in calendars
    )


def _values(values: Sequence[Any], converter: PayloadConverter) -> list[Any]:
    """Decoded values: a described schedule holds payloads, a built one Python objects."""
    values = list(values)
    if values and not isinstance(values[0], Payload):
        values = list(converter.to_payloads(values))
    return converter.from_payloads(values) if values else []


def _memo(memo: Mapping[str, Any] | None, converter: PayloadConverter) -> dict[str, Any]:
    return {key: _values([value], converter)[0] for key, value in (memo or {}).items()}


def _attributes(action: ScheduleActionStartWorkflow) -> set[tuple[str, Any]]:
    found = {(pair.key.name, pair.value) for pair in action.typed_search_attributes}
    untyped = action.untyped_search_attributes.items()
    return found | {(name, tuple(values)) for name, values in untyped}
