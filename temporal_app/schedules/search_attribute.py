"""The ``Brand`` search attribute that runs started by the schedules carry.

A bare ``temporal server start-dev`` or a fresh cluster does not have it, and refuses a
schedule whose runs would carry it. It is registered through the operator service when the
server allows that; Temporal Cloud registers attributes through its own control plane, so
there the operator is told what to run.
"""

from __future__ import annotations

import asyncio
import time

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from .spec import BRAND_SEARCH_ATTRIBUTE

__all__ = ["SearchAttributeUnavailable", "ensure_brand_search_attribute"]

KEYWORD = IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
VISIBLE_WITHIN_SECONDS = 60.0
"""How long a new attribute may take to be usable (a cluster with Elasticsearch reindexes)."""


class SearchAttributeUnavailable(Exception):
    """``Brand`` cannot be used and cannot be registered from here; the message (one line)
    says what to do."""


async def ensure_brand_search_attribute(
    client: Client, *, timeout: float = VISIBLE_WITHIN_SECONDS
) -> bool:
    """Make sure runs can carry ``Brand`` in the client's namespace.

    Returns True when it was registered now (and is usable), False when it was there already.
    """
    namespace, name = client.namespace, BRAND_SEARCH_ATTRIBUTE.name
    try:
        listed = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace=namespace)
        )
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            raise _no_namespace(namespace) from None
        if exc.status != RPCStatusCode.PERMISSION_DENIED:
            raise
        # No operator service for us (Temporal Cloud): a visibility query tells if it exists.
        if await _usable(client):
            return False
        raise _register_it_yourself(namespace) from None
    kind = listed.custom_attributes.get(name)
    if kind == KEYWORD:
        return False
    if kind is not None:
        shown = IndexedValueType.Name(kind).removeprefix("INDEXED_VALUE_TYPE_").title()
        raise SearchAttributeUnavailable(
            f"the search attribute {name} is registered as {shown} in Temporal namespace "
            f"'{namespace}', and feedpub needs it as Keyword: remove it there, or give feedpub "
            "another namespace (TEMPORAL_NAMESPACE)"
        )
    try:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(namespace=namespace, search_attributes={name: KEYWORD})
        )
    except RPCError as exc:
        if exc.status == RPCStatusCode.PERMISSION_DENIED:
            raise _register_it_yourself(namespace) from None
        if exc.status != RPCStatusCode.ALREADY_EXISTS:  # else registered meanwhile: fine
            raise
    await _wait_until_usable(client, timeout)
    return True


async def _usable(client: Client) -> bool:
    """Whether the namespace's visibility knows ``Brand``: the check schedules go through."""
    try:
        await client.count_workflows(f'{BRAND_SEARCH_ATTRIBUTE.name} = "feedpub-probe"')
    except RPCError as exc:
        if exc.status == RPCStatusCode.INVALID_ARGUMENT:
            return False
        raise
    return True


async def _wait_until_usable(client: Client, timeout: float) -> None:
    deadline, pause = time.monotonic() + timeout, 0.1
    while not await _usable(client):
        if time.monotonic() > deadline:
            raise SearchAttributeUnavailable(
                f"registered the search attribute {BRAND_SEARCH_ATTRIBUTE.name} in Temporal "
                f"namespace '{client.namespace}', but it was not usable within {timeout:.0f} s; "
                "run this again in a minute"
            )
        await asyncio.sleep(pause)
        pause = min(pause * 2, 2.0)


def _register_it_yourself(namespace: str) -> SearchAttributeUnavailable:
    name = BRAND_SEARCH_ATTRIBUTE.name
    return SearchAttributeUnavailable(
        f"Temporal namespace '{namespace}' has no search attribute {name} and feedpub may not "
        "register it (permission denied); register it once, then run this again: "
        f"`temporal operator search-attribute create --namespace {namespace} --name {name} "
        f"--type Keyword`, or on Temporal Cloud `tcld namespace search-attributes add "
        f"--namespace {namespace} --search-attribute {name}=Keyword`"
    )


def _no_namespace(namespace: str) -> SearchAttributeUnavailable:
    return SearchAttributeUnavailable(
        f"Temporal has no namespace '{namespace}' (TEMPORAL_NAMESPACE): create it or name another"
    )
