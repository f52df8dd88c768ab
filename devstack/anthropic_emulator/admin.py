"""`/_emulator/...`: arm and clear faults and read the request log over HTTP; `/admin/clock`:
read and move the emulator's clock. Both take the emulator's API key."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .clock import rfc3339
from .errors import ApiError, error_response, invalid_request, new_request_id

if TYPE_CHECKING:
    from .app import AnthropicEmulator

Handler = Callable[[Request], Awaitable[Any]]


def admin_routes(emulator: AnthropicEmulator) -> list[Route]:
    """Routes that drive `emulator`: `POST|GET|DELETE /_emulator/faults`,
    `GET|DELETE /_emulator/requests?limit=N`, `GET|POST /admin/clock`."""

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

    async def show_clock(request: Request) -> Any:
        return {"now": rfc3339(emulator.clock.now())}

    async def move_clock(request: Request) -> Any:
        """`{"advance_seconds": N}` moves the clock forward; `{"now": "<RFC 3339>"}` sets it."""
        try:
            move = await request.json()
            if not isinstance(move, dict) or len(move.keys() & {"advance_seconds", "now"}) != 1:
                raise ValueError('send {"advance_seconds": N} or {"now": "<RFC 3339 time>"}')
            if "now" in move:
                emulator.clock.set(datetime.fromisoformat(str(move["now"])))
            else:
                emulator.clock.advance(float(move["advance_seconds"]))
        except (ValueError, TypeError) as problem:
            raise invalid_request(f"clock: {problem}") from None
        return await show_clock(request)

    return [
        Route("/admin/clock", guarded(show_clock), methods=["GET"]),
        Route("/admin/clock", guarded(move_clock), methods=["POST"]),
        Route("/_emulator/faults", guarded(arm_fault), methods=["POST"]),
        Route("/_emulator/faults", guarded(show_faults), methods=["GET"]),
        Route("/_emulator/faults", guarded(clear_faults), methods=["DELETE"]),
        Route("/_emulator/requests", guarded(show_requests), methods=["GET"]),
        Route("/_emulator/requests", guarded(clear_requests), methods=["DELETE"]),
    ]
