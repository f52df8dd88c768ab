"""The caption batch activities against the Anthropic emulator, through the real SDK: a planned
run's captions come from a Message Batch at half price, checked as generate_caption's are;
a batch that errors, expires or is cancelled gives a reason instead of captions."""

from __future__ import annotations

import dataclasses
import math
import uuid
from typing import Any, cast

import anthropic
import pytest
from temporalio.testing import ActivityEnvironment

from devstack.anthropic_emulator import AnthropicEmulator
from feedpub.contract.run import ClaudeUsage
from temporal_app.activities.claude import ClaudeActivities
from temporal_app.captions.language import detect_language
from temporal_app.captions.pricing import cost_usd, usage_of
from temporal_app.models import (
    CaptionBatch,
    CaptionBatchOutcome,
    CaptionInput,
    CollectCaptionBatchInput,
)

from .test_caption_writing import DESCRIPTION, brand

MODEL = "claude-sonnet-5-5"
BATCH_DELAY = 600.0

pytestmark = pytest.mark.usefixtures("fresh_emulator")


class PlannedRun:
    """A planned run's caption steps, each run as Temporal would run the activity."""

    def __init__(self, claude: anthropic.AsyncAnthropic, model: str = MODEL) -> None:
        self.brand = brand()
        self.activities = ClaudeActivities(
            cast(Any, None), claude, {self.brand.name: self.brand}, caption_model=model
        )
        self.environment = ActivityEnvironment()
        self.run_id = str(uuid.uuid4())
        self.environment.info = dataclasses.replace(
            self.environment.info, workflow_run_id=self.run_id
        )
        self.description = f"{DESCRIPTION} {uuid.uuid4()}"

    async def submit(self) -> CaptionBatch:
        request = CaptionInput(brand=self.brand.name, description=self.description)
        return await self.environment.run(self.activities.submit_caption_batch, request)

    async def collect(self, batch: CaptionBatch) -> CaptionBatchOutcome:
        look = CollectCaptionBatchInput(self.brand.name, batch, None, self.description)
        return await self.environment.run(self.activities.collect_caption_batch, look)

    async def cancel(self, batch: CaptionBatch) -> None:
        await self.environment.run(self.activities.cancel_caption_batch, batch)


@pytest.fixture
def batches_end_after(emulator: AnthropicEmulator) -> AnthropicEmulator:
    emulator.batches.timing.fixed_seconds = BATCH_DELAY
    return emulator


def at_full_price(usage: ClaudeUsage) -> float:
    cost = cost_usd(dataclasses.replace(usage, batch=False))
    assert cost is not None
    return cost


async def test_a_planned_runs_captions_come_from_its_batch_checked_and_at_half_price(
    claude: anthropic.AsyncAnthropic, batches_end_after: AnthropicEmulator
) -> None:
    run = PlannedRun(claude)
    batch = await run.submit()
    assert batch.custom_id == run.run_id
    assert await run.collect(batch) == CaptionBatchOutcome(ended=False)

    batches_end_after.clock.advance(BATCH_DELAY)
    outcome = await run.collect(batch)

    assert outcome.ended and outcome.problem is None and outcome.captions is not None
    captions = outcome.captions
    assert detect_language(captions.facebook + " " + captions.alt_text, "nl") == "nl"
    assert captions.regenerated_because is None and captions.usage.batch
    assert captions.usage.cost_usd == pytest.approx(at_full_price(captions.usage) / 2, abs=1e-6)
    assert batches_end_after.requests == []  # not one ordinary request


async def test_a_batch_answer_breaking_a_rule_is_written_again_once_by_the_ordinary_api(
    claude: anthropic.AsyncAnthropic, batches_end_after: AnthropicEmulator
) -> None:
    run = PlannedRun(claude)
    batch = await run.submit()
    batches_end_after.set_fault("wrong_language", times=1)  # hits the batch's answer
    batches_end_after.clock.advance(BATCH_DELAY)

    outcome = await run.collect(batch)

    assert outcome.captions is not None
    problem = "is written in English, not in Dutch"
    assert problem in (outcome.captions.regenerated_because or "")
    sent = batches_end_after.requests
    assert len(sent) == 1 and problem in sent[0]["messages"][-1]["content"]
    results = [line async for line in await claude.messages.batches.results(batch.batch_id)]
    answer = usage_of(MODEL, cast(Any, results[0].result).message.usage, batch=True)
    total = outcome.captions.usage
    regeneration = ClaudeUsage(
        model=MODEL,
        input_tokens=total.input_tokens - answer.input_tokens,
        output_tokens=total.output_tokens - answer.output_tokens,
    )
    assert answer.cost_usd is not None and total.batch
    assert total.cost_usd == pytest.approx(answer.cost_usd + at_full_price(regeneration))


async def test_a_batch_whose_request_errored_gives_the_apis_reason_and_no_captions(
    claude: anthropic.AsyncAnthropic, batches_end_after: AnthropicEmulator
) -> None:
    run = PlannedRun(claude, model="claude-sonnet-9")  # a model the API does not know
    batch = await run.submit()
    batches_end_after.clock.advance(BATCH_DELAY)

    outcome = await run.collect(batch)

    assert outcome.ended and outcome.captions is None
    assert "the batch request failed: not_found_error" in (outcome.problem or "")


async def test_a_batch_never_processed_expires_after_24_hours_and_says_so(
    claude: anthropic.AsyncAnthropic, emulator: AnthropicEmulator
) -> None:
    emulator.batches.timing.fixed_seconds = math.inf
    run = PlannedRun(claude)
    batch = await run.submit()
    emulator.clock.advance(23.5 * 3600)
    assert not (await run.collect(batch)).ended

    emulator.clock.advance(3600)
    outcome = await run.collect(batch)

    assert outcome.ended and outcome.captions is None
    assert "the batch expired" in (outcome.problem or "")


async def test_cancelling_a_batch_in_progress_ends_it_and_cancelling_again_is_harmless(
    claude: anthropic.AsyncAnthropic, batches_end_after: AnthropicEmulator
) -> None:
    run = PlannedRun(claude)
    batch = await run.submit()

    await run.cancel(batch)

    ended = await claude.messages.batches.retrieve(batch.batch_id)
    assert ended.processing_status == "ended" and ended.request_counts.canceled == 1
    await run.cancel(batch)
    outcome = await run.collect(batch)
    assert outcome.ended and outcome.captions is None
    assert "cancelled before its request was processed" in (outcome.problem or "")
