"""Connect to Temporal with the address, namespace and credentials from the environment."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr
from temporalio.client import Client
from temporalio.runtime import Runtime
from temporalio.service import RPCError

from feedpub.settings import TemporalSettings, load_settings

__all__ = ["TemporalUnreachable", "connect_temporal", "get_temporal_client"]


class TemporalUnreachable(RuntimeError):
    """No connection to Temporal; the message is one line naming the address and variable."""


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
    ``runtime`` is the SDK's default unless given.

    Raises:
        SettingsError: one of those variables holds something unusable.
        TemporalUnreachable: nothing answers at the address, or it refuses the connection.
    """
    given: dict[str, Any] = {
        "temporal_address": address,
        "temporal_namespace": namespace,
        "temporal_api_key": SecretStr(api_key) if api_key else None,
        "temporal_tls": tls,
    }
    settings = load_settings(TemporalSettings).model_copy(
        update={name: value for name, value in given.items() if value is not None}
    )
    return await connect_temporal(settings, runtime=runtime)


async def connect_temporal(settings: TemporalSettings, *, runtime: Runtime | None = None) -> Client:
    """A client for exactly ``settings`` (the worker's; ``runtime`` serves its metrics)."""
    api_key = settings.temporal_api_key
    try:
        return await Client.connect(
            settings.temporal_address,
            namespace=settings.temporal_namespace,
            api_key=api_key.get_secret_value() if api_key else None,
            tls=settings.tls,
            runtime=runtime,
        )
    except (RuntimeError, RPCError) as exc:
        reason = str(exc).removeprefix("Failed client connect: ")
        how = "TEMPORAL_ADDRESS, TLS on" if settings.tls else "TEMPORAL_ADDRESS"
        raise TemporalUnreachable(
            f"cannot reach Temporal at {settings.temporal_address} ({how}): {reason}"
        ) from None
