"""Connect to Temporal with the address, namespace and credentials from the environment."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.runtime import Runtime
from temporalio.service import RPCError

from feedpub.settings import TemporalSettings, load_settings

__all__ = ["TemporalUnreachable", "get_temporal_client"]


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
    ``runtime`` is the SDK's default unless given (the worker's serves metrics).

    Raises:
        SettingsError: one of those variables holds something unusable.
        TemporalUnreachable: nothing answers at the address, or it refuses the connection.
    """
    settings = load_settings(TemporalSettings)
    env_key = settings.temporal_api_key
    api_key = api_key or (env_key.get_secret_value() if env_key else None)
    if tls is None:
        tls = settings.temporal_tls or bool(api_key)
    address = address or settings.temporal_address
    try:
        return await Client.connect(
            address,
            namespace=namespace or settings.temporal_namespace,
            api_key=api_key,
            tls=tls,
            runtime=runtime,
        )
    except (RuntimeError, RPCError) as exc:
        reason = str(exc).removeprefix("Failed client connect: ")
        how = "TEMPORAL_ADDRESS, TLS on" if tls else "TEMPORAL_ADDRESS"
        raise TemporalUnreachable(f"cannot reach Temporal at {address} ({how}): {reason}") from None
