"""Planning ahead in brands.toml: the durations, the defaults, and the settings it refuses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from feedpub.brands import BrandsFileError, load_brands, parse_brands
from tests.schedules.support import write_brands

from .test_brands import VALID_BRAND, brand_with, problems_of


def brand_of(**changes: Any) -> Any:
    return parse_brands({"brands": {"pomandi": brand_with(**changes)}})["pomandi"]


def test_a_brand_that_says_nothing_plans_eighteen_hours_ahead_and_skips_an_undecided_post() -> None:
    brand = parse_brands({"brands": {"pomandi": VALID_BRAND}})["pomandi"]

    assert brand.planned
    assert (brand.plan_ahead_seconds, brand.batch_cutoff_seconds) == (18 * 3600, 2 * 3600)
    assert brand.at_slot_unapproved == "skip"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("0", 0), ("18h", 64800), ("90m", 5400), ("1h30m", 5400), ("72h", 259200), ("5m", 300)],
)
def test_plan_ahead_is_read_in_hours_and_minutes(text: str, seconds: int) -> None:
    assert brand_of(plan_ahead=text).plan_ahead_seconds == seconds


def test_plan_ahead_zero_publishes_at_the_slot_and_keeps_the_at_slot_settings() -> None:
    brand = brand_of(
        plan_ahead="0", overlap="buffer_one", approval_timeout_minutes=30, catchup_window_minutes=5
    )

    assert not brand.planned
    assert (brand.overlap, brand.approval_timeout_minutes) == ("buffer_one", 30)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"plan_ahead": "18 hours"}, "plan_ahead", "not a duration like '18h'"),
        ({"plan_ahead": "30s"}, "plan_ahead", "not a duration"),
        ({"plan_ahead": ""}, "plan_ahead", "not a duration"),
        ({"plan_ahead": "73h"}, "plan_ahead", "at most '72h'"),
        ({"plan_ahead": "71h61m"}, "plan_ahead", "at most '72h'"),
        ({"plan_ahead": 18}, "plan_ahead", "must be a string"),
        ({"batch_cutoff": "0"}, "batch_cutoff", "between '1m' and '72h'"),
        ({"batch_cutoff": "2 h"}, "batch_cutoff", "not a duration"),
        ({"at_slot_unapproved": "wait"}, "at_slot_unapproved", "one of skip, publish"),
    ],
)
def test_a_broken_planning_field_is_reported_with_brand_and_field_name(
    changes: dict[str, Any], field: str, words: str
) -> None:
    problems = problems_of({"brands": {"pomandi": brand_with(**changes)}})

    assert len(problems) == 1, problems
    assert problems[0].startswith(f"brand 'pomandi': field '{field}'")
    assert words in problems[0]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("overlap", "terminate_other"),
        ("approval_timeout_minutes", 60),
        ("catchup_window_minutes", 30),
    ],
)
@pytest.mark.parametrize("plan_ahead", [None, "6h"])
def test_an_at_slot_setting_beside_planning_ahead_is_one_line_naming_file_brand_and_both_fields(
    tmp_path: Path, field: str, value: Any, plan_ahead: str | None
) -> None:
    planning = {"plan_ahead": plan_ahead} if plan_ahead else {}
    path = write_brands(
        tmp_path / "brands.toml", {"pomandi": brand_with(**planning, **{field: value})}
    )

    with pytest.raises(BrandsFileError) as caught:
        load_brands(path)

    [problem] = caught.value.problems
    assert str(path) in str(caught.value)
    assert problem.startswith(f"brand 'pomandi': field '{field}' cannot be set with plan_ahead = ")
    assert ("(the default)" in problem) is (plan_ahead is None)
    assert "\n" not in problem
