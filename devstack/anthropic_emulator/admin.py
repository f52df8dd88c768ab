"""`/_emulator/...`: arm and clear faults and read the request log over HTTP (same API key)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .errors import ApiError, error_response, invalid_request, new_request_id

if TYPE_CHECKING:
    from .app import AnthropicEmulator

Handler = Callable[[Request], Awaitable[Any]]


def admin_routes(emulator: AnthropicEmulator) -> list[Route]:
    """Routes that drive `emulator`: `POST|GET|DELETE /_emulator/faults`,
    `GET|DELETE /_emulator/requests?limit=N`."""

    def guarded(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            try:
                emulator.authenticate(request)
                return JSONResponse(await handler(request))
            except ApiError as error:
                return error_response(error, new_request_id())

        return endpoint

    async def arm_fault(request: Request) -> Any:
        try:
            spec = await request.json()
            emulator.set_fault(
                spec["kind"],
                times=spec.get("times"),
                probability=spec.get("probability"),
                seconds=spec.get("seconds"),
                field=spec.get("field"),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as problem:
            raise invalid_request(f"fault: {problem}") from None
        return {"faults": emulator.faults.armed()}

    async def show_faults(request: Request) -> Any:
        return {"faults": emulator.faults.armed()}

    async def clear_faults(request: Request) -> Any:
        emulator.clear_faults()
        return {"faults": []}

    async def show_requests(request: Request) -> Any:
        limit = request.query_params.get("limit", "20")
        if not limit.isdigit():
            raise invalid_request("limit: Input should be a non-negative integer")
        log = emulator.request_log
        return {"count": log.count, "requests": log.last(int(limit))}

    async def clear_requests(request: Request) -> Any:
        emulator.request_log.clear()
        return {"count": 0, "requests": []}

    return [
        Route("/_emulator/faults", guarded(arm_fault), methods=["POST"]),
        Route("/_emulator/faults", guarded(show_faults), methods=["GET"]),
        Route("/_emulator/faults", guarded(clear_faults), methods=["DELETE"]),
        Route("/_emulator/requests", guarded(show_requests), methods=["GET"]),
        Route("/_emulator/requests", guarded(clear_requests), methods=["DELETE"]),
    ]
