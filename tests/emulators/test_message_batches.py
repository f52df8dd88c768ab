"""The emulator's Message Batches API, driven through the real `anthropic` SDK: batches end on
the emulator's clock (which a test moves), with results as JSONL, and can be cancelled."""

from __future__ import annotations

import math
from typing import Any

import anthropic
import httpx
import pytest

from devstack.anthropic_emulator import AnthropicEmulator
from devstack.serve import ServedApp

from .conftest import API_KEY

MODEL = "claude-sonnet-5-5"
HELLO: Any = {"model": MODEL, "max_tokens": 50, "messages": [{"role": "user", "content": "Hi"}]}

pytestmark = pytest.mark.usefixtures("fresh_emulator")


@pytest.fixture
def batches(
    claude: anthropic.AsyncAnthropic, emulator: AnthropicEmulator
) -> anthropic.resources.messages.AsyncBatches:
    emulator.batches.timing.fixed_seconds = 600.0  # each test sets its own when it cares
    return claude.messages.batches


async def results_of(batches: Any, batch_id: str) -> dict[str, Any]:
    return {line.custom_id: line.result async for line in await batches.results(batch_id)}


def move_clock(served: ServedApp, **move: Any) -> str:
    answer = httpx.post(f"{served.url}/admin/clock", json=move, headers={"x-api-key": API_KEY})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["now"])


async def test_a_batch_ends_when_its_delay_has_passed_on_the_emulator_clock_with_its_results(
    batches: Any, served: ServedApp
) -> None:
    unknown_model = {**HELLO, "model": "claude-sonnet-9"}
    created = await batches.create(
        requests=[
            {"custom_id": "good-1", "params": HELLO},
            {"custom_id": "bad_2", "params": unknown_model},
        ]
    )
    assert created.processing_status == "in_progress" and created.results_url is None
    assert created.request_counts.processing == 2
    assert (created.expires_at - created.created_at).total_seconds() == 24 * 3600
    with pytest.raises(anthropic.AnthropicError, match="in_progress"):
        await batches.results(created.id)

    move_clock(served, advance_seconds=599)
    assert (await batches.retrieve(created.id)).processing_status == "in_progress"
    move_clock(served, advance_seconds=2)
    ended = await batches.retrieve(created.id)

    assert ended.processing_status == "ended" and ended.results_url
    assert (ended.ended_at - ended.created_at).total_seconds() == pytest.approx(600, abs=0.01)
    counts = ended.request_counts
    assert (counts.succeeded, counts.errored, counts.processing) == (1, 1, 0)
    results = await results_of(batches, created.id)
    good, bad = results["good-1"], results["bad_2"]
    assert good.type == "succeeded" and good.message.content[0].text
    assert good.message.usage.service_tier == "batch" and good.message.usage.input_tokens > 0
    assert bad.type == "errored" and bad.error.type == "error"
    assert bad.error.error.type == "not_found_error"
    assert "claude-sonnet-9" in bad.error.error.message


async def test_a_batch_that_never_ends_expires_24_hours_after_its_creation(
    batches: Any, emulator: AnthropicEmulator, served: ServedApp
) -> None:
    emulator.batches.timing.fixed_seconds = math.inf
    created = await batches.create(requests=[{"custom_id": "late", "params": HELLO}])

    move_clock(served, advance_seconds=23.9 * 3600)
    assert (await batches.retrieve(created.id)).processing_status == "in_progress"
    move_clock(served, advance_seconds=0.2 * 3600)
    ended = await batches.retrieve(created.id)

    assert ended.processing_status == "ended" and ended.ended_at == ended.expires_at
    assert ended.request_counts.expired == 1
    assert (await results_of(batches, created.id))["late"].type == "expired"


async def test_cancelling_ends_a_batch_in_progress_with_its_requests_canceled(
    batches: Any,
) -> None:
    created = await batches.create(requests=[{"custom_id": "a", "params": HELLO}])

    canceling = await batches.cancel(created.id)

    assert canceling.processing_status == "canceling" and canceling.cancel_initiated_at
    ended = await batches.retrieve(created.id)
    assert ended.processing_status == "ended" and ended.request_counts.canceled == 1
    assert (await results_of(batches, created.id))["a"].type == "canceled"
    with pytest.raises(anthropic.BadRequestError, match="has ended"):
        await batches.cancel(created.id)


@pytest.mark.parametrize(
    "requests",
    [
        pytest.param([], id="no-request"),
        pytest.param([{"custom_id": "a", "params": HELLO}] * 2, id="custom-id-used-twice"),
        pytest.param([{"custom_id": "run/1", "params": HELLO}], id="custom-id-with-a-slash"),
        pytest.param([{"custom_id": "x" * 65, "params": HELLO}], id="custom-id-of-65"),
        pytest.param([{"custom_id": "a", "params": "Hi"}], id="params-not-an-object"),
    ],
)
async def test_a_batch_the_api_would_refuse_outright_is_refused_with_the_reason(
    batches: Any, requests: list[Any]
) -> None:
    with pytest.raises(anthropic.BadRequestError, match=r"requests"):
        await batches.create(requests=requests)


async def test_batches_are_listed_newest_first_page_by_page_and_unknown_ones_are_not_found(
    batches: Any,
) -> None:
    made = [(await batches.create(requests=[{"custom_id": "a", "params": HELLO}])).id]
    made.append((await batches.create(requests=[{"custom_id": "a", "params": HELLO}])).id)

    first = await batches.list(limit=1)
    second = await batches.list(limit=1, after_id=first.data[0].id)

    assert [first.data[0].id, second.data[0].id] == made[::-1] and first.has_more
    with pytest.raises(anthropic.NotFoundError):
        await batches.retrieve("msgbatch_01NotOneOfOurs")


def test_the_clock_is_set_or_moved_only_forward_and_only_with_the_key(served: ServedApp) -> None:
    assert move_clock(served, now="2030-01-02T03:04:05Z").startswith("2030-01-02T03:04:0")
    assert move_clock(served, advance_seconds=3600).startswith("2030-01-02T04:04:0")
    refused = [
        httpx.post(f"{served.url}/admin/clock", json=move, headers={"x-api-key": API_KEY})
        for move in ({"advance_seconds": -5}, {"now": "tomorrow"}, {}, {"now": "2030-01-02"})
    ]
    assert [answer.status_code for answer in refused] == [400] * 4
    assert httpx.post(f"{served.url}/admin/clock", json={"advance_seconds": 1}).status_code == 401
