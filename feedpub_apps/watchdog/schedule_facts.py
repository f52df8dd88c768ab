"""What the watchdog reads of a brand's Temporal Schedule, out of ``describe()``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from temporalio.client import ScheduleDescription

__all__ = ["ScheduleFacts"]


@dataclass(frozen=True)
class ScheduleFacts:
    """A brand's schedule as Temporal describes it, in the few facts the rules need."""

    paused: bool
    note: str | None
    created_at: datetime
    updated_at: datetime | None
    """When its spec or policies were last changed; pausing leaves it as it was."""
    last_action_at: datetime | None
    """The scheduled time of the newest run it started, if any is remembered: a slot, or for
    a brand that plans ahead, the planning time of one."""
    missed: int = 0
    """Slots missed by more than the catch-up window (Temporal down), since creation."""
    skipped: int = 0
    """Slots skipped because a run was still going (overlap policy), since creation."""

    @classmethod
    def of(cls, description: ScheduleDescription) -> ScheduleFacts:
        info, state = description.info, description.schedule.state
        actions = [action.scheduled_at for action in info.recent_actions]
        return cls(
            paused=state.paused,
            note=state.note,
            created_at=info.created_at,
            updated_at=info.last_updated_at,
            last_action_at=max(actions, default=None),
            missed=info.num_actions_missed_catchup_window,
            skipped=info.num_actions_skipped_overlap,
        )
