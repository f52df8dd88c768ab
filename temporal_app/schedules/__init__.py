"""Temporal Schedules per brand, and one of every brand's checks: built from ``brands.toml``
(``spec``), applied idempotently (``apply``, after ``search_attribute`` made sure runs can
carry ``Brand``), operated by id (``operations``), described for ``feedpub schedules list``
(``status``, written by ``listing``); planned runs found and cancelled (``planned_runs``);
``python -m temporal_app.schedules`` (``__main__``,
``RUN_MODE=scheduler``) applies them once."""

from .apply import CHECKS_LABEL, ScheduleChange, apply_checks_schedule, apply_schedules
from .listing import format_brand_schedule, format_checks_schedule
from .operations import (
    BrandDisabled,
    backfill_schedule,
    delete_schedule,
    pause_brand,
    pause_schedule,
    trigger_schedule_now,
    unpause_brand,
    unpause_schedule,
)
from .planned_runs import (
    Cancellation,
    PlannedRun,
    cancel_planned_runs,
    cancel_runs_off_posting_times,
    planned_runs,
)
from .search_attribute import SearchAttributeUnavailable, ensure_brand_search_attribute
from .spec import DISABLED_NOTE, brand_schedule, checks_schedule
from .status import (
    BrandSchedule,
    LastRun,
    ScheduleView,
    describe_brand_schedules,
    describe_checks_schedule,
)

__all__ = [
    "CHECKS_LABEL",
    "DISABLED_NOTE",
    "BrandDisabled",
    "BrandSchedule",
    "Cancellation",
    "LastRun",
    "PlannedRun",
    "ScheduleChange",
    "ScheduleView",
    "SearchAttributeUnavailable",
    "apply_checks_schedule",
    "apply_schedules",
    "backfill_schedule",
    "brand_schedule",
    "cancel_planned_runs",
    "cancel_runs_off_posting_times",
    "checks_schedule",
    "delete_schedule",
    "describe_brand_schedules",
    "describe_checks_schedule",
    "ensure_brand_search_attribute",
    "format_brand_schedule",
    "format_checks_schedule",
    "pause_brand",
    "pause_schedule",
    "planned_runs",
    "trigger_schedule_now",
    "unpause_brand",
    "unpause_schedule",
]
