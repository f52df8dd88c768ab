"""Temporal Schedules per brand: built from ``brands.toml`` (``spec``), applied idempotently
(``apply``, after ``search_attribute`` made sure runs can carry ``Brand``), operated by id
(``operations``), described for ``feedpub schedules list`` (``status``);
``python -m temporal_app.schedules`` (``__main__``, ``RUN_MODE=scheduler``) applies them once."""

from .apply import ScheduleChange, apply_schedules
from .operations import (
    backfill_schedule,
    delete_schedule,
    pause_schedule,
    trigger_schedule_now,
    unpause_schedule,
)
from .search_attribute import SearchAttributeUnavailable, ensure_brand_search_attribute
from .spec import DISABLED_NOTE, brand_schedule
from .status import BrandSchedule, LastRun, describe_brand_schedules, format_brand_schedule

__all__ = [
    "DISABLED_NOTE",
    "BrandSchedule",
    "LastRun",
    "ScheduleChange",
    "SearchAttributeUnavailable",
    "apply_schedules",
    "backfill_schedule",
    "brand_schedule",
    "delete_schedule",
    "describe_brand_schedules",
    "ensure_brand_search_attribute",
    "format_brand_schedule",
    "pause_schedule",
    "trigger_schedule_now",
    "unpause_schedule",
]
