"""The delays the Anthropic emulator gives its Message Batches: 90 % end within 30 minutes,
8 % within 6 hours, 2 % never (they expire at 24 h), the same for the same seed."""

from __future__ import annotations

import math

import pytest

from bench.batch_timing import figures
from devstack.anthropic_emulator.batch_timing import BatchTiming


def drawn(seed: int, count: int = 20_000) -> list[float | None]:
    timing = BatchTiming(seed=seed)
    return [timing.next_delay() for _ in range(count)]


def test_nine_in_ten_batches_end_within_30_minutes_and_one_in_fifty_never() -> None:
    shown = figures(drawn(seed=0))

    assert shown["within_30m"] == pytest.approx(0.90, abs=0.01)
    assert shown["within_6h"] == pytest.approx(0.98, abs=0.005)
    assert shown["expired"] == pytest.approx(0.02, abs=0.005)
    assert 60 <= shown["median_s"] <= 30 * 60


def test_the_same_seed_draws_the_same_delays_and_another_seed_others() -> None:
    assert drawn(seed=7, count=50) == drawn(seed=7, count=50)
    assert drawn(seed=7, count=50) != drawn(seed=8, count=50)


def test_a_fixed_delay_applies_to_every_batch_and_infinity_makes_them_all_expire() -> None:
    assert [BatchTiming(fixed_seconds=5).next_delay() for _ in range(3)] == [5, 5, 5]
    assert BatchTiming(fixed_seconds=math.inf).next_delay() is None
    with pytest.raises(ValueError, match="≥ 0"):
        BatchTiming(fixed_seconds=-1)
