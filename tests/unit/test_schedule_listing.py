"""`feedpub schedules list` for a brand that plans ahead: each next run names the slot it plans."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from temporal_app.schedules.listing import format_brand_schedule
from temporal_app.schedules.status import BrandSchedule

from .test_schedule_spec import BRAND  # 09:00 and 18:30 Brussels

FRIDAY_THREE_PM = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)


def test_a_planned_brand_lists_the_slot_each_next_run_plans() -> None:
    brand = replace(BRAND, plan_ahead="18h")
    view = BrandSchedule(brand=brand, exists=True, next_runs=[FRIDAY_THREE_PM])

    head, _state, next_run, *_ = format_brand_schedule(view)

    assert head.endswith("daily at 09:00, 18:30 Europe/Brussels, each planned 18h ahead")
    assert next_run.endswith("Fri 2026-11-20 15:00 CET  =  2026-11-20 14:00 UTC  plans Sat 09:00")


def test_a_brand_that_publishes_at_the_slot_lists_its_slots_as_before() -> None:
    view = BrandSchedule(brand=BRAND, exists=True, next_runs=[FRIDAY_THREE_PM])

    head, _state, next_run, *_ = format_brand_schedule(view)

    assert head.endswith("daily at 09:00, 18:30 Europe/Brussels")
    assert next_run.endswith("2026-11-20 14:00 UTC")
