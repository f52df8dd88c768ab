"""The feed-publisher's tool on a post's insights: read its figures from Meta, and keep the
brand's alert on the insights permission up to date.

A plain async function, registered in ``server.py``: its docstring is the tool's description,
its signature its schema. The brand's token is read here, on the server.
"""

from __future__ import annotations

from typing import Literal

from mcp.server.mcpserver import Context

from feedpub.contract.after_publishing import InsightsAge, PostFigures

from .context import app_of
from .meta.insights import read_figures
from .meta.post_ids import checked_post_id

__all__ = ["INSIGHTS_ALERT", "read_post_insights"]

INSIGHTS_ALERT = "meta-insights"
"""The brand alert's kind is ``meta-insights:<platform>``."""


async def read_post_insights(
    brand: str,
    platform: Literal["facebook", "instagram"],
    post_id: str,
    age: InsightsAge,
    ctx: Context,
) -> PostFigures:
    """The figures Meta shows now for the brand's post `post_id` on `platform` (`facebook` or
    `instagram`), read as its `age` (`24h` or `7d`) figures: one metric per call; a metric Meta
    says is retired is skipped with a note. When the token lacks the insights permission, no
    figure is read, `permission_missing` names it and the brand's alert
    `meta-insights:<platform>` is raised; a read that works clears it. A `post_id` that is
    not Meta's id of a post is refused (BadPostId)."""
    app = app_of(ctx)
    token = app.meta_token(app.brand(brand))
    checked_post_id(brand, post_id)
    figures = await read_figures(
        app.graph, token=token, platform=platform, post_id=post_id, age=age
    )
    alert = f"{INSIGHTS_ALERT}:{platform}"
    if figures.permission_missing:
        await app.alerts.raise_alert(
            brand,
            alert,
            f"{platform.capitalize()}: the token of brand '{brand}' lacks the "
            f"{figures.permission_missing} permission; the posts' figures cannot be read",
        )
    else:
        await app.alerts.clear(brand, alert)
    return figures
