"""The agent-outputs tools on publication reports: one report per workflow run, saved, listed
and read.

Plain async functions, registered one by one in ``server.py``: each docstring is the tool's
description, each signature its schema.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mcp.server.mcpserver import Context
from psycopg import AsyncConnection
from psycopg.types.json import Jsonb

from feedpub.contract.reports import MOST_REPORTS_LISTED
from feedpub.contract.run import RunStatus
from feedpub.contract.tools import ReportList, StoredReport
from mcp_servers._errors import feed_error

from .context import app_of
from .post_insights import insights_of

_COLUMNS = "run_id, workflow_id, brand, status, photo_key, report, created_at, updated_at"


def _row(row: tuple[Any, ...]) -> StoredReport:
    return StoredReport(**dict(zip(_COLUMNS.split(", "), row, strict=True)))


async def _with_insights(conn: AsyncConnection[Any], reports: list[StoredReport]) -> None:
    """Each report with its post's figures, as read since."""
    found = await insights_of(conn, [report.run_id for report in reports])
    for report in reports:
        report.insights = found.get(report.run_id, [])


async def save_publication_report(
    run_id: str,
    workflow_id: str,
    brand: str,
    status: RunStatus,
    photo_key: str | None,
    report: dict[str, Any],
    ctx: Context,
) -> StoredReport:
    """Save (or replace) the report of run `run_id`; saving the same run twice keeps one row."""
    async with app_of(ctx).pool.connection() as conn:
        cur = await conn.execute(
            "INSERT INTO publication_reports"
            " (run_id, workflow_id, brand, status, photo_key, report)"
            f" VALUES (%s, %s, %s, %s, %s, %s)"
            f" ON CONFLICT (run_id) DO UPDATE SET status = EXCLUDED.status,"
            f" photo_key = EXCLUDED.photo_key, report = EXCLUDED.report, updated_at = now()"
            f" RETURNING {_COLUMNS}",
            (run_id, workflow_id, brand, status, photo_key, Jsonb(report)),
        )
        row = await cur.fetchone()
    assert row is not None
    return _row(row)


async def list_reports(
    ctx: Context,
    brand: str | None = None,
    status: RunStatus | None = None,
    limit: int = 20,
    since: datetime | None = None,
) -> ReportList:
    """The newest reports, optionally of one `brand`, one `status` and/or saved at or after
    `since` (ISO 8601; without an offset it is read as UTC). At most 200. Each with its
    post's figures read since (`insights`)."""
    limit = max(1, min(limit, MOST_REPORTS_LISTED))
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    async with app_of(ctx).pool.connection() as conn:
        cur = await conn.execute(
            f"SELECT {_COLUMNS} FROM publication_reports"
            " WHERE (%(brand)s::text IS NULL OR brand = %(brand)s)"
            " AND (%(status)s::text IS NULL OR status = %(status)s)"
            " AND (%(since)s::timestamptz IS NULL OR created_at >= %(since)s)"
            " ORDER BY created_at DESC LIMIT %(limit)s",
            {"brand": brand, "status": status, "since": since, "limit": limit},
        )
        reports = [_row(row) for row in await cur.fetchall()]
        await _with_insights(conn, reports)
    return ReportList(reports=reports)


async def get_report(run_id: str, ctx: Context) -> StoredReport:
    """The report of run `run_id`, with its post's figures read since (`insights`)."""
    async with app_of(ctx).pool.connection() as conn:
        cur = await conn.execute(
            f"SELECT {_COLUMNS} FROM publication_reports WHERE run_id = %s", (run_id,)
        )
        row = await cur.fetchone()
        if row is None:
            raise feed_error("ReportNotFound", f"no report for run '{run_id}'", retryable=False)
        report = _row(row)
        await _with_insights(conn, [report])
    return report
