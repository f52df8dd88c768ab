"""``make run``'s end: every brand's checks run now (token, photos left, weekly digest), and
what the stack's SMTP server and webhook receiver got from them, as the team would see it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

from temporalio.client import Client

from feedpub.contract.checks import CHECKS, BrandChecksReport, BrandChecksRequest
from feedpub_apps.cli.checks import outcome_lines
from temporal_app.workflows.brand_checks import BrandChecksWorkflow
from temporal_app.workflows.notifier import notifier_id

from .inbox import Received
from .stack import EmbeddedStack

__all__ = ["DELIVERY_SECONDS", "check_brands", "received_lines", "wait_until_delivered"]

DELIVERY_SECONDS = 60.0
"""How long the notices may take to reach the receivers (each destination has 20 s a try)."""


async def check_brands(
    client: Client, stack: EmbeddedStack, say: Callable[[str], None]
) -> list[str]:
    """Force every check for every brand of the stack; the event ids told (new ones)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report: BrandChecksReport = await client.execute_workflow(
        BrandChecksWorkflow.run,
        BrandChecksRequest(brands=sorted(stack.brands), force=list(CHECKS)),
        id=f"feedpub-checks-manual-{stamp}",
        task_queue=stack.options.task_queue,
    )
    for outcome in report.brands:
        say("\n".join(outcome_lines(outcome)))
    return [told.event_id for o in report.brands for told in o.told if not told.told_before]


async def wait_until_delivered(client: Client, event_ids: list[str]) -> None:
    """Wait for the notifier of each event to end: it has then claimed its notice and every
    destination of its brand has taken the message or failed to. TimeoutError after
    ``DELIVERY_SECONDS``."""
    notifiers = [client.get_workflow_handle(notifier_id(event)).result() for event in event_ids]
    try:
        await asyncio.wait_for(asyncio.gather(*notifiers), DELIVERY_SECONDS)
    except TimeoutError:
        raise TimeoutError(f"notices not delivered within {DELIVERY_SECONDS:.0f} s") from None


def received_lines(received: list[Received]) -> list[str]:
    """What each receiver got, grouped by receiver and recipient: the subject, one a line; then
    one weekly digest in full, as the team reads it."""
    groups: dict[tuple[str, str], list[Received]] = {}
    for got in received:
        groups.setdefault((got.receiver, got.to), []).append(got)
    lines = []
    for (receiver, to), messages in sorted(groups.items()):
        where = f"e-mail to {to}" if receiver == "smtp" else f"webhook {to}"
        lines.append(f"   {where}:")
        for got in sorted(messages, key=lambda got: got.subject):
            seal = {True: "  (signature verified)", False: f"  (refused: {got.refused})", None: ""}
            lines.append(f"      {got.subject}{seal[got.verified]}")
    if not lines:
        return ["   nothing"]
    digests = [got for got in received if got.receiver == "smtp" and "last week" in got.subject]
    if digests:
        shown = min(digests, key=lambda got: got.subject)
        lines.append(f'   The e-mail "{shown.subject}" in full:')
        lines += [f"      | {line}" for line in shown.body.splitlines()]
    return lines
