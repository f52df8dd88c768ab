"""Recognise Temporal's "no such schedule / workflow" answer."""

from __future__ import annotations

from temporalio.service import RPCError, RPCStatusCode

__all__ = ["is_not_found"]


def is_not_found(error: BaseException) -> bool:
    return isinstance(error, RPCError) and error.status == RPCStatusCode.NOT_FOUND
