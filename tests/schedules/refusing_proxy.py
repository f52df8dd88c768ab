"""A gRPC proxy in front of a Temporal server that refuses every operator-service call.

It stands for a server on which the caller may not manage the namespace (Temporal Cloud
without that permission): every other call is passed through, byte for byte, with its
metadata, status and error details.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent import futures
from contextlib import contextmanager
from typing import Any

import grpc

__all__ = ["refusing_operator_service"]

OPERATOR_SERVICE = "/temporal.api.operatorservice.v1.OperatorService/"


class _PassThrough(grpc.GenericRpcHandler):
    def __init__(self, upstream: grpc.Channel) -> None:
        self._upstream = upstream

    def service(self, details: grpc.HandlerCallDetails) -> grpc.RpcMethodHandler:
        method: str = details.method  # type: ignore[attr-defined]
        if method.startswith(OPERATOR_SERVICE):
            return grpc.unary_unary_rpc_method_handler(_refuse)
        call = self._upstream.unary_unary(method)  # no (de)serializers: raw bytes

        def forward(request: bytes, context: grpc.ServicerContext) -> Any:
            metadata = [(k, v) for k, v in context.invocation_metadata() if not k.startswith(":")]
            try:
                return call(request, metadata=metadata, timeout=context.time_remaining())
            except grpc.RpcError as exc:
                context.set_trailing_metadata(exc.trailing_metadata() or ())  # type: ignore[attr-defined]
                context.abort(exc.code(), exc.details() or "")  # type: ignore[attr-defined]

        return grpc.unary_unary_rpc_method_handler(forward)


def _refuse(_request: bytes, context: grpc.ServicerContext) -> Any:
    context.abort(grpc.StatusCode.PERMISSION_DENIED, "Request unauthorized.")


@contextmanager
def refusing_operator_service(upstream: str) -> Iterator[str]:
    """Serve the proxy on a free local port while the block runs; yields its address."""
    channel = grpc.insecure_channel(upstream)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    server.add_generic_rpc_handlers((_PassThrough(channel),))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.stop(grace=None)
        channel.close()
