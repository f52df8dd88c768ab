"""``/_emulator/audiences/{account_id}``: read or set the hidden tastes of an account's
audience (for tests, and for a bench's oracle that must know them)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .admin import bad_request, json_object
from .audiences import Tastes


async def show_tastes(request: Request) -> JSONResponse:
    account_id = request.path_params["account_id"]
    tastes = request.app.state.controls.tastes_of(account_id)
    return JSONResponse({"account_id": account_id, **tastes.as_json()})


async def set_tastes(request: Request) -> JSONResponse:
    """``{"liked": ["people:people", ...], "disliked": ["subject:detail"]}``: look traits."""
    account_id = request.path_params["account_id"]
    try:
        tastes = Tastes.from_json(await json_object(request))
    except ValueError as exc:
        return bad_request(str(exc))
    request.app.state.controls.set_tastes(account_id, tastes)
    return JSONResponse({"account_id": account_id, **tastes.as_json()})


AUDIENCE_ROUTES = [
    Route("/_emulator/audiences/{account_id}", show_tastes, methods=["GET"]),
    Route("/_emulator/audiences/{account_id}", set_tastes, methods=["POST"]),
]
