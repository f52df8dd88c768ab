"""What the agent-outputs server holds while it runs: its pool, the notice ledger and the
planned slots."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from mcp.server.mcpserver import Context
from psycopg_pool import AsyncConnectionPool

from feedpub.brands import load_brands
from feedpub.db import apply_migrations, open_pool
from feedpub.settings import AgentOutputsSettings, load_settings

from .notices.claims import NoticeClaims
from .notices.deliveries import NoticeDeliveries
from .notices.windows import NoticeWindows, RepeatWindows
from .planned_slots import SlotClaims

__all__ = ["AgentOutputsContext", "agent_outputs_lifespan", "app_of"]


@dataclass
class AgentOutputsContext:
    pool: AsyncConnectionPool
    claims: NoticeClaims
    windows: NoticeWindows
    deliveries: NoticeDeliveries
    slots: SlotClaims


def app_of(ctx: Context[Any, Any]) -> AgentOutputsContext:
    """What the server holds, as a tool reaches it through its request context."""
    state: AgentOutputsContext = ctx.request_context.lifespan_context
    return state


@asynccontextmanager
async def agent_outputs_lifespan(_server: Any) -> AsyncIterator[AgentOutputsContext]:
    settings = load_settings(AgentOutputsSettings)
    # Each brand's repeat window decides how its problems fold (brands.toml).
    repeat_windows = RepeatWindows.of(load_brands(settings.brands_file))
    conninfo = settings.database_url.get_secret_value()
    await apply_migrations(conninfo)
    pool = await open_pool(conninfo)
    try:
        yield AgentOutputsContext(
            pool=pool,
            claims=NoticeClaims(pool, repeat_windows),
            windows=NoticeWindows(pool),
            deliveries=NoticeDeliveries(pool),
            slots=SlotClaims(pool),
        )
    finally:
        await pool.close()
