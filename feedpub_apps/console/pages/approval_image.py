"""A waiting run's image as it will be posted (the prepared, Instagram-ready JPEG), for its
approval page: to a person who may see the run's brand, or through the run's approval link.

Read from the feed-publisher server with the read token; the console never reads S3.
"""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...reports.source import prepared_image
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
        image = await prepared_image(backends(request).feed_publisher, run.brand, media_key)
    except Exception as exc:  # the server away: no image, the page still shows
        log.warning("the image of run %s: %s", run.workflow_id, exc)
        raise HTTPException(404) from None
    if image is None:
        raise HTTPException(404)
    return Response(image, media_type="image/jpeg")


routes: list[BaseRoute] = [
    Route("/approvals/{workflow_id}/{run_id}/image", approval_image, methods=["GET"]),
]
