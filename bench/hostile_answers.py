"""R4 kinds of hostile brands entries, Meta answers (the cases of ``hostile_cases``) and
caption texts a photo smuggles in (``caption_cases``).

A brands entry is read as the scheduler and both servers read the file: it must be refused,
naming the brand, field and words of its case. A Meta answer is served by a Meta emulator of
its own (a fault rule armed there cannot reach another kind running at the same time) to the
real Graph client, classified as the feed-publisher classifies it, and carried across MCP to
the worker's error handling: what Temporal is then told (retry or not, after what delay) must
be what the case says. A caption text goes through the caption checks of a brand with the
case's allowlists: the first contact it must refuse is named, or it passes.
"""

from __future__ import annotations

from datetime import timedelta

import httpx

from devstack.meta_emulator import MetaEmulator
from feedpub.brands import BrandsFileError, parse_brands
from mcp_servers._errors import feed_error
from mcp_servers.feed_publisher.meta.graph import GraphApiError, GraphClient
from mcp_servers.feed_publisher.meta.graph_errors import (
    GraphFailure,
    classify_graph_error,
    classify_token_check,
)
from temporal_app.captions.checks import caption_problems
from temporal_app.mcp_client import tool_failure

from .caption_cases import CASES, SmugglingCase
from .hostile_cases import (
    BRANDS_CASES,
    GOOD_BRAND,
    META_CASES,
    RETRIED,
    BrandsCase,
    MetaAnswerCase,
)
from .hostile_kinds import Attempt, HostileBench, HostileKind, Outcome

__all__ = [
    "ANSWER_KINDS",
    "CAPTION_KINDS",
    "ENTRY_KINDS",
    "as_the_worker_sees_it",
    "classified",
    "meta_answer",
]

PAGE, IG, TOKEN = "101000000000001", "17841400000000001", "page-token-hostile"
CALLS = {
    "debug_token": ("GET", "debug_token"),
    "facebook_photos": ("POST", f"{PAGE}/photos"),
    "instagram_media": ("POST", f"{IG}/media"),
    "instagram_publish": ("POST", f"{IG}/media_publish"),
}


async def meta_answer(case: MetaAnswerCase) -> GraphApiError:
    """The error the Graph client raises when a Meta emulator answers with ``case.fault``."""
    emulator = MetaEmulator()
    emulator.add_page(PAGE, TOKEN)
    emulator.add_instagram_user(IG, TOKEN)
    emulator.set_fault(case.fault)
    method, path = CALLS[case.fault["endpoint"]]
    transport = httpx.ASGITransport(app=emulator.app)
    async with httpx.AsyncClient(transport=transport) as http:
        graph = GraphClient(http, base_url="http://graph.test", version="v26.0")
        try:
            if method == "GET":
                await graph.get(path, TOKEN, {"input_token": TOKEN})
            else:
                await graph.post(path, TOKEN, {"creation_id": "1"})
        except GraphApiError as error:
            return error
    raise AssertionError(f"{case.name}: Meta's answer was taken as a success")


def classified(case: MetaAnswerCase, error: GraphApiError) -> GraphFailure:
    if case.fault["endpoint"] == "debug_token":
        return classify_token_check(error)
    return classify_graph_error(error, "Instagram")


def as_the_worker_sees_it(failure: GraphFailure) -> tuple[bool, timedelta | None]:
    """Whether Temporal may retry, and after what delay, once the failure crossed MCP."""
    from mcp_types import CallToolResult, TextContent

    tool_error = feed_error(
        failure.type, failure.reason, retryable=failure.retryable,
        retry_after_seconds=failure.retry_after_seconds,
    )  # fmt: skip
    result = CallToolResult(content=[TextContent(text=str(tool_error))], is_error=True)
    worker_error = tool_failure("feed-publisher", "a_tool", result)
    return not worker_error.non_retryable, worker_error.next_retry_delay


def _told(error_type: str, retried: bool, delay: timedelta | None) -> str:
    if not retried:
        return f"{error_type}, not retried"
    after = "the policy's interval" if delay is None else f"{delay.total_seconds():g} s"
    return f"{error_type}, retried after {after}"


def _entry_kind(case: BrandsCase) -> HostileKind:
    def stage(bench: HostileBench) -> Attempt:
        async def attempt() -> Outcome:
            try:
                parse_brands({"brands": case.brands}, "hostile.toml")
            except BrandsFileError as refused:
                return Outcome(refused=True, reason="; ".join(refused.problems))
            return Outcome(refused=False)

        return attempt

    words = f"brand '{case.brand}': field '{case.field}'"
    return HostileKind(f"brands: {case.name}", stage, refused_because=words)


def _answer_kind(case: MetaAnswerCase) -> HostileKind:
    def stage(bench: HostileBench) -> Attempt:
        async def attempt() -> Outcome:
            failure = classified(case, await meta_answer(case))
            return Outcome(
                refused=True, reason=_told(failure.type, *as_the_worker_sees_it(failure))
            )

        return attempt

    delay = None if case.retry_delay is None else timedelta(seconds=case.retry_delay)
    expected = _told(case.error_type, case.outcome == RETRIED, delay)
    return HostileKind(f"meta: {case.name}", stage, refused_because=expected)


ENTRY_KINDS = [_entry_kind(case) for case in BRANDS_CASES]
ANSWER_KINDS = [_answer_kind(case) for case in META_CASES]


def _caption_kind(case: SmugglingCase) -> HostileKind:
    def stage(bench: HostileBench) -> Attempt:
        voice = {"voice_settings": case.allow} if case.allow else {}
        table = {**GOOD_BRAND, "language": "en", **voice}
        checked = parse_brands({"brands": {"pomandi": table}}, "hostile.toml")["pomandi"]

        async def attempt() -> Outcome:
            text = f"Our new suit. {case.text}"
            captions = {"facebook": text, "instagram": text, "alt_text": "A man in a suit."}
            found = caption_problems(captions, {}, checked)
            return Outcome(refused=bool(found), reason="; ".join(found))

        return attempt

    if not case.refused:
        return HostileKind(f"caption: {case.name}", stage, refused_because=None)
    kind, contact = case.refused[0]
    shown = contact.replace(".", "[.]") if kind in ("link", "e-mail address") else contact
    words = f"allowed_{_ALLOWLIST[kind]}: {shown}"
    return HostileKind(f"caption: {case.name}", stage, refused_because=words)


_ALLOWLIST = {
    "link": "links",
    "phone number": "phone_numbers",
    "e-mail address": "emails",
    "@mention": "mentions",
}


CAPTION_KINDS = [_caption_kind(case) for case in CASES]
