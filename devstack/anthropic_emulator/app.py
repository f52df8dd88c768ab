"""`AnthropicEmulator`: the Messages and Message Batches APIs as a Starlette app, with faults,
a request log and a clock the test controls."""

from __future__ import annotations

import asyncio
import hmac
import json
import random
import threading
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .admin import admin_routes
from .batch_routes import batch_routes
from .batch_timing import BatchTiming
from .batches import BatchStore
from .clock import EmulatorClock
from .errors import ApiError, error_response, invalid_request, new_request_id
from .faults import FaultPlan
from .models import model_list_page
from .request_log import RequestLog
from .responses import compose_message
from .usage import PromptCache
from .validation import parse_messages_request

MAX_BODY_BYTES = 32 * 1024 * 1024


class AnthropicEmulator:
    """An offline stand-in for the Messages API that the real `anthropic` SDK talks to.

    Args:
        api_key: The only key accepted, as `x-api-key` or `Authorization: Bearer`.
        latency_seconds: Delay added to every `POST /v1/messages`.
        seed: Makes the written text, probabilistic faults and batch delays repeatable (batch
            delays are drawn with seed 0 when it is None).
        min_cacheable_tokens: Prefixes shorter than this are not cached, whatever the model;
            None (the default) applies each model's own minimum, as the API does.
        batch_delay_seconds: Every Message Batch ends this long after its creation
            (`math.inf`: every batch expires at 24 h); None draws each delay from
            `batch_timing.DISTRIBUTION`.
    """

    def __init__(
        self,
        *,
        api_key: str,
        latency_seconds: float = 0.0,
        seed: int | None = None,
        min_cacheable_tokens: int | None = None,
        batch_delay_seconds: float | None = None,
    ) -> None:
        if not api_key:
            raise ValueError("api_key must not be empty")
        self._api_key = api_key
        self.latency_seconds = latency_seconds
        self._rng = random.Random(seed)
        self._rng_lock = threading.Lock()
        self.faults = FaultPlan(random.Random(seed))
        self.request_log = RequestLog()
        self.clock = EmulatorClock()
        """The time batches end and cache entries expire by; moved by `POST /admin/clock`."""
        self._cache = PromptCache(min_tokens=min_cacheable_tokens, clock=self.clock.now)
        timing = BatchTiming(seed=seed or 0, fixed_seconds=batch_delay_seconds)
        self.batches = BatchStore(self.clock, timing, self._answer_in_batch)
        routes = [
            Route("/v1/messages", self._create_message, methods=["POST"]),
            *batch_routes(self),
            Route("/v1/models", self._list_models, methods=["GET"]),
            *admin_routes(self),
        ]
        self.app = Starlette(routes=routes, exception_handlers={HTTPException: _not_routed})

    def __repr__(self) -> str:
        return f"AnthropicEmulator(latency_seconds={self.latency_seconds})"  # never the key

    def set_fault(
        self,
        kind: str,
        *,
        times: int | None = None,
        probability: float | None = None,
        seconds: float | None = None,
        field: str | None = None,
    ) -> None:
        """Arm a fault of `FAULT_KINDS`, replacing one of the same kind.

        Args:
            kind: `rate_limit`, `server_error`, `overloaded`, `latency`, `refusal`, `non_json`.
            times: Hit only the next `times` requests; None for every request until cleared.
            probability: Hit each request with this chance; None for always.
            seconds: The delay of `latency`, the `retry-after` of `rate_limit` (default 1).
            field: For `wrong_language`, the one answer property written in the wrong
                language (`facebook_caption`, `instagram_caption`, `alt_text`); None for all.

        Raises:
            ValueError: for an unknown kind, out-of-range numbers or a misplaced `field`.
        """
        self.faults.arm(kind, times=times, probability=probability, seconds=seconds, field=field)

    def clear_faults(self) -> None:
        self.faults.clear()

    @property
    def requests(self) -> list[Any]:
        """Bodies of recent `POST /v1/messages`, oldest first, image data replaced by
        `data_bytes`. Every authenticated request is kept, also the ones refused."""
        return self.request_log.last()

    def authenticate(self, request: Request) -> None:
        """Raises ApiError 401 unless the request carries the emulator's key."""
        key = request.headers.get("x-api-key")
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if key is None and scheme.lower() == "bearer":
            key = token.strip()
        if key is None:
            raise ApiError("authentication_error", "x-api-key header is required")
        if not hmac.compare_digest(key.encode(), self._api_key.encode()):
            raise ApiError("authentication_error", "invalid x-api-key")

    async def _create_message(self, request: Request) -> Response:
        request_id = new_request_id()
        try:
            self.authenticate(request)
            if not request.headers.get("anthropic-version"):
                raise invalid_request("anthropic-version: header is required")
            body = await _json_body(request)
            self.request_log.remember(body)
            slow = self.faults.take("latency")
            delay = self.latency_seconds + (slow.seconds if slow else 0.0)
            if delay > 0:
                await asyncio.sleep(delay)
            if error := self.faults.take_http_error():
                raise error
            # Decoding images with Pillow blocks: keep it off the event loop.
            message = await run_in_threadpool(self._answer, body)
        except ApiError as error:
            return error_response(error, request_id)
        return JSONResponse(message, headers={"request-id": request_id})

    def _answer(self, body: Any, *, now: float | None = None) -> dict[str, Any]:
        parsed = parse_messages_request(body)
        with self._rng_lock:
            rng = random.Random(self._rng.random())
        return compose_message(parsed, rng=rng, faults=self.faults, cache=self._cache, now=now)

    def _answer_in_batch(self, params: Any, now: float) -> dict[str, Any]:
        """One batch request processed at `now`: its message, or the error the API found."""
        try:
            message = self._answer(params, now=now)
        except ApiError as error:
            detail = {"type": error.error_type, "message": error.message}
            return {"type": "errored", "error": {"type": "error", "error": detail}}
        message["usage"]["service_tier"] = "batch"
        return {"type": "succeeded", "message": message}

    async def _list_models(self, request: Request) -> Response:
        try:
            self.authenticate(request)
        except ApiError as error:
            return error_response(error, new_request_id())
        return JSONResponse(model_list_page())


async def _json_body(request: Request) -> Any:
    if int(request.headers.get("content-length") or 0) > MAX_BODY_BYTES:
        raise ApiError("request_too_large", "Request exceeds the maximum allowed number of bytes.")
    try:
        return json.loads(await request.body())
    except ValueError:
        raise invalid_request("The request body is not valid JSON.") from None


async def _not_routed(request: Request, exc: Exception) -> Response:
    """Unknown paths and methods answer in the API's error shape, not Starlette's plain text."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    error_type = "not_found_error" if status == 404 else "invalid_request_error"
    message = "Not found" if status == 404 else f"{request.method} is not allowed here"
    return error_response(ApiError(error_type, message), new_request_id())
