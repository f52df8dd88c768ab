"""Reading back the posts' figures kept in ``post_insights``, for the report tools."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from psycopg import AsyncConnection

from feedpub.contract.after_publishing import PostFigures

__all__ = ["insights_of"]

_COLUMNS = "platform, post_id, age, figures, notes, permission_missing, read_at"


async def insights_of(
    conn: AsyncConnection[Any], run_ids: Sequence[str]
) -> dict[str, list[PostFigures]]:
    """The figures kept for each of ``run_ids``: Facebook first, then by age."""
    if not run_ids:
        return {}
    cur = await conn.execute(
        f"SELECT run_id, {_COLUMNS} FROM post_insights WHERE run_id = ANY(%s)"
        " ORDER BY run_id, platform, CASE age WHEN '24h' THEN 0 ELSE 1 END",
        (list(run_ids),),
    )
    found: dict[str, list[PostFigures]] = {}
    for run_id, *row in await cur.fetchall():
        found.setdefault(run_id, []).append(_figures(row))
    return found


def _figures(row: list[Any]) -> PostFigures:
    platform, post_id, age, figures, notes, permission_missing, read_at = row
    return PostFigures(
        platform=platform,
        post_id=post_id,
        age=age,
        figures=dict(figures),
        notes=list(notes),
        permission_missing=permission_missing,
        read_at=read_at.isoformat() if isinstance(read_at, datetime) else str(read_at),
    )
