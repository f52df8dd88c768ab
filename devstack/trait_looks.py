"""``make run``'s trait look: the checks started a ``PhotoTraitsWorkflow`` for each brand that
learns; once it has ended, one line per brand says which traits its unused photos were given."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import psycopg
from temporalio.client import Client

from temporal_app.traits.models import PhotoTraitsReport
from temporal_app.workflows.photo_traits import traits_workflow_id

from .stack import EmbeddedStack

__all__ = ["LOOK_SECONDS", "show_trait_looks"]

LOOK_SECONDS = 150.0
"""How long the looks may take: the batch's first look comes a minute after it is sent."""


async def show_trait_looks(
    client: Client, stack: EmbeddedStack, say: Callable[[str], None]
) -> None:
    brands = [name for name, brand in sorted(stack.brands.items()) if brand.learning != "off"]
    looks = [
        client.get_workflow_handle(
            traits_workflow_id(brand), result_type=PhotoTraitsReport
        ).result()
        for brand in brands
    ]
    try:
        reports = await asyncio.wait_for(asyncio.gather(*looks), LOOK_SECONDS)
    except TimeoutError:
        say(f"   the trait looks had not ended within {LOOK_SECONDS:.0f} s")
        return
    for report in reports:
        stored = await asyncio.to_thread(_traits_of, stack, report.brand)
        say(f"{report.brand:<9}{report.stored} unused photos given traits (Message Batch):")
        for key, traits in stored:
            say(f"   {key.rsplit('/', 1)[-1]:<22} {', '.join(traits)}")
        for problem in report.not_stored:
            say(f"   not stored: {problem}")


def _traits_of(stack: EmbeddedStack, brand: str) -> list[tuple[str, list[str]]]:
    with psycopg.connect(stack.database_url) as conn:
        rows = conn.execute(
            "SELECT key, traits FROM photos WHERE brand = %s AND traits IS NOT NULL ORDER BY key",
            (brand,),
        ).fetchall()
    return [(str(key), list(traits)) for key, traits in rows]
