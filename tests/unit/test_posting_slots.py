"""Next posting slot in the brand's own zone, across days and daylight-saving changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from feedpub.brands import load_brands
from feedpub.posting_slots import next_slot_after

POMANDI = load_brands(Path(__file__).parents[2] / "brands.toml")["pomandi"]  # 09:00 and 18:00


def test_the_next_slot_is_later_the_same_day() -> None:
    at = datetime(2026, 11, 21, 7, 0, tzinfo=UTC)  # 08:00 in Brussels (UTC+1)
    assert next_slot_after(POMANDI, at) == datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def test_after_the_last_slot_the_next_is_tomorrow_morning() -> None:
    at = datetime(2026, 11, 21, 20, 0, tzinfo=UTC)
    assert next_slot_after(POMANDI, at) == datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def test_a_slot_exactly_now_is_not_the_next_one() -> None:
    at = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)  # 09:00 local, exactly
    assert next_slot_after(POMANDI, at) == datetime(2026, 11, 21, 17, 0, tzinfo=UTC)


def test_nine_oclock_stays_nine_oclock_local_across_the_spring_change() -> None:
    # Brussels moves to UTC+2 on 2027-03-28: 09:00 local is 08:00 UTC before, 07:00 UTC after.
    before = next_slot_after(POMANDI, datetime(2027, 3, 27, 0, 0, tzinfo=UTC))
    after = next_slot_after(POMANDI, datetime(2027, 3, 28, 0, 0, tzinfo=UTC))
    assert (before.hour, after.hour) == (8, 7)


def test_only_the_brands_own_times_count() -> None:
    brand = replace(POMANDI, posting_times=("12:30",), time_zone="America/New_York")
    at = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)  # 08:00 in New York (UTC-4)
    assert next_slot_after(brand, at) == datetime(2026, 7, 1, 16, 30, tzinfo=UTC)
