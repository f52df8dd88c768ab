"""How long the Anthropic emulator's Message Batches take: the distribution's figures.

    .venv/bin/python -m bench.batch_timing [--batches 100000] [--seed 0]

Draws the delay of each batch as the emulator does (``BatchTiming``, seeded) and prints the
share that ends within 30 minutes and within 6 hours, the share that never ends (expired at
24 h), and the median and 99th percentile of the delays of the batches that end. The
distribution is meant to be 90 % / 8 % within the next bound / 2 %. The last line is the
figure.
"""

from __future__ import annotations

import argparse
import statistics

from devstack.anthropic_emulator.batch_timing import BATCH_LIFETIME_SECONDS, BatchTiming


def figures(delays: list[float | None]) -> dict[str, float]:
    """Shares (0–1) and, over the batches that end, the median and 99th percentile (s)."""
    ended = sorted(delay for delay in delays if delay is not None)
    return {
        "within_30m": sum(1 for d in ended if d <= 1800) / len(delays),
        "within_6h": sum(1 for d in ended if d <= 6 * 3600) / len(delays),
        "expired": (len(delays) - len(ended)) / len(delays),
        "median_s": statistics.median(ended),
        "p99_s": ended[int(0.99 * (len(ended) - 1))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.batch_timing")
    parser.add_argument("--batches", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    timing = BatchTiming(seed=options.seed)
    shown = figures([timing.next_delay() for _ in range(options.batches)])
    print(f"{options.batches:,} batches drawn with seed {options.seed}")
    print(f"ended within 30 min: {shown['within_30m']:.1%} (goal 90 %)")
    print(f"ended within 6 h:    {shown['within_6h']:.1%} (goal 98 %)")
    print(f"never ended, expired at {BATCH_LIFETIME_SECONDS / 3600:.0f} h: {shown['expired']:.1%}")
    print(
        f"of the batches that ended: median {shown['median_s'] / 60:.1f} min, "
        f"99th percentile {shown['p99_s'] / 3600:.1f} h"
    )
    print(
        f"BATCH within_30m={shown['within_30m']:.3f} within_6h={shown['within_6h']:.3f} "
        f"expired={shown['expired']:.3f} median_min={shown['median_s'] / 60:.1f}"
    )


if __name__ == "__main__":
    main()
