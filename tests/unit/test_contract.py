"""The wire written once: what one side writes, the other reads back."""

from __future__ import annotations

from feedpub.contract.errors import ToolFailure, decode_failure, encode_failure
from feedpub.contract.schedules import brand_of_schedule, schedule_id, scheduled_slot


def test_a_tool_failure_reads_back_after_the_sdks_words_even_with_braces_before_it() -> None:
    sent = ToolFailure("NoUnusedPhoto", "no unused photo under {pomandi/}", False, {"n": 0})

    text = f"Error executing tool get_random_unused_photo {{brand}}: {encode_failure(sent)} …"

    assert decode_failure(text) == sent


def test_text_that_is_not_a_written_failure_is_read_as_none() -> None:
    assert decode_failure("Internal Server Error") is None
    assert decode_failure('Error: {"type": "NoUnusedPhoto", "retryable": false}') is None
    assert decode_failure(encode_failure(ToolFailure("X", "cut", False))[:-5]) is None


def test_a_failure_that_does_not_say_it_is_final_may_be_retried() -> None:
    assert decode_failure('{"feedpub-error": 1, "type": "Busy"}') == ToolFailure("Busy", "", True)


def test_schedule_and_run_ids_name_their_brand_and_slot() -> None:
    assert schedule_id("pomandi") == "pomandi-daily-posts"
    assert brand_of_schedule("pomandi-daily-posts") == "pomandi"
    assert brand_of_schedule("nightly-cleanup") is None
    assert brand_of_schedule("-daily-posts") is None
    assert scheduled_slot("pomandi-daily-posts-2026-11-20T08:00:00Z") == "2026-11-20T08:00:00Z"
    assert scheduled_slot("pomandi-manual-20261120T080000Z") is None
