"""P7 — does learning what each brand's audience responds to pick better photos?

    .venv/bin/python -m bench.p7_learning [--seeds 5] [--weeks 12] [--photos 400]

Three brands, each a library of photos with mixed traits (the look told wrong for 15 % of
them) and an audience with hidden tastes drawn by the Meta emulator's audience model
(``devstack.meta_emulator.audiences``: liked traits ×1.8, disliked ×0.6, log-normal noise
σ = 0.5). Two posts a day for ``--weeks``; a post's figures are known 24 h after it.

- learned: ``feedpub.learning.tastes_from`` on the figures known so far, then
  ``photo_weights`` (a Thompson draw, or for 20 % of runs the optimistic exploration), then
  the feed-publisher's own reservation statement (``PhotoLibrary.reserve_available``) on an
  embedded PostgreSQL;
- random: the same statement without weights, as with learning off;
- oracle: the same statement with the audience's true tastes as weights over the traits
  each photo truly shows: the ceiling.

The same seeds and photos for all three; each photo's engagement draw is seeded by the photo,
so the choice alone tells them apart. Total engagement: the sum of engagement per reach over
every post of the three brands. Five seeds; the medians are printed last.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import statistics
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from devstack.meta_emulator.audiences import DISLIKED_FACTOR, LIKED_FACTOR, figures_for
from devstack.parts import start_postgres
from feedpub.contract.after_publishing import engagement_per_reach
from feedpub.db import apply_migrations, open_pool
from feedpub.learning import Outcome, learned_words, photo_weights, tastes_from
from mcp_servers.feed_publisher.library.photos import PhotoLibrary

from .p7_library import BenchBrand, fill_ledger, make_brand

BRANDS = ("linen", "harbour", "orchard")
POSTS_PER_DAY = 2
KNOWN_AFTER_POSTS = 2  # figures known 24 h after a post: two posts later
EXPLORATION_PERCENT = 20
POLICIES = ("learned", "random", "oracle")


async def run_brand(
    library: PhotoLibrary,
    database_url: str,
    brand: BenchBrand,
    policy: str,
    seed: int,
    args: argparse.Namespace,
) -> tuple[float, str | None]:
    """The brand's total engagement over its posts chosen by ``policy``, and (learned) what it
    says it learned."""
    posts = args.weeks * 7 * POSTS_PER_DAY
    ledger_brand = f"s{seed}-{policy}-{brand.name}"
    fill_ledger(database_url, ledger_brand, brand, by_truth=policy == "oracle")
    random.seed(f"{ledger_brand}:random")  # the random point of the unweighted statement
    rng = np.random.default_rng([seed, BRANDS.index(brand.name)])
    photos = {photo.key: photo for photo in brand.photos}
    oracle = _oracle_weights(brand)
    outcomes: list[Outcome] = []
    total = 0.0
    for post in range(posts):
        weights: Mapping[str, float] | None = None
        if policy == "learned":
            known = outcomes[: max(0, post - KNOWN_AFTER_POSTS + 1)]
            chosen = photo_weights(tastes_from(brand.name, known), EXPLORATION_PERCENT, rng)
            weights = None if chosen.explored and args.uniform_exploration else chosen.weights
        elif policy == "oracle":
            weights = oracle
        row = await library.reserve_available(
            ledger_brand, f"{ledger_brand}-{post}", weights=weights
        )
        assert row is not None, f"{ledger_brand}: no photo left at post {post}"
        photo = photos[row[0]]
        figures = figures_for(brand.tastes, photo.shown, f"{seed}:{photo.key}")
        value = engagement_per_reach("instagram", figures) or 0.0
        total += value
        outcomes.append(Outcome(photo.observed, value))
    words = learned_words(tastes_from(brand.name, outcomes)) if policy == "learned" else None
    return total, words


def _oracle_weights(brand: BenchBrand) -> dict[str, float]:
    return {
        **{trait: math.log(LIKED_FACTOR) for trait in brand.tastes.liked},
        **{trait: math.log(DISLIKED_FACTOR) for trait in brand.tastes.disliked},
    }


async def run_seed(
    library: PhotoLibrary, database_url: str, seed: int, args: argparse.Namespace
) -> dict[str, float]:
    taken: set[frozenset[str]] = set()
    brands = [make_brand(name, seed, args.photos, taken) for name in BRANDS]
    totals = dict.fromkeys(POLICIES, 0.0)
    for brand in brands:
        for policy in POLICIES:
            total, words = await run_brand(library, database_url, brand, policy, seed, args)
            totals[policy] += total
            if words and seed == 0:
                print(f"  {brand.name}: likes {', '.join(brand.tastes.liked)}; dislikes"
                      f" {', '.join(brand.tastes.disliked)}; learned: {words}")  # fmt: skip
    return totals


async def run_all(database_url: str, args: argparse.Namespace) -> list[dict[str, float]]:
    pool = await open_pool(database_url, max_size=2)
    try:
        library = PhotoLibrary(pool=pool, s3=None, bucket="p7")
        results = []
        for seed in range(args.seeds):
            started = time.monotonic()
            totals = await run_seed(library, database_url, seed, args)
            lift = totals["learned"] / totals["random"]
            regret = _regret(totals)
            print(f"seed {seed}: " + " ".join(f"{p}={totals[p]:.2f}" for p in POLICIES)
                  + f" lift={lift:.3f} regret={regret:.3f} ({time.monotonic() - started:.0f} s)",
                  flush=True)  # fmt: skip
            results.append(totals)
        return results
    finally:
        await pool.close()


def _regret(totals: Mapping[str, float]) -> float:
    return (totals["oracle"] - totals["learned"]) / (totals["oracle"] - totals["random"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument("--photos", type=int, default=400)
    parser.add_argument(
        "--uniform-exploration",
        action="store_true",
        help="explore with a random photo instead of the optimistic weights (a comparison)",
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="feedpub-p7-"))
    database_url, pg = start_postgres(None, workdir / "pgdata")
    try:
        asyncio.run(apply_migrations(database_url))
        results = asyncio.run(run_all(database_url, args))
    finally:
        pg.cleanup()
    # A seed pairs the three choices on the same photos and audiences, so lift and regret are
    # measured within each seed and their medians over the seeds are the goal's figures. The
    # last line is the median seed's (the seed of the median lift): its totals, lift and
    # regret are of one run, so that lift is its learned/random. A ratio of the median totals
    # would set one seed's learned total against another seed's random one.
    lifts = [r["learned"] / r["random"] for r in results]
    regrets = [_regret(r) for r in results]
    print(
        f"medians over {len(results)} seeds: lift={statistics.median(lifts):.3f}"
        f" regret={statistics.median(regrets):.3f}"
    )
    middle = sorted(range(len(results)), key=lambda i: lifts[i])[len(results) // 2]
    seed = results[middle]
    print(
        f"P7 weeks={args.weeks} brands={len(BRANDS)} learned={seed['learned']:.2f}"
        f" random={seed['random']:.2f} oracle={seed['oracle']:.2f}"
        f" lift={lifts[middle]:.3f} regret={regrets[middle]:.3f}"
    )


if __name__ == "__main__":
    main()
