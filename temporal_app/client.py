"""Connect to Temporal with the address, namespace and credentials from the environment."""

from __future__ import annotations

import os

from temporalio.client import Client
from temporalio.runtime import Runtime

__all__ = ["get_temporal_client"]


async def get_temporal_client(
    address: str | None = None,
    *,
    namespace: str | None = None,
    api_key: str | None = None,
    tls: bool | None = None,
    runtime: Runtime | None = None,
) -> Client:
    """A Temporal client; each argument left out comes from its variable.

    ``TEMPORAL_ADDRESS`` (localhost:7233), ``TEMPORAL_NAMESPACE`` (default),
    ``TEMPORAL_API_KEY`` (Temporal Cloud; turns TLS on) and ``TEMPORAL_TLS`` (true/false).
    ``runtime`` is the SDK's default unless given (the worker's serves metrics).
    """
    api_key = api_key or os.environ.get("TEMPORAL_API_KEY") or None
    if tls is None:
        tls = os.environ.get("TEMPORAL_TLS", "").lower() in ("1", "true", "yes") or bool(api_key)
    return await Client.connect(
        address or os.environ.get("TEMPORAL_ADDRESS", "localhost:7233"),
        namespace=namespace or os.environ.get("TEMPORAL_NAMESPACE", "default"),
        api_key=api_key,
        tls=tls,
        runtime=runtime,
    )
