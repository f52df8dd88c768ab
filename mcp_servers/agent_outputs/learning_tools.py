"""The agent-outputs tools on what a brand's posts taught: its audience's tastes (from the
figures kept in ``post_insights``) and its best-performing recent captions (from the runs'
reports). Both only read.

Plain async functions, registered one by one in ``server.py``: each docstring is the tool's
description, each signature its schema. The learning itself is ``feedpub.learning``.
"""

from __future__ import annotations

from mcp.server.mcpserver import Context

from feedpub.contract.after_publishing import BrandTastes, CaptionExample, CaptionExamples
from feedpub.learning import Outcome, tastes_from
from feedpub.photo_traits import known_traits

from .context import app_of

TASTES_DAYS = 180
"""Figures older than this are left out: an audience's tastes drift."""
EXAMPLES_DAYS = 60
"""Captions older than this are not shown as examples: a brand's tone drifts too."""
MOST_EXAMPLES = 10

# One figure per run: its Instagram post's when there is one (the objective reads the same
# on every run then: Facebook's reactions over reach are another scale), even while its
# Instagram figures are not in yet (the run then teaches nothing yet), at the latest age read
# with a figure (+7 d says more than +24 h). A run's traits are its photo's when it was posted.
_ONE_PER_RUN = """
SELECT run_id, platform, traits, engagement_per_reach FROM (
    SELECT DISTINCT ON (run_id) run_id, platform, traits, engagement_per_reach
    FROM post_insights
    WHERE brand = %(brand)s AND read_at >= now() - make_interval(days => %(days)s)
    ORDER BY run_id, platform = 'instagram' DESC, engagement_per_reach IS NOT NULL DESC,
             age = '7d' DESC
) AS chosen WHERE engagement_per_reach IS NOT NULL
"""


async def get_brand_tastes(brand: str, ctx: Context) -> BrandTastes:
    """What `brand`'s audience was learned to respond to, from its posts' figures of the last
    180 days (one per post): the posterior the next photo choice samples from, and the same
    trait by trait, strongest first. `posts` is how many posts it rests on."""
    async with app_of(ctx).pool.connection() as conn:
        cur = await conn.execute(
            f"SELECT traits, engagement_per_reach FROM ({_ONE_PER_RUN}) AS runs"
            " WHERE jsonb_array_length(traits) > 0",
            {"brand": brand, "days": TASTES_DAYS},
        )
        rows = await cur.fetchall()
    outcomes = [Outcome(known_traits(traits), float(value)) for traits, value in rows]
    return tastes_from(brand, [outcome for outcome in outcomes if outcome.traits])


async def get_caption_examples(brand: str, ctx: Context, limit: int = 3) -> CaptionExamples:
    """`brand`'s best-performing captions of the last 60 days (highest engagement per reach
    first, one per post, at most `limit`, up to 10), as they were published: examples of the
    tone its audience responds to."""
    limit = max(1, min(limit, MOST_EXAMPLES))
    async with app_of(ctx).pool.connection() as conn:
        cur = await conn.execute(
            "SELECT runs.platform, reports.report -> 'captions' ->> runs.platform,"
            " runs.engagement_per_reach"
            f" FROM ({_ONE_PER_RUN}) AS runs"
            " JOIN publication_reports AS reports ON reports.run_id = runs.run_id"
            " WHERE reports.report -> 'captions' ->> runs.platform <> ''"
            " ORDER BY runs.engagement_per_reach DESC, runs.run_id LIMIT %(limit)s",
            {"brand": brand, "days": EXAMPLES_DAYS, "limit": limit},
        )
        rows = await cur.fetchall()
    return CaptionExamples(
        [CaptionExample(platform, caption, float(value)) for platform, caption, value in rows]
    )
