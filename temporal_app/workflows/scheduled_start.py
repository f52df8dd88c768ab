"""When the brand's schedule meant the current run to start, read inside the workflow."""

from __future__ import annotations

from datetime import UTC

from temporalio import workflow
from temporalio.common import SearchAttributeKey

__all__ = ["SCHEDULED_START", "scheduled_start"]

SCHEDULED_START = SearchAttributeKey.for_datetime("TemporalScheduledStartTime")
"""Set by Temporal on every run a Schedule starts, to the second: the calendar's time for a run
it starts on its own, the backfilled time for a backfill, the moment it was asked for a
trigger (checked on the dev server)."""


def scheduled_start() -> str | None:
    """The run's scheduled start (ISO 8601, UTC), or None for a run no schedule started.

    Deterministic: the value is part of the run's start event.
    """
    value = workflow.info().typed_search_attributes.get(SCHEDULED_START)
    return value.astimezone(UTC).isoformat() if value is not None else None
