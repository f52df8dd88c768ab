"""The Starlette app: Graph routes (with or without a ``/vNN.N`` prefix), fault injection
around every Graph endpoint, and the ``/_emulator`` control routes."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from . import facebook, insights, instagram, objects
from .admin import ADMIN_ROUTES
from .audience_routes import AUDIENCE_ROUTES
from .calls import read_graph_call
from .errors import GraphError, unexpected_error, unknown_path
from .fault_answers import ProxyAnswer, fault_error
from .faults import FaultBook
from .request_log import GraphRequest, RequestLog
from .state import GraphState

logger = logging.getLogger("devstack.meta_emulator")

GraphHandler = Callable[..., Awaitable[dict[str, Any]]]
VERSION_PREFIX = re.compile(r"^/v\d+\.\d+(?=/|$)")
SECRET_PARAMS = {"access_token", "input_token", "client_secret", "appsecret_proof"}


class StripGraphVersion:
    """Serve ``/v26.0/{id}/photos`` and ``/{id}/photos`` alike, whatever the version."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (match := VERSION_PREFIX.match(scope["path"])):
            scope = {**scope, "path": scope["path"][match.end() :] or "/"}
        await self.app(scope, receive, send)


def sent_path(request: Request) -> str:
    # raw_path still has the /vNN.N prefix that StripGraphVersion took out of path.
    return request.scope.get("raw_path", b"").decode("latin-1") or request.url.path


def remember(request: Request) -> None:
    requests: RequestLog = request.app.state.requests
    requests.remember(GraphRequest(request.method, sent_path(request), request.url.query))


def loggable_target(request: Request) -> str:
    """Path and query with tokens left out: they are secrets even in a dev stack."""
    path = sent_path(request)
    query = [(k, v) for k, v in request.query_params.multi_items() if k not in SECRET_PARAMS]
    return path + (f"?{urlencode(query)}" if query else "")


def graph_route(path: str, endpoint: str, handler: GraphHandler, method: str) -> Route:
    """A route that counts the request, applies the faults that hit it, then serves it."""

    async def serve(request: Request) -> Response:
        state: GraphState = request.app.state.graph
        faults: FaultBook = request.app.state.faults
        object_id = request.path_params.get("object_id", "")
        remember(request)
        try:
            hits = faults.draw(endpoint)
            delay = sum(rule.seconds for rule in hits if rule.kind == "latency")
            if delay:
                await asyncio.sleep(delay)
            for rule in hits:
                error = fault_error(rule, endpoint, object_id, state.now())
                if error:
                    raise error
            call = await read_graph_call(request, state, object_id)
            call.stuck = any(rule.kind == "stuck_in_progress" for rule in hits)
            body = await handler(call)
            if any(rule.kind == "drop_after_accept" for rule in hits):
                # The action is done; the client just never learns it, as with a lost response.
                response: Response = Response(b"Bad Gateway", status_code=502)
            else:
                response = JSONResponse(body)
        except (GraphError, ProxyAnswer) as exc:
            response = exc.response()
        except Exception:
            logger.exception("%s %s failed", request.method, loggable_target(request))
            response = unexpected_error().response()
        logger.info("%s %s -> %d", request.method, loggable_target(request), response.status_code)
        return response

    return Route(path, serve, methods=[method], name=f"{endpoint}_{method.lower()}")


async def unsupported(request: Request) -> Response:
    """Anything the emulator does not know answers like Graph does: code 100."""
    remember(request)
    logger.info("%s %s -> 400 (unknown path)", request.method, loggable_target(request))
    return unknown_path(request.url.path).response()


GRAPH_ROUTES = [
    graph_route("/debug_token", "debug_token", instagram.debug_token, "GET"),
    graph_route("/{object_id}/photos", "facebook_photos", facebook.post_page_photo, "POST"),
    graph_route("/{object_id}/feed", "facebook_feed", facebook.post_page_feed, "POST"),
    graph_route("/{object_id}/feed", "facebook_posts", facebook.list_page_posts, "GET"),
    graph_route("/{object_id}/published_posts", "facebook_posts", facebook.list_page_posts, "GET"),
    graph_route("/{object_id}/media", "instagram_media", instagram.create_container, "POST"),
    graph_route("/{object_id}/media", "instagram_media_list", instagram.list_media, "GET"),
    graph_route(
        "/{object_id}/media_publish", "instagram_publish", instagram.publish_container, "POST"
    ),
    graph_route(
        "/{object_id}/content_publishing_limit",
        "publishing_limit",
        instagram.content_publishing_limit,
        "GET",
    ),
    graph_route("/{object_id}/insights", "insights", insights.read_insights, "GET"),
    # Container status and the read-back of published media and Page posts share one path.
    graph_route("/{object_id}", "instagram_status", objects.read_object, "GET"),
]


def build_app(
    state: GraphState, faults: FaultBook, requests: RequestLog, controls: Any
) -> Starlette:
    """The emulator's ASGI app; ``controls`` is the ``MetaEmulator`` the admin routes drive."""
    app = Starlette(
        routes=[
            *ADMIN_ROUTES,
            *AUDIENCE_ROUTES,
            *GRAPH_ROUTES,
            Route("/{path:path}", unsupported, methods=["GET", "POST", "DELETE", "PUT"]),
        ],
        middleware=[Middleware(StripGraphVersion)],
    )
    app.state.graph = state
    app.state.faults = faults
    app.state.requests = requests
    app.state.controls = controls
    return app
