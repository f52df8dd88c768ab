"""Hostile Meta answers, served by the Meta emulator to the real Graph client: each is read as
what it is (a throttle is no invalid token, a bare 429 no refused post), and no header can
make the worker wait more than an hour, wait a negative time, or crash."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from mcp_types import CallToolResult, TextContent

from bench.hostile_cases import META_CASES, PERMANENT, RETRIED, TOKEN_INVALID, MetaAnswerCase
from devstack.meta_emulator import MetaEmulator
from mcp_servers._errors import feed_error
from mcp_servers.feed_publisher.graph import GraphApiError, GraphClient
from mcp_servers.feed_publisher.graph_errors import (
    GraphFailure,
    classify_graph_error,
    classify_token_check,
)
from temporal_app.errors import tool_failure

PAGE, IG, TOKEN = "101000000000001", "17841400000000001", "page-token-hostile"
CALLS = {
    "debug_token": ("GET", "debug_token"),
    "facebook_photos": ("POST", f"{PAGE}/photos"),
    "instagram_media": ("POST", f"{IG}/media"),
    "instagram_publish": ("POST", f"{IG}/media_publish"),
}


async def meta_answer(case: MetaAnswerCase) -> GraphApiError:
    """The error the Graph client raises when the emulator answers with ``case.fault``."""
    emulator = MetaEmulator()
    emulator.add_page(PAGE, TOKEN)
    emulator.add_instagram_user(IG, TOKEN)
    emulator.set_fault(case.fault)
    method, path = CALLS[case.fault["endpoint"]]
    transport = httpx.ASGITransport(app=emulator.app)
    async with httpx.AsyncClient(transport=transport) as http:
        graph = GraphClient(http, base_url="http://graph.test", version="v26.0")
        with pytest.raises(GraphApiError) as answered:
            if method == "GET":
                await graph.get(path, TOKEN, {"input_token": TOKEN})
            else:
                await graph.post(path, TOKEN, {"creation_id": "1"})
    return answered.value


def classified(case: MetaAnswerCase, error: GraphApiError) -> GraphFailure:
    if case.fault["endpoint"] == "debug_token":
        return classify_token_check(error)
    return classify_graph_error(error, "Instagram")


def as_the_worker_sees_it(failure: GraphFailure) -> tuple[bool, timedelta | None]:
    """Whether Temporal may retry, and after what delay, once the failure crossed MCP."""
    tool_error = feed_error(
        failure.type, failure.reason, retryable=failure.retryable,
        retry_after_seconds=failure.retry_after_seconds,
    )  # fmt: skip
    result = CallToolResult(content=[TextContent(text=str(tool_error))], is_error=True)
    worker_error = tool_failure("feed-publisher", "a_tool", result)
    return not worker_error.non_retryable, worker_error.next_retry_delay


@pytest.mark.parametrize("case", META_CASES, ids=[case.name for case in META_CASES])
async def test_each_hostile_meta_answer_has_the_outcome_it_deserves(case: MetaAnswerCase) -> None:
    failure = classified(case, await meta_answer(case))

    assert failure.type == case.error_type
    assert failure.retryable is (case.outcome == RETRIED)
    if case.outcome == RETRIED:
        assert not failure.token_problem, "a retried answer must raise no token alert"
    if case.outcome == PERMANENT:
        assert failure.type != "MetaTokenInvalid"
    if case.outcome == TOKEN_INVALID:
        assert failure.token_problem
    retried, delay = as_the_worker_sees_it(failure)
    assert retried is failure.retryable
    expected = None if case.retry_delay is None else timedelta(seconds=case.retry_delay)
    assert delay == expected
