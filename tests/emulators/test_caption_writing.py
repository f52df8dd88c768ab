"""The generate_caption activity against the Anthropic emulator, through the real SDK: a good
answer is published as written, a broken one is regenerated once with the problem stated,
and broken twice (or refused) the step fails for good, so no broken caption is posted."""

from __future__ import annotations

import uuid
from typing import Any, cast

import anthropic
import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from devstack.anthropic_emulator import AnthropicEmulator
from feedpub.brands import Brand, parse_brands
from feedpub.contract.run import Captions
from temporal_app.activities.claude import ClaudeActivities
from temporal_app.captions.language import detect_language
from temporal_app.models import CaptionInput

DESCRIPTION = "A portrait photo (1080×1350), mostly dark blue tones, bright. A man in a suit."

pytestmark = pytest.mark.usefixtures("fresh_emulator")


def brand(**voice_settings: Any) -> Brand:
    table: dict[str, Any] = {
        "language": "nl",
        "time_zone": "Europe/Brussels",
        "posting_times": ["09:00"],
        "s3_prefix": "pomandi/",
        "facebook_page_id": "1",
        "instagram_user_id": "2",
        "meta_token_env": "META_ACCESS_TOKEN_POMANDI",
        "voice": "Warm en direct.",
    }
    if voice_settings:
        table["voice_settings"] = voice_settings
    return parse_brands({"brands": {"pomandi": table}})["pomandi"]


async def write(claude: anthropic.AsyncAnthropic, for_brand: Brand) -> Captions:
    activities = ClaudeActivities(
        cast(Any, None),
        claude,
        {for_brand.name: for_brand},
        caption_model="claude-sonnet-5-5",
    )
    request = CaptionInput(brand=for_brand.name, description=f"{DESCRIPTION} {uuid.uuid4()}")
    return await ActivityEnvironment().run(activities.generate_caption, request)


async def failure_of(claude: anthropic.AsyncAnthropic, for_brand: Brand) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        await write(claude, for_brand)
    return caught.value


async def test_captions_come_in_the_brands_language_in_one_request_marked_for_caching(
    claude: anthropic.AsyncAnthropic, emulator: AnthropicEmulator
) -> None:
    captions = await write(claude, brand())

    assert detect_language(captions.facebook + " " + captions.alt_text, "nl") == "nl"
    assert captions.regenerated_because is None
    sent = emulator.requests
    assert len(sent) == 1
    assert sent[0]["system"][0]["cache_control"] == {"type": "ephemeral"}
    assert sent[0]["output_config"]["format"]["type"] == "json_schema"
    usage = captions.usage
    assert usage.input_tokens > 0 and usage.output_tokens > 0
    assert usage.cost_usd is not None and usage.cost_usd > 0


async def test_the_brands_short_system_prompt_is_never_cached_so_never_billed_a_cache_write(
    claude: anthropic.AsyncAnthropic,
) -> None:
    # About 200 tokens: under Sonnet's 1,024-token minimum, the API neither writes nor reads it.
    ours = brand(tone="cached tone")
    first = await write(claude, ours)

    again = await write(claude, ours)

    for usage in (first.usage, again.usage):
        assert (usage.cache_creation_input_tokens, usage.cache_read_input_tokens) == (0, 0)
        plain = (usage.input_tokens * 2.00 + usage.output_tokens * 10.00) / 1_000_000
        assert usage.cost_usd == pytest.approx(plain, abs=1e-6)


async def test_the_brands_call_to_action_signature_and_hashtags_are_always_added(
    claude: anthropic.AsyncAnthropic,
) -> None:
    ours = brand(
        call_to_action="Maak een afspraak via de link in bio.",
        signature="— Team Pomandi",
        fixed_hashtags=["#pomandi"],
        rotating_hashtags=["#trouwpak", "#maatpak", "#smoking", "#bruidegom"],
        rotating_hashtag_count=2,
    )

    captions = await write(claude, ours)

    for caption in (captions.facebook, captions.instagram):
        assert "Maak een afspraak via de link in bio.\n— Team Pomandi" in caption
    assert "#pomandi" in captions.instagram and "#" not in captions.facebook
    rotating = [
        t for t in ("#trouwpak", "#maatpak", "#smoking", "#bruidegom") if t in captions.instagram
    ]
    assert len(rotating) == 2


@pytest.mark.parametrize(
    ("fault", "problem"),
    [
        ("wrong_language", "is written in English, not in Dutch"),
        ("long_caption", "characters (max 2200)"),
        ("many_hashtags", "hashtags (max 30)"),
        ("non_json", "the answer was not JSON"),
    ],
)
async def test_a_broken_answer_is_regenerated_once_with_the_problem_stated(
    claude: anthropic.AsyncAnthropic, emulator: AnthropicEmulator, fault: str, problem: str
) -> None:
    emulator.set_fault(fault, times=1)

    captions = await write(claude, brand())

    assert problem in (captions.regenerated_because or "")
    sent = emulator.requests
    assert len(sent) == 2
    assert problem in sent[1]["messages"][-1]["content"]
    assert len(captions.instagram) <= 2200 and captions.instagram.count("#") <= 30


@pytest.mark.parametrize(
    ("fault", "problem"),
    [
        ("wrong_language", "is written in English, not in Dutch"),
        ("long_caption", "characters (max 2200)"),
        ("many_hashtags", "hashtags (max 30)"),
        ("non_json", "the answer was not JSON"),
    ],
)
async def test_an_answer_broken_twice_fails_the_step_for_good_with_the_reason(
    claude: anthropic.AsyncAnthropic, emulator: AnthropicEmulator, fault: str, problem: str
) -> None:
    emulator.set_fault(fault, times=2)

    failure = await failure_of(claude, brand())

    assert failure.type == "CaptionInvalid" and failure.non_retryable
    assert problem in failure.message
    assert len(emulator.requests) == 2


@pytest.mark.parametrize(
    ("field", "named"),
    [
        ("facebook_caption", "Facebook caption"),
        ("instagram_caption", "Instagram caption"),
        ("alt_text", "alt text"),
    ],
)
async def test_one_field_in_the_wrong_language_in_both_answers_fails_the_step_naming_it(
    claude: anthropic.AsyncAnthropic, emulator: AnthropicEmulator, field: str, named: str
) -> None:
    emulator.set_fault("wrong_language", times=2, field=field)

    failure = await failure_of(claude, brand())

    assert failure.type == "CaptionInvalid" and failure.non_retryable
    problem = f"the {named} is written in English, not in Dutch"
    assert problem in failure.message and failure.message.count("is written in") == 1
    sent = emulator.requests
    assert len(sent) == 2 and problem in sent[1]["messages"][-1]["content"]


async def test_a_banned_word_in_every_answer_fails_the_step(
    claude: anthropic.AsyncAnthropic, emulator: AnthropicEmulator
) -> None:
    # The emulator's Dutch alt text always speaks of "tinten".
    failure = await failure_of(claude, brand(banned_words=["tinten"]))

    assert failure.type == "CaptionInvalid"
    assert "the banned word 'tinten' is in the alt text" in failure.message


async def test_a_refusal_is_final_and_not_asked_again(
    claude: anthropic.AsyncAnthropic, emulator: AnthropicEmulator
) -> None:
    emulator.set_fault("refusal", times=1)

    failure = await failure_of(claude, brand())

    assert failure.type == "ClaudeRefused" and failure.non_retryable
    assert len(emulator.requests) == 1
