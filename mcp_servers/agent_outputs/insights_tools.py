"""The agent-outputs tool on a post's figures: keep them beside the run's report, one row per
(run, platform, age) in ``post_insights``, with what the learning weighs: the engagement per
reach, and the photo's traits as the photo ledger holds them when the figures are saved (the
same database).

A plain async function, registered in ``server.py``; ``post_insights`` reads them back for
the report tools.
"""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import Context
from psycopg import AsyncConnection
from psycopg.types.json import Jsonb

from feedpub.contract.after_publishing import PostFigures, engagement_per_reach

from .context import app_of

__all__ = ["save_post_insights"]


async def save_post_insights(
    run_id: str, brand: str, photo_key: str | None, figures: PostFigures, ctx: Context
) -> PostFigures:
    """Keep the figures of run `run_id`'s post on one platform at one age (`24h`, `7d`);
    saving the same run, platform and age again replaces them. The photo's traits are copied
    from the photo ledger and the engagement per reach computed."""
    ratio = engagement_per_reach(figures.platform, figures.figures)
    async with app_of(ctx).pool.connection() as conn:
        traits = await _traits(conn, brand, photo_key)
        await conn.execute(
            "INSERT INTO post_insights (run_id, platform, age, brand, photo_key, post_id,"
            " figures, notes, permission_missing, traits, engagement_per_reach, read_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, COALESCE(%s::timestamptz, now()))"
            " ON CONFLICT (run_id, platform, age) DO UPDATE SET post_id = EXCLUDED.post_id,"
            " figures = EXCLUDED.figures, notes = EXCLUDED.notes,"
            " permission_missing = EXCLUDED.permission_missing, traits = EXCLUDED.traits,"
            " engagement_per_reach = EXCLUDED.engagement_per_reach, read_at = EXCLUDED.read_at",
            (
                run_id, figures.platform, figures.age, brand, photo_key, figures.post_id,
                Jsonb(figures.figures), Jsonb(figures.notes), figures.permission_missing,
                Jsonb(traits), ratio, figures.read_at or None,
            ),
        )  # fmt: skip
    return figures


async def _traits(conn: AsyncConnection[Any], brand: str, photo_key: str | None) -> list[str]:
    """The photo's traits in the ledger now ([] when it has none yet, or no photo)."""
    if photo_key is None:
        return []
    cur = await conn.execute(
        "SELECT traits FROM photos WHERE brand = %s AND key = %s", (brand, photo_key)
    )
    row = await cur.fetchone()
    traits = row[0] if row is not None else None
    return [str(trait) for trait in traits] if isinstance(traits, list) else []
