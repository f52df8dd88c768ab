"""When a brand's daily checks and digest are due, from the hourly ticks of the checks' Schedule
seen in the brand's zone: once a day, at the local time set, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from temporal_app.checks.models import BrandCheckSettings
from temporal_app.checks.notices import digest_notice
from temporal_app.checks.timing import DueChecks, due_checks

BRUSSELS = ZoneInfo("Europe/Brussels")


def settings(check: str = "08:00", digest: str = "mon 09:00", zone: str = "Europe/Brussels"):
    return BrandCheckSettings("pomandi", zone, check, digest, posts_per_day=2, runway_warn_days=7)


def ticks(day: date, zone: ZoneInfo = BRUSSELS) -> list[datetime]:
    """The Schedule's hourly ticks (on the hour, UTC) of one local date."""
    start = datetime.combine(day, datetime.min.time(), tzinfo=zone).astimezone(UTC)
    start = start.replace(minute=0)  # the hour it falls in: ticks are on the hour, UTC
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    found, tick = [], start
    while tick < end.astimezone(UTC):
        found.append(tick)
        tick += timedelta(hours=1)
    return found


def local_times_of_daily_checks(brand: BrandCheckSettings, day: date) -> list[str]:
    zone = ZoneInfo(brand.time_zone)
    return [
        f"{tick.astimezone(zone):%H:%M %Z}"
        for tick in ticks(day, zone)
        if "token" in due_checks(brand, tick).checks
    ]


def test_the_daily_checks_run_once_at_the_local_time_in_winter_and_in_summer() -> None:
    assert local_times_of_daily_checks(settings(), date(2026, 1, 15)) == ["08:00 CET"]
    assert local_times_of_daily_checks(settings(), date(2026, 7, 15)) == ["08:00 CEST"]


def test_a_check_set_in_the_hour_clocks_skip_runs_once_just_after_it() -> None:
    # 29 March 2026: Brussels goes from 02:00 CET straight to 03:00 CEST.
    assert local_times_of_daily_checks(settings("02:00"), date(2026, 3, 29)) == ["03:00 CEST"]
    assert local_times_of_daily_checks(settings("02:30"), date(2026, 3, 29)) == ["03:00 CEST"]
    assert local_times_of_daily_checks(settings("08:00"), date(2026, 3, 29)) == ["08:00 CEST"]


def test_a_check_set_in_the_hour_clocks_repeat_runs_once_in_its_first_pass() -> None:
    # 25 October 2026: Brussels goes back from 03:00 CEST to 02:00 CET; 02:xx comes twice.
    assert local_times_of_daily_checks(settings("02:00"), date(2026, 10, 25)) == ["02:00 CEST"]
    assert local_times_of_daily_checks(settings("08:00"), date(2026, 10, 25)) == ["08:00 CET"]


def test_a_zone_half_an_hour_off_utc_checks_in_the_half_hour_after_the_time_set() -> None:
    kolkata = settings("08:00", zone="Asia/Kolkata")
    assert local_times_of_daily_checks(kolkata, date(2026, 3, 29)) == ["08:30 IST"]


def test_the_checks_are_for_the_local_date_even_when_utc_is_on_another_day() -> None:
    late = settings("23:30")
    tick = datetime(2026, 7, 15, 22, 0, tzinfo=UTC)  # 00:00 CEST on the 16th

    due = due_checks(late, tick)

    assert due.checks == ("token", "runway")
    assert due.day == date(2026, 7, 15)


def test_the_digest_is_due_on_its_weekday_at_its_hour_and_covers_the_seven_days_before() -> None:
    monday_nine = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # Mon 09:00 CET

    due = due_checks(settings(), monday_nine)

    assert due.checks == ("digest",)
    assert due.digest_until == datetime(2026, 11, 30, 9, 0, tzinfo=BRUSSELS)
    assert due.digest_since == datetime(2026, 11, 23, 9, 0, tzinfo=BRUSSELS)
    assert due_checks(settings(), monday_nine + timedelta(hours=1)).checks == ()
    assert due_checks(settings(), monday_nine + timedelta(days=1)).checks == ()
    assert due_checks(settings(digest="off"), monday_nine).checks == ()


def test_the_week_of_a_digest_after_the_clocks_went_back_starts_at_the_same_local_hour() -> None:
    monday_after = datetime(2026, 10, 26, 8, 0, tzinfo=UTC)  # Mon 09:00 CET, after CEST ended

    due = due_checks(settings(), monday_after)

    assert due.digest_since is not None
    assert f"{due.digest_since:%a %H:%M %Z}" == "Mon 09:00 CEST"
    assert due.digest_until is not None
    assert due.digest_until.astimezone(UTC) - due.digest_since.astimezone(UTC) == timedelta(
        days=7, hours=1
    )


def test_a_digest_asked_for_by_hand_leaves_the_week_its_own_digest() -> None:
    wednesday = datetime(2026, 12, 2, 10, 23, tzinfo=UTC)
    next_monday_nine = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    asked = due_checks(settings(digest="fri 17:00"), wednesday, force=["digest"])
    friday = due_checks(settings(digest="fri 17:00"), datetime(2026, 12, 4, 16, 0, tzinfo=UTC))
    monday_asked = due_checks(settings(), next_monday_nine, force=["digest"])

    def event_id(due: DueChecks) -> str:
        assert due.digest_day is not None
        notice = digest_notice("pomandi", [], due.local, due.digest_day, asked=due.digest_asked)
        return notice.event_id

    assert (asked.digest_asked, friday.digest_asked) == (True, False)
    assert event_id(friday) == "weekly_digest:pomandi:2026-W49"
    assert event_id(asked) == "weekly_digest:pomandi:2026-W49:asked-2026-12-02T11:23"
    # Asked for at the very tick it is due: that is the week's own digest.
    assert not monday_asked.digest_asked


def test_forced_checks_run_at_any_hour_and_only_those_forced() -> None:
    afternoon = datetime(2026, 12, 2, 14, 37, tzinfo=UTC)

    assert due_checks(settings(), afternoon).checks == ()
    assert due_checks(settings(), afternoon, ["runway"]).checks == ("runway",)
    due = due_checks(settings(), afternoon, ["digest", "token"])
    assert due.checks == ("token", "digest")
    assert due.digest_until == afternoon
    assert due.day == date(2026, 12, 2)


def test_checks_asked_for_at_the_daily_hour_are_only_those_asked_for() -> None:
    eight = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)  # Monday 08:00 in Brussels
    nine = eight + timedelta(hours=1)

    assert due_checks(settings(), eight).checks == ("token", "runway")
    assert due_checks(settings(), eight, ["runway"]).checks == ("runway",)
    assert due_checks(settings(), nine).checks == ("digest",)
    assert due_checks(settings(), nine, ["token"]).checks == ("token",)
