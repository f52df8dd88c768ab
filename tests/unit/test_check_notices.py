"""What the daily checks tell, decided without Temporal: the brands checked, the runway and
token notices and their event ids."""

from __future__ import annotations

from datetime import UTC, date, datetime

from feedpub.brands import load_brands
from feedpub.contract.tools import PhotoStock
from temporal_app.activities.checks import CheckActivities
from temporal_app.checks.models import BrandsToCheckInput
from temporal_app.checks.notices import runway_notice, token_notice
from temporal_app.models import TokenCheck
from tests.conftest import FIXTURES

AT = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
DAY = date(2026, 12, 2)


async def test_every_brand_is_checked_also_one_disabled_in_the_brands_file() -> None:
    brands = load_brands(FIXTURES / "brands.toml")
    assert not brands["dormantshop"].enabled
    checks = CheckActivities(brands, None, None)  # type: ignore[arg-type]  # no server asked

    listed = await checks.brands_to_check(BrandsToCheckInput(brands=None))

    assert [settings.brand for settings in listed.brands] == sorted(brands)


def runway(unused: int, posts_per_day: int = 2) -> tuple[str, list[str], float | None]:
    notice = runway_notice("pomandi", PhotoStock("pomandi", unused), posts_per_day, 7, AT, DAY)
    return notice.kind, notice.clears, notice.days_of_posts


def test_the_runway_warns_below_the_threshold_alarms_at_none_and_else_clears_photos() -> None:
    assert runway(0) == ("photos_out", [], 0.0)
    assert runway(13) == ("photos_low", [], 6.5)
    assert runway(14) == ("back_to_normal", ["photos"], 7.0)


def test_a_problem_is_one_event_a_day_and_a_recovery_one_a_check() -> None:
    low = runway_notice("pomandi", PhotoStock("pomandi", 3), 2, 7, AT, DAY)
    well = runway_notice("pomandi", PhotoStock("pomandi", 30), 2, 7, AT, DAY)

    assert low.event_id == "photos_low:pomandi:2026-12-02"
    assert well.event_id == "back_to_normal:pomandi:photos:2026-12-02T08:00"


def test_the_token_is_invalid_expiring_with_the_days_left_or_back_to_normal() -> None:
    expiring = TokenCheck(True, "expires soon", expires_at="2026-12-05T20:00:00Z")

    invalid = token_notice("pomandi", TokenCheck(False, "Meta refused it"), AT, DAY)
    soon = token_notice("pomandi", expiring, AT, DAY)
    fine = token_notice("pomandi", TokenCheck(True), AT, DAY)

    assert (invalid.kind, invalid.reason) == ("token_invalid", "Meta refused it")
    assert (soon.kind, soon.days_left) == ("token_expiring", 3.5)
    assert (fine.kind, fine.clears) == ("back_to_normal", ["meta-token"])
