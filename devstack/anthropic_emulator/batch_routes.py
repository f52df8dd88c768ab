"""`/v1/messages/batches`: create, list, retrieve, cancel, delete, and the results as JSONL."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .batches import Batch, BatchStore
from .clock import rfc3339
from .errors import ApiError, error_response, invalid_request, new_request_id

if TYPE_CHECKING:
    from .app import AnthropicEmulator

MAX_BATCH_BODY_BYTES = 256 * 1024 * 1024
PATH = "/v1/messages/batches"


def batch_routes(emulator: AnthropicEmulator) -> list[Route]:
    """The Message Batches endpoints of `emulator`, answering as the API does."""
    store: BatchStore = emulator.batches

    def api(handler: Callable[[_Call], Any]) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            request_id = new_request_id()
            try:
                emulator.authenticate(request)
                if not request.headers.get("anthropic-version"):
                    raise invalid_request("anthropic-version: header is required")
                body = await request.body() if request.method == "POST" else b""
                # Ending a batch answers its requests: image decoding blocks, so off the loop.
                answer = await run_in_threadpool(handler, _Call(request, body))
            except ApiError as error:
                return error_response(error, request_id)
            if isinstance(answer, Response):
                answer.headers["request-id"] = request_id
                return answer
            return JSONResponse(answer, headers={"request-id": request_id})

        return endpoint

    def view(call: _Call, batch: Batch, *, canceling: bool = False) -> dict[str, Any]:
        ended = batch.ended_at is not None and not canceling
        counts = batch.counts()
        if not ended:  # a batch being cancelled shows its requests processing until it ends
            counts = dict.fromkeys(counts, 0) | {"processing": len(batch.requests)}
        base = str(call.request.base_url).rstrip("/")
        return {
            "id": batch.id,
            "type": "message_batch",
            "processing_status": "ended" if ended else "canceling" if canceling else "in_progress",
            "request_counts": counts,
            "created_at": rfc3339(batch.created_at),
            "expires_at": rfc3339(batch.expires_at),
            "ended_at": _moment(batch.ended_at if ended else None),
            "cancel_initiated_at": _moment(batch.cancel_initiated_at),
            "archived_at": None,
            "results_url": f"{base}{PATH}/{batch.id}/results" if ended else None,
        }

    def create(call: _Call) -> Any:
        if len(call.body) > MAX_BATCH_BODY_BYTES:
            raise ApiError("request_too_large", "A batch may hold at most 256 MB of requests.")
        try:
            body = json.loads(call.body)
        except ValueError:
            raise invalid_request("The request body is not valid JSON.") from None
        return view(call, store.create(body))

    def listed(call: _Call) -> Any:
        params = call.request.query_params
        limit = params.get("limit", "20")
        if not limit.isdigit() or not 1 <= int(limit) <= 1000:
            raise invalid_request("limit: Input should be an integer from 1 to 1000")
        batches = store.newest_first()
        ids = [batch.id for batch in batches]
        start, stop = 0, len(batches)
        if (after := params.get("after_id")) in ids:
            start = ids.index(after) + 1
        if (before := params.get("before_id")) in ids:
            stop = ids.index(before)
            start = max(start, stop - int(limit))
        page = batches[start:stop][: int(limit)]
        data = [view(call, batch) for batch in page]
        return {
            "data": data,
            "has_more": start + len(page) < stop,
            "first_id": data[0]["id"] if data else None,
            "last_id": data[-1]["id"] if data else None,
        }

    def retrieve(call: _Call) -> Any:
        return view(call, store.get(call.batch_id))

    def cancel(call: _Call) -> Any:
        return view(call, store.cancel(call.batch_id), canceling=True)

    def delete(call: _Call) -> Any:
        store.delete(call.batch_id)
        return {"id": call.batch_id, "type": "message_batch_deleted"}

    def results(call: _Call) -> Any:
        batch = store.get(call.batch_id)
        if batch.ended_at is None:
            raise invalid_request(f"message batch {batch.id} is still in progress: no results yet")
        lines = [
            json.dumps({"custom_id": custom_id, "result": batch.results[custom_id]})
            for custom_id, _params in batch.requests
        ]
        return Response("\n".join(lines) + "\n", media_type="application/binary")

    return [
        Route(PATH, api(create), methods=["POST"]),
        Route(PATH, api(listed), methods=["GET"]),
        Route(PATH + "/{batch_id}", api(retrieve), methods=["GET"]),
        Route(PATH + "/{batch_id}", api(delete), methods=["DELETE"]),
        Route(PATH + "/{batch_id}/cancel", api(cancel), methods=["POST"]),
        Route(PATH + "/{batch_id}/results", api(results), methods=["GET"]),
    ]


class _Call:
    """One request to a batch endpoint, as the handlers (in a worker thread) need it."""

    def __init__(self, request: Request, body: bytes) -> None:
        self.request = request
        self.body = body
        self.batch_id = str(request.path_params.get("batch_id", ""))


def _moment(seconds: float | None) -> str | None:
    return None if seconds is None else rfc3339(seconds)
