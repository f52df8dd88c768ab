"""The kinds of hostile input the R4 bench works through, each with the outcome expected.

A kind is a small named case: ``stage`` puts its input in place on the running stack (a file
in S3 and the ledger, a brands entry, a Meta answer...) and returns the ``attempt`` that feeds
it to the product; the attempt tells what came of it. Kinds of one family live in a module of
their own (hostile_photos.py) as a list of ``HostileKind``; ``r4_hostile.ALL_KINDS`` joins
the lists.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from temporalio.exceptions import ApplicationError

from devstack.stack import EmbeddedStack
from temporal_app.mcp_client import McpConnection

__all__ = ["Attempt", "HostileBench", "HostileKind", "Outcome"]


@dataclass(frozen=True)
class Outcome:
    refused: bool
    reason: str = ""
    """What the product said when it refused (empty when it accepted)."""
    crashed: bool = False
    """The server died while it worked on the input."""


Attempt = Callable[[], Awaitable[Outcome]]


@dataclass(frozen=True)
class HostileKind:
    name: str
    stage: Callable[[HostileBench], Attempt]
    refused_because: str | None
    """Words the reason of its refusal must hold; None when the input must be accepted (a
    legal photo that is only heavy, say)."""

    def as_expected(self, outcome: Outcome) -> bool:
        if outcome.crashed:
            return False
        if self.refused_because is None:
            return not outcome.refused
        return outcome.refused and self.refused_because in outcome.reason

    @property
    def expected(self) -> str:
        return "accepted" if self.refused_because is None else f"refused ({self.refused_because})"


class HostileBench:
    """The running stack, seen by the kinds: S3, the ledger, the feed-publisher server."""

    def __init__(self, stack: EmbeddedStack, s3: Any) -> None:
        self.stack = stack
        self.s3 = s3
        self.bucket = stack.s3_env["S3_BUCKET"]
        self.feed_publisher = McpConnection(
            "feed-publisher", stack.mcp_urls["feed-publisher"], stack.mcp_token
        )
        self.restarts = 0

    async def call(self, tool: str, arguments: dict[str, Any]) -> dict[str, Any] | Outcome:
        """The tool's structured result, or its refusal as an Outcome. A server that died on
        the way is restarted, as its container would be, and counted."""
        try:
            return dict((await self.feed_publisher.call(tool, arguments)).structured_content or {})
        except ApplicationError as error:
            return Outcome(refused=True, reason=str(error))
        except Exception as error:  # the transport: the server may have died
            if self.stack.children["feed-publisher"].alive():
                raise
            self.restarts += 1
            self.stack.start_mcp_server("feed-publisher")
            return Outcome(refused=False, reason=f"died: {error.__class__.__name__}", crashed=True)

    async def close(self) -> None:
        await self.feed_publisher.close()
