"""Connect to Temporal with the address and namespace from the environment."""

from __future__ import annotations

import os

from temporalio.client import Client

__all__ = ["get_temporal_client"]


async def get_temporal_client(
    address: str | None = None, *, namespace: str | None = None
) -> Client:
    """A Temporal client for ``TEMPORAL_ADDRESS`` / ``TEMPORAL_NAMESPACE`` unless given."""
    return await Client.connect(
        address or os.environ.get("TEMPORAL_ADDRESS", "localhost:7233"),
        namespace=namespace or os.environ.get("TEMPORAL_NAMESPACE", "default"),
    )
