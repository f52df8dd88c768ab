"""A run's policy: which slot it plans, when its approval expires, what it does at the slot."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from temporalio.exceptions import ApplicationError

from feedpub.brands import Brand, load_brands
from temporal_app.activities.brands import brand_policy
from temporal_app.models import BrandPolicy, BrandPolicyInput

# 09:00 and 18:00 Brussels, 18 h ahead: planned at 15:00 the day before and at 00:00.
POMANDI = load_brands(Path(__file__).parents[2] / "brands.toml")["pomandi"]
APPROVED = replace(POMANDI, approval="required", jitter_seconds=120, at_slot_unapproved="publish")
THREE_PM = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)  # 15:00 in Brussels
TOMORROW_NINE = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def policy(brand: Brand = POMANDI, now: datetime = THREE_PM, **request: str) -> BrandPolicy:
    return brand_policy(brand, BrandPolicyInput(brand=brand.name, **request), now)


def test_a_run_scheduled_at_three_plans_tomorrow_nine_and_waits_for_approval_until_then() -> None:
    found = policy(APPROVED, THREE_PM + timedelta(seconds=2), scheduled_start=THREE_PM.isoformat())

    assert found.slot == TOMORROW_NINE.isoformat()
    # Tomorrow's 09:00, not today's 18:00: the deadline is the run's own slot.
    assert found.approval_deadline_seconds == 18 * 3600 - 2
    assert (found.jitter_seconds, found.at_slot_unapproved) == (120, "publish")
    assert found.batch_cutoff_seconds == 7200


def test_a_slot_asked_for_is_planned_while_it_is_in_the_future() -> None:
    soon = THREE_PM + timedelta(minutes=5)

    assert policy(requested_slot=soon.isoformat()).slot == soon.isoformat()
    assert policy(requested_slot="2026-11-20T15:05:00+01:00").slot == soon.isoformat()
    assert policy(requested_slot=(THREE_PM - timedelta(minutes=5)).isoformat()).slot is None


@pytest.mark.parametrize(
    ("scheduled_start", "why"),
    [
        (None, "feedpub run: no scheduled time"),
        ("2026-11-20T14:00:03.512+00:00", "a trigger at 15:00:03"),
        ("2026-11-19T14:00:00+00:00", "a backfill of yesterday's planning: its slot is past"),
    ],
)
def test_a_run_that_is_not_a_planning_start_of_a_future_slot_publishes_now(
    scheduled_start: str | None, why: str
) -> None:
    found = (
        policy(APPROVED, scheduled_start=scheduled_start) if scheduled_start else policy(APPROVED)
    )

    assert found.slot is None, why
    assert found.jitter_seconds == 0
    assert found.approval_deadline_seconds == 120 * 60  # the default timeout, before 18:00


def test_a_brand_that_does_not_plan_ahead_publishes_now_and_cuts_approval_at_the_next_slot() -> (
    None
):
    brand = replace(APPROVED, plan_ahead="0", approval_timeout_minutes=24 * 60)
    six_pm = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)

    found = policy(brand, scheduled_start=THREE_PM.isoformat())

    assert found.slot is None
    assert found.approval_deadline_seconds == (six_pm - THREE_PM).total_seconds()


def test_a_brand_without_approval_plans_without_a_deadline() -> None:
    found = policy(scheduled_start=THREE_PM.isoformat())

    assert (found.slot, found.approval_required) == (TOMORROW_NINE.isoformat(), False)


def test_a_slot_without_its_offset_is_refused_for_good() -> None:
    with pytest.raises(ApplicationError) as caught:
        policy(requested_slot="2026-11-21T09:00:00")

    assert caught.value.non_retryable
    assert "requested_slot '2026-11-21T09:00:00'" in str(caught.value)
