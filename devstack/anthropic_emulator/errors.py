"""Errors in the Messages API's own shape, and the request ids that go with them."""

from __future__ import annotations

import secrets
from typing import Any

from starlette.responses import JSONResponse

# HTTP status of each documented error type; the SDK picks its exception class from the status.
STATUS_OF_ERROR_TYPE = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "overloaded_error": 529,
}


def new_request_id() -> str:
    """An id in the API's `req_...` form, sent as the `request-id` header and in error bodies."""
    return "req_" + secrets.token_hex(12)


class ApiError(Exception):
    """A request the real API would refuse, with the error type and message it would send."""

    def __init__(
        self,
        error_type: str,
        message: str,
        *,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.details = details
        self.headers = headers or {}

    @property
    def status_code(self) -> int:
        return STATUS_OF_ERROR_TYPE[self.error_type]


def invalid_request(message: str, *, details: dict[str, Any] | None = None) -> ApiError:
    """The 400 `invalid_request_error` the API sends for a malformed or unsupported request."""
    return ApiError("invalid_request_error", message, details=details)


def error_response(error: ApiError, request_id: str) -> JSONResponse:
    """`{"type": "error", "error": {...}, "request_id": ...}` with the error's status code."""
    detail: dict[str, Any] = {"type": error.error_type, "message": error.message}
    if error.details is not None:
        detail["details"] = error.details
    body = {"type": "error", "error": detail, "request_id": request_id}
    headers = {"request-id": request_id, **error.headers}
    return JSONResponse(body, status_code=error.status_code, headers=headers)
