"""``/_emulator`` routes: the ``MetaEmulator`` controls, for when it runs as its own process."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .faults import FaultRule


async def json_object(request: Request) -> dict[str, Any]:
    raw = await request.body()
    body = json.loads(raw) if raw.strip() else {}
    if not isinstance(body, dict):
        raise ValueError("the body must be a JSON object")
    return body


def bad_request(message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=400)


async def add_accounts(request: Request) -> JSONResponse:
    """``{"pages": {page_id: token}, "instagram_users": {ig_user_id: token}}``."""
    try:
        body = await json_object(request)
        pages = dict(body.get("pages") or {})
        instagram_users = dict(body.get("instagram_users") or {})
    except (ValueError, TypeError) as exc:
        return bad_request(str(exc))
    request.app.state.controls.add_accounts(pages=pages, instagram_users=instagram_users)
    return JSONResponse({"pages": sorted(pages), "instagram_users": sorted(instagram_users)})


async def add_fault(request: Request) -> Response:
    """A fault rule as JSON, e.g. ``{"endpoint": "instagram_publish", "kind": "server_error",
    "times": 1}``."""
    try:
        rule = FaultRule.from_json(await json_object(request))
    except (ValueError, TypeError) as exc:
        return bad_request(str(exc))
    request.app.state.controls.set_fault(rule)
    # Not JSONResponse: it refuses the `Infinity` a hostile regain time is written as.
    return Response(json.dumps({"rule": rule.as_json()}), media_type="application/json")


async def clear_faults(request: Request) -> JSONResponse:
    request.app.state.controls.clear_faults()
    return JSONResponse({"faults": []})


async def list_posts(request: Request) -> JSONResponse:
    """Every Page post, Instagram media item and container, keyed by account."""
    return JSONResponse(request.app.state.controls.snapshot())


async def request_counts(request: Request) -> JSONResponse:
    return JSONResponse(dict(request.app.state.controls.request_counts()))


async def reset(request: Request) -> JSONResponse:
    """Forget posts, media, faults and counts; ``{"keep_accounts": false}`` drops accounts."""
    try:
        keep_accounts = bool((await json_object(request)).get("keep_accounts", True))
    except ValueError as exc:
        return bad_request(str(exc))
    request.app.state.controls.reset(keep_accounts=keep_accounts)
    return JSONResponse({"reset": True, "keep_accounts": keep_accounts})


async def expire_token(request: Request) -> JSONResponse:
    """``{"token": "..."}``: later calls with it fail with 190/463."""
    try:
        token = (await json_object(request)).get("token")
    except ValueError as exc:
        return bad_request(str(exc))
    if not isinstance(token, str) or not token:
        return bad_request('send {"token": "<access token>"}')
    request.app.state.controls.expire_token(token)
    return JSONResponse({"expired": True})


async def withhold_permission(request: Request) -> JSONResponse:
    """``{"token": "...", "permission": "instagram_manage_insights", "withheld": true}``:
    calls that need the permission are refused as if the user had not granted it."""
    try:
        body = await json_object(request)
    except ValueError as exc:
        return bad_request(str(exc))
    token, permission = body.get("token"), body.get("permission")
    if not isinstance(token, str) or not token or not isinstance(permission, str):
        return bad_request('send {"token": "<access token>", "permission": "<name>"}')
    withheld = bool(body.get("withheld", True))
    request.app.state.controls.withhold_permission(token, permission, withheld=withheld)
    return JSONResponse({"permission": permission, "withheld": withheld})


async def change_next_post(request: Request) -> JSONResponse:
    """``{"account": "<page or ig user id>", "change": "cut_caption" | "other_image" |
    "vanish", "keep_characters": 40}``: the account's next post goes live so changed."""
    try:
        body = await json_object(request)
        account = body.get("account")
        if not isinstance(account, str) or not account:
            raise ValueError('send {"account": "<id>", "change": "<change>"}')
        request.app.state.controls.change_next_post(
            account, str(body.get("change")), keep_characters=body.get("keep_characters")
        )
    except (ValueError, TypeError) as exc:
        return bad_request(str(exc))
    return JSONResponse({"account": account, "change": body.get("change")})


async def stored_image(request: Request) -> Response:
    """A published image as the emulator keeps it: where ``media_url`` points."""
    data = request.app.state.graph.images.get(request.path_params["sha256"])
    if data is None:
        return Response(b"no such image", status_code=404)
    return Response(data, media_type="image/jpeg")


async def show_clock(request: Request) -> JSONResponse:
    return JSONResponse({"now": request.app.state.controls.now()})


async def advance_clock(request: Request) -> JSONResponse:
    """``{"seconds": 86400}``: move the emulator's clock (container processing, expiry, quota)."""
    try:
        seconds = float((await json_object(request)).get("seconds", 0))
    except (ValueError, TypeError) as exc:
        return bad_request(str(exc))
    request.app.state.controls.advance_clock(seconds)
    return JSONResponse({"advanced_seconds": seconds})


ADMIN_ROUTES = [
    Route("/_emulator/accounts", add_accounts, methods=["POST"]),
    Route("/_emulator/faults", add_fault, methods=["POST"]),
    Route("/_emulator/faults", clear_faults, methods=["DELETE"]),
    Route("/_emulator/posts", list_posts, methods=["GET"]),
    Route("/_emulator/requests", request_counts, methods=["GET"]),
    Route("/_emulator/reset", reset, methods=["POST"]),
    Route("/_emulator/expire_token", expire_token, methods=["POST"]),
    Route("/_emulator/clock", advance_clock, methods=["POST"]),
    Route("/_emulator/clock", show_clock, methods=["GET"]),
    Route("/_emulator/permissions", withhold_permission, methods=["POST"]),
    Route("/_emulator/images/{sha256}", stored_image, methods=["GET"]),
    Route("/_emulator/next_post", change_next_post, methods=["POST"]),
]
