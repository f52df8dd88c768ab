"""A waiting run's image as it will be posted (the prepared, Instagram-ready JPEG), for its
approval page: to a person who may see the run's brand, or through the run's approval link.

Read from the feed-publisher server with the read token; the console never reads S3.
"""

from __future__ import annotations

import base64
import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from feedpub.contract import tools

from ..approval_access import backends, run_and_access

__all__ = ["routes"]

log = logging.getLogger("feedpub.console.approvals")


async def approval_image(request: Request) -> Response:
    found = await run_and_access(request, request.query_params.get("link") or None)
    if isinstance(found, Response):
        return found
    run, _access = found
    media_key = run.progress.media_key if run.progress else None
    if not media_key:
        raise HTTPException(404)
    try:
        result = await backends(request).feed_publisher.call(
            tools.GET_PREPARED_MEDIA, {"brand": run.brand, "media_key": media_key}
        )
    except Exception as exc:  # gone from the library, or the server away: no image
        log.warning("the image of run %s: %s", run.workflow_id, exc)
        raise HTTPException(404) from None
    for item in result.content:
        if item.type == "image":
            return Response(base64.b64decode(item.data), media_type="image/jpeg")
    raise HTTPException(404)


routes: list[BaseRoute] = [
    Route("/approvals/{workflow_id}/{run_id}/image", approval_image, methods=["GET"]),
]
