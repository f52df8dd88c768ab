"""Reading a post's insights from Meta: one metric per call, so that a metric Meta retires
fails alone.

Instagram media: ``GET /{ig-media-id}/insights?metric=<one>`` for each of
``INSTAGRAM_METRICS``. Facebook Page post: ``GET /{post-id}/insights?metric=<one>`` for each
of ``FACEBOOK_METRICS``, and its reactions from ``?fields=reactions.summary(total_count)``.

Three answers are not failures of the read:
- #100 saying the metric "is no longer supported": a note, the metric skipped, never asked
  again in this read (Meta retires metrics between API versions);
- #10 or #200-299 (the token lacks ``instagram_manage_insights`` / ``read_insights``): no
  figure can be read; the figures say which permission is missing and the caller raises the
  brand's alert. It is not a retired metric: asking again after the permission is granted
  works.
Everything else is classified as publishing's failures are (``graph_errors``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from feedpub.contract.after_publishing import (
    FACEBOOK_METRICS,
    INSTAGRAM_METRICS,
    InsightsAge,
    PostFigures,
)
from mcp_servers._errors import feed_error

from .graph import GraphApiError, GraphClient, GraphUnreachable
from .graph_errors import classify_graph_error

__all__ = [
    "INSIGHTS_PERMISSION",
    "is_permission_missing",
    "is_retired",
    "metric_value",
    "reaction_count",
    "read_figures",
]

INSIGHTS_PERMISSION = {"instagram": "instagram_manage_insights", "facebook": "read_insights"}
"""The permission Meta needs to read a platform's insights."""
_LABEL = {"instagram": "Instagram", "facebook": "Facebook"}


def is_retired(error: GraphApiError) -> bool:
    """Meta's #100 saying the metric asked is retired (not an unknown or misspelt one)."""
    return error.code == 100 and "no longer supported" in error.message


def is_permission_missing(error: GraphApiError) -> bool:
    code = error.code
    return code == 10 or (code is not None and 200 <= code <= 299)


class PermissionMissing(Exception):
    """The token may not read this platform's insights."""


class MetricRetired(Exception):
    """Meta says the metric asked is no longer supported."""


async def read_figures(
    graph: GraphClient,
    *,
    token: str,
    platform: str,
    post_id: str,
    age: InsightsAge,
    metrics: Sequence[str] | None = None,
) -> PostFigures:
    """The post's figures as Meta shows them now; ``metrics``: those asked (the platform's
    list by default)."""
    figures = PostFigures(platform=platform, post_id=post_id, age=age)  # type: ignore[arg-type]
    asked = metrics if metrics is not None else _metrics_of(platform)
    try:
        for metric in asked:
            value = await _one_metric(graph, token, post_id, metric, platform)
            if isinstance(value, int):
                figures.figures[metric] = value
            else:
                figures.notes.append(value)
        if platform == "facebook":
            reactions = await _reactions(graph, token, post_id)
            if isinstance(reactions, int):
                figures.figures["reactions"] = reactions
            else:
                figures.notes.append(reactions)
    except PermissionMissing:
        figures.figures = {}
        figures.permission_missing = INSIGHTS_PERMISSION[platform]
    figures.read_at = datetime.now(UTC).isoformat()
    return figures


def _metrics_of(platform: str) -> Sequence[str]:
    if platform == "instagram":
        return INSTAGRAM_METRICS
    if platform == "facebook":
        return FACEBOOK_METRICS
    raise feed_error(
        "InvalidPlatform",
        f"platform '{platform}': insights are read for 'facebook' or 'instagram'",
        retryable=False,
    )


async def _one_metric(
    graph: GraphClient, token: str, post_id: str, metric: str, platform: str
) -> int | str:
    """The metric's lifetime value, or a note saying why it was skipped."""
    try:
        body = await _get(graph, f"{post_id}/insights", token, {"metric": metric}, platform)
    except MetricRetired:
        return f"{metric}: Meta no longer supports this metric; skipped"
    return metric_value(body, metric)


def metric_value(body: Mapping[str, Any], metric: str) -> int | str:
    """The metric's value in Meta's answer ``{"data": [{"name", "values": [{"value"}]}]}``,
    or a note saying it gave none: an answer of another shape is read as giving none (asking
    again gives the same answer)."""
    data = body.get("data")
    for item in data if isinstance(data, list) else []:
        if isinstance(item, dict) and item.get("name") == metric:
            values = item.get("values")
            last = values[-1] if isinstance(values, list) and values else None
            value = last.get("value") if isinstance(last, dict) else None
            if isinstance(value, int) and not isinstance(value, bool):
                return value
    return f"{metric}: Meta gave no value"


async def _reactions(graph: GraphClient, token: str, post_id: str) -> int | str:
    fields = {"fields": "reactions.summary(total_count)"}
    return reaction_count(await _get(graph, post_id, token, fields, "facebook"))


def reaction_count(body: Mapping[str, Any]) -> int | str:
    """The post's reactions in Meta's answer ``{"reactions": {"summary": {"total_count"}}}``
    (none said: 0), or a note when the answer has another shape."""
    reactions = body.get("reactions")
    if reactions is None:
        return 0
    summary = reactions.get("summary") if isinstance(reactions, dict) else None
    count = summary.get("total_count") if isinstance(summary, dict) else None
    if isinstance(count, int) and not isinstance(count, bool):
        return count
    return "reactions: Meta gave no readable count"


async def _get(
    graph: GraphClient, path: str, token: str, params: dict[str, str], platform: str
) -> dict[str, Any]:
    label = _LABEL.get(platform, platform)
    try:
        return await graph.get(path, token, params)
    except GraphUnreachable:
        raise feed_error(
            "MetaUnreachable", f"{label}: no answer from Meta", retryable=True
        ) from None
    except GraphApiError as exc:
        if is_permission_missing(exc):
            raise PermissionMissing from None
        if is_retired(exc) and "metric" in params:
            raise MetricRetired from None
        failure = classify_graph_error(exc, label)
        raise feed_error(
            failure.type, f"{failure.reason} (reading the figures of {path.split('/')[0]})",
            retryable=failure.retryable, meta_code=exc.code, meta_subcode=exc.subcode,
            retry_after_seconds=failure.retry_after_seconds,
        ) from None  # fmt: skip
