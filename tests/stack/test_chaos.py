"""Small versions of the chaos bench (bench/chaos.py): nothing doubled, lost or reused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from temporalio.client import Client

from bench import burst_parts
from bench.chaos import R2_FAULTS, brands_file, round_r1, round_r2, round_r3
from bench.chaos_r9 import round_r9
from devstack.stack import EmbeddedStack, StackOptions

R9_BRANDS = 3


@pytest.fixture(scope="module")
def chaos_stack() -> Iterator[EmbeddedStack]:
    options = StackOptions(brands_file=brands_file(R9_BRANDS), photos_dir=None)
    stack = EmbeddedStack(options).start()
    try:
        yield stack
    finally:
        stack.stop()


async def test_killing_the_worker_again_and_again_doubles_loses_and_reuses_nothing(
    chaos_stack: EmbeddedStack,
) -> None:
    client = await Client.connect(chaos_stack.temporal_address)
    result = await round_r1(chaos_stack, client, runs=4, kills=3, pause=(0.1, 0.6))
    assert result.kills == 3
    assert (result.duplicates, result.lost, result.reused, result.failed) == (0, 0, 0, [])
    assert (result.published_facebook, result.published_instagram) == (4, 4)


async def test_meta_failing_dropping_and_throttling_doubles_and_loses_nothing(
    chaos_stack: EmbeddedStack,
) -> None:
    client = await Client.connect(chaos_stack.temporal_address)
    result = await round_r2(chaos_stack, client, runs=6)
    assert (result.duplicates, result.lost, result.reused) == (0, 0, 0)
    # Every run either published on both platforms or says why it did not.
    assert result.published_facebook + len(result.failed) >= result.runs
    assert result.published_instagram + len(result.failed) >= result.runs


async def test_concurrent_runs_of_one_brand_never_share_a_photo_and_the_extra_run_says_why(
    chaos_stack: EmbeddedStack,
) -> None:
    client = await Client.connect(chaos_stack.temporal_address)
    result, extra = await round_r3(chaos_stack, client, runs=8)
    assert (result.duplicates, result.lost, result.reused, result.failed) == (0, 0, 0, [])
    assert (result.published_facebook, result.published_instagram) == (8, 8)
    assert "brand 'r3' has no unused photo left" in extra


async def test_two_of_everything_with_crashes_and_meta_faults_doubles_loses_and_reuses_nothing(
    chaos_stack: EmbeddedStack,
) -> None:
    client = await Client.connect(chaos_stack.temporal_address)
    brands = sorted(name for name in chaos_stack.brands if name.startswith("b"))[:R9_BRANDS]
    burst_parts.upload_photos(chaos_stack, brands, per_brand=2)
    result = await round_r9(
        chaos_stack, client, brands, runs=4, kills=2, faults=R2_FAULTS,
        pause=(0.3, 1.0), down=(0.3, 1.0),
    )  # fmt: skip
    assert result.kills >= 1
    assert (result.duplicates, result.lost, result.reused) == (0, 0, 0)
    assert result.published_facebook + len(result.failed) >= result.runs
    assert result.published_instagram + len(result.failed) >= result.runs
