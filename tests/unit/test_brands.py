"""The brands file: the shipped one loads, and every broken one is explained in one pass."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench.hostile_cases import BRANDS_CASES, BrandsCase
from feedpub.brand_notify import weekly_time
from feedpub.brands import BrandsFileError, load_brands, parse_brands

ROOT = Path(__file__).parents[2]
SHIPPED_BRANDS_FILE = ROOT / "brands.toml"

VALID_BRAND: dict[str, Any] = {
    "language": "nl",
    "time_zone": "Europe/Brussels",
    "posting_times": ["09:00", "18:00"],
    "s3_prefix": "pomandi/",
    "facebook_page_id": "101000000000001",
    "instagram_user_id": "17841400000000001",
    "meta_token_env": "META_ACCESS_TOKEN_POMANDI",
    "voice": "Warm, stylish and direct.",
}


def problems_of(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(BrandsFileError) as caught:
        parse_brands(raw)
    return caught.value.problems


def brand_with(**changes: Any) -> dict[str, Any]:
    return {**VALID_BRAND, **changes}


def brand_without(field: str) -> dict[str, Any]:
    return {key: value for key, value in VALID_BRAND.items() if key != field}


def test_shipped_brands_file_holds_pomandi_and_costume() -> None:
    brands = load_brands(SHIPPED_BRANDS_FILE)

    assert sorted(brands) == ["costume", "pomandi"]


@pytest.mark.parametrize("path", ["brands.toml", "tests/fixtures/brands.toml", "bench/brands.toml"])
def test_every_brands_file_in_the_repository_is_accepted(path: str) -> None:
    assert load_brands(ROOT / path)


def test_the_brands_file_the_burst_bench_writes_is_accepted(tmp_path: Path) -> None:
    from bench.burst_parts import write_brands_file

    assert len(load_brands(write_brands_file(tmp_path, 200))) == 200


def test_pomandi_posts_in_dutch_at_nine_and_six_brussels_time() -> None:
    pomandi = load_brands(SHIPPED_BRANDS_FILE)["pomandi"]

    assert pomandi.language == "nl"
    assert pomandi.time_zone == "Europe/Brussels"
    assert pomandi.posting_times == ("09:00", "18:00")
    assert pomandi.meta_token_env == "META_ACCESS_TOKEN_POMANDI"


def test_costume_posts_in_french_at_ten_and_seven() -> None:
    costume = load_brands(SHIPPED_BRANDS_FILE)["costume"]

    assert costume.language == "fr"
    assert costume.time_zone == "Europe/Paris"
    assert costume.posting_times == ("10:00", "19:00")


@pytest.mark.parametrize(
    ("table", "field", "words"),
    [
        (brand_with(colour="red"), "colour", "unknown field"),
        (brand_without("voice"), "voice", "missing field"),
        (brand_with(posting_times="09:00"), "posting_times", "must be a list"),
        (brand_with(facebook_page_id=101000000000001), "facebook_page_id", "must be a string"),
        (brand_with(posting_times=["09:00", "25:00"]), "posting_times", "'25:00'"),
        (brand_with(posting_times=["9:00"]), "posting_times", "HH:MM"),
        (brand_with(posting_times=[900]), "posting_times", "HH:MM"),
        (brand_with(posting_times=[{"hour": 9}]), "posting_times", "HH:MM"),
        (brand_with(posting_times=["09:00", "09:00"]), "posting_times", "repeats a time"),
        (brand_with(posting_times=[]), "posting_times", "empty"),
        (brand_with(time_zone="Europe/Atlantis"), "time_zone", "not a known time zone"),
        (brand_with(time_zone="../etc/passwd"), "time_zone", "not a known time zone"),
        (brand_with(language="nld"), "language", "ISO 639-1"),
        (brand_with(language="NL"), "language", "ISO 639-1"),
        (brand_with(meta_token_env="EAAGm0PX4ZCpsBAKZCZBx7"), "meta_token_env", "token itself"),
        (brand_with(s3_prefix=""), "s3_prefix", "empty"),
        (brand_with(instagram_user_id="  "), "instagram_user_id", "empty"),
        (brand_with(photo_search_seconds=0), "photo_search_seconds", "between 1 and 3600"),
        (brand_with(photo_search_seconds="10m"), "photo_search_seconds", "a whole number"),
        (brand_with(rejections_in_a_row=1), "rejections_in_a_row", "between 2 and 100"),
        (brand_with(notify_env="NOTIFY_POMANDI_SLACK"), "notify_env", "must be a list"),
        (brand_with(notify_env=["SLACK_WEBHOOK"]), "notify_env", "'SLACK_WEBHOOK'"),
        (brand_with(notify_env=["META_ACCESS_TOKEN_POMANDI"]), "notify_env", "starting NOTIFY_"),
        (brand_with(notify_env=["notify_pomandi"]), "notify_env", "starting NOTIFY_"),
        (brand_with(notify_env=["NOTIFY_X", 7]), "notify_env", "entry 2 (not shown)"),
        (brand_with(notify_repeat_window="6 hours"), "notify_repeat_window", "not a duration"),
        (brand_with(notify_repeat_window=6), "notify_repeat_window", "must be a string"),
        (brand_with(runway_warn_days=0), "runway_warn_days", "between 1 and 365"),
        (brand_with(runway_warn_days=7.5), "runway_warn_days", "a whole number"),
        (brand_with(paused_alert_days=366), "paused_alert_days", "between 0 and 365"),
        (brand_with(digest="monday 09:00"), "digest", "like 'mon 09:00', nor 'off'"),
        (brand_with(digest="mon 9:00"), "digest", "like 'mon 09:00', nor 'off'"),
        (brand_with(daily_check_time="8:00"), "daily_check_time", "HH:MM"),
        (brand_with(daily_check_time="24:00"), "daily_check_time", "HH:MM"),
    ],
)
def test_each_broken_field_is_reported_with_brand_and_field_name(
    table: dict[str, Any], field: str, words: str
) -> None:
    problems = problems_of({"brands": {"pomandi": table}})

    assert len(problems) == 1, problems
    assert "brand 'pomandi'" in problems[0]
    assert f"'{field}'" in problems[0]
    assert words in problems[0]


@pytest.mark.parametrize("case", BRANDS_CASES, ids=[case.name for case in BRANDS_CASES])
def test_a_brands_entry_that_reaches_beyond_its_brand_refuses_the_file(case: BrandsCase) -> None:
    problems = problems_of({"brands": case.brands})

    assert len(problems) == 1, problems
    assert problems[0].startswith(f"brand '{case.brand}': field '{case.field}' ")
    assert case.words in problems[0]


def test_the_token_a_brands_entry_holds_by_mistake_is_not_repeated_in_the_refusal() -> None:
    problems = problems_of({"brands": {"pomandi": brand_with(meta_token_env="EAAGm0PX4ZCpsBAKZ")}})

    assert "EAAGm0PX4ZCpsBAKZ" not in " ".join(problems)


def test_brand_folders_side_by_side_with_a_common_start_are_accepted() -> None:
    brands = parse_brands(
        {
            "brands": {
                "pom": brand_with(s3_prefix="pom/"),
                "pomandi": brand_with(s3_prefix="pomandi/"),
            }
        }
    )

    assert [brand.s3_prefix for brand in brands.values()] == ["pom/", "pomandi/"]


def test_every_overlap_between_brand_folders_is_named() -> None:
    tables = {
        "pomandi": VALID_BRAND,
        "kids": brand_with(s3_prefix="pomandi/kids/"),
        "copycat": brand_with(s3_prefix="pomandi/", language="english"),
    }

    problems = problems_of({"brands": tables})

    assert [p for p in problems if "overlaps" in p] == [
        "brand 'kids': field 's3_prefix' 'pomandi/kids/' overlaps brand 'pomandi' prefix "
        "'pomandi/'; each brand needs a folder of its own",
        "brand 'copycat': field 's3_prefix' 'pomandi/' overlaps brand 'pomandi' prefix "
        "'pomandi/'; each brand needs a folder of its own",
        "brand 'copycat': field 's3_prefix' 'pomandi/' overlaps brand 'kids' prefix "
        "'pomandi/kids/'; each brand needs a folder of its own",
    ]


@pytest.mark.parametrize("name", ["Pomandi", "pomandi shop", "9lives", "pomandi_be", "x" * 41])
def test_a_brand_name_unfit_for_schedule_ids_is_reported(name: str) -> None:
    problems = problems_of({"brands": {name: VALID_BRAND}})

    assert problems == [f"brand '{name}': name must be lowercase a-z, 0-9, '-'"]


def test_a_brand_that_is_not_a_table_is_reported() -> None:
    problems = problems_of({"brands": {"pomandi": "nl"}})

    assert problems == ["brand 'pomandi': must be a table"]


@pytest.mark.parametrize("raw", [{}, {"brands": {}}, {"brands": "pomandi"}])
def test_a_file_without_brand_tables_is_reported(raw: dict[str, Any]) -> None:
    assert problems_of(raw) == ["no [brands.<name>] table"]


def test_an_unknown_top_level_key_is_reported() -> None:
    problems = problems_of({"brands": {"pomandi": VALID_BRAND}, "schedule": {}})

    assert problems == ["unknown top-level key 'schedule'"]


def test_every_problem_in_the_file_is_reported_at_once() -> None:
    raw = {
        "version": 2,
        "brands": {
            "pomandi": brand_with(language="dutch", time_zone="Mars/Olympus"),
            "costume": {**brand_without("meta_token_env"), "s3_prefix": "costume/"},
            "ok": brand_with(s3_prefix="ok/"),
        },
    }

    problems = problems_of(raw)

    assert problems == [
        "unknown top-level key 'version'",
        "brand 'pomandi': field 'language' must be an ISO 639-1 code like 'nl'",
        "brand 'pomandi': field 'time_zone' is not a known time zone: 'Mars/Olympus'",
        "brand 'costume': missing field 'meta_token_env'",
    ]


def test_the_error_message_names_the_file_and_joins_the_problems(tmp_path: Path) -> None:
    path = tmp_path / "brands.toml"
    path.write_text('[brands.pomandi]\nlanguage = "nl"\n', encoding="utf-8")

    with pytest.raises(BrandsFileError) as caught:
        load_brands(path)

    assert caught.value.path == str(path)
    assert str(caught.value).startswith(f"{path}: brand 'pomandi': missing field 'time_zone'; ")
    assert len(caught.value.problems) == 7


def test_invalid_toml_is_reported_with_the_parser_reason(tmp_path: Path) -> None:
    path = tmp_path / "brands.toml"
    path.write_text('[brands.pomandi]\nlanguage = "nl\n', encoding="utf-8")

    with pytest.raises(BrandsFileError) as caught:
        load_brands(path)

    [problem] = caught.value.problems
    assert problem.startswith("not valid TOML: ")
    assert "line 2" in problem


def test_a_missing_file_is_reported_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"

    with pytest.raises(BrandsFileError) as caught:
        load_brands(path)

    assert caught.value.problems == ["file not found"]
    assert str(path) in str(caught.value)


def test_a_valid_file_gives_brands_with_posting_times_as_a_tuple(tmp_path: Path) -> None:
    path = tmp_path / "brands.toml"
    path.write_text(
        """
        [brands.pomandi]
        language = "nl"
        time_zone = "Europe/Brussels"
        posting_times = ["09:00", "18:00"]
        s3_prefix = "pomandi/"
        facebook_page_id = "101000000000001"
        instagram_user_id = "17841400000000001"
        meta_token_env = "META_ACCESS_TOKEN_POMANDI"
        voice = "Warm, stylish and direct."
        """,
        encoding="utf-8",
    )

    brand = load_brands(path)["pomandi"]

    assert brand.name == "pomandi"
    assert brand.posting_times == ("09:00", "18:00")
    assert brand.voice == "Warm, stylish and direct."


def test_a_brand_declared_twice_is_named(tmp_path: Path) -> None:
    path = tmp_path / "brands.toml"
    path.write_text(SHIPPED_BRANDS_FILE.read_text() + '\n[brands.costume]\nlanguage = "fr"\n')
    with pytest.raises(BrandsFileError) as refused:
        load_brands(path)
    assert len(refused.value.problems) == 1
    assert refused.value.problems[0].startswith("brand 'costume' is declared twice")


def test_a_brand_is_told_at_the_destinations_of_the_whole_file_then_at_its_own() -> None:
    brands = parse_brands(
        {
            "notify_env": ["NOTIFY_TEAM_EMAIL"],
            "brands": {
                "pomandi": brand_with(notify_env=["NOTIFY_POMANDI_SLACK", "NOTIFY_TEAM_EMAIL"]),
                "costume": brand_with(s3_prefix="costume/"),
            },
        }
    )

    assert brands["pomandi"].notify_env == ("NOTIFY_TEAM_EMAIL", "NOTIFY_POMANDI_SLACK")
    assert brands["costume"].notify_env == ("NOTIFY_TEAM_EMAIL",)


def test_the_shipped_brands_are_told_by_e_mail_and_each_at_its_own_webhook() -> None:
    brands = load_brands(SHIPPED_BRANDS_FILE)

    assert brands["pomandi"].notify_env == ("NOTIFY_TEAM_EMAIL", "NOTIFY_POMANDI_WEBHOOK")
    assert brands["costume"].notify_env == ("NOTIFY_TEAM_EMAIL", "NOTIFY_COSTUME_WEBHOOK")


def test_a_brand_that_says_nothing_of_notices_gets_the_defaults() -> None:
    brand = parse_brands({"brands": {"pomandi": VALID_BRAND}})["pomandi"]

    assert brand.notify_env == ()
    assert brand.repeat_window_seconds == 6 * 3600
    assert (brand.runway_warn_days, brand.paused_alert_days) == (7, 3)
    assert weekly_time(brand.digest) == (0, "09:00")
    assert brand.daily_check_time == "08:00"
    assert brand.posts_per_day == 2


@pytest.mark.parametrize(
    ("window", "seconds"), [("2s", 2), ("30m", 1800), (" 6h ", 21600), ("2d", 172800)]
)
def test_the_repeat_window_is_read_in_seconds_minutes_hours_or_days(
    window: str, seconds: int
) -> None:
    brand = parse_brands({"brands": {"pomandi": brand_with(notify_repeat_window=window)}})

    assert brand["pomandi"].repeat_window_seconds == seconds


@pytest.mark.parametrize(
    ("digest", "when"), [("mon 09:00", (0, "09:00")), ("Sun 18:30", (6, "18:30")), ("off", None)]
)
def test_the_digest_is_a_weekday_and_a_local_time_or_off(
    digest: str, when: tuple[int, str] | None
) -> None:
    brand = parse_brands({"brands": {"pomandi": brand_with(digest=digest)}})["pomandi"]

    assert weekly_time(brand.digest) == when


def test_a_top_level_destination_list_that_is_wrong_is_named_as_top_level() -> None:
    assert problems_of({"notify_env": "NOTIFY_TEAM", "brands": {"pomandi": VALID_BRAND}}) == [
        "top-level 'notify_env' must be a list"
    ]
    assert problems_of({"notify_env": ["TEAM"], "brands": {"pomandi": VALID_BRAND}}) == [
        "top-level: field 'notify_env' has 'TEAM': it must name a variable starting NOTIFY_, "
        "such as NOTIFY_POMANDI_SLACK (never the URL itself)"
    ]


def test_a_destination_url_written_in_the_file_by_mistake_is_not_repeated_in_the_refusal() -> None:
    url = "slack://T0AAAA/B0BBBB/s3cr3tW3bh00kT0k3n"

    problems = problems_of({"brands": {"pomandi": brand_with(notify_env=[url])}})

    assert problems == [
        "brand 'pomandi': field 'notify_env' has entry 1 (not shown): it must name a variable "
        "starting NOTIFY_, such as NOTIFY_POMANDI_SLACK (never the URL itself)"
    ]
    assert "s3cr3t" not in " ".join(problems)
