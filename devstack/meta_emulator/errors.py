"""Graph API error bodies, shaped like the ones Meta documents."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import JSONResponse

GRAPH_DOCS = (
    "Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api"
)


def new_fbtrace_id() -> str:
    """A random trace id like the ones Meta puts in every error body."""
    return "A" + secrets.token_urlsafe(16)


@dataclass(eq=False)
class GraphError(Exception):
    """A Graph API error; raised anywhere in a handler, turned into the JSON error body."""

    code: int
    message: str
    status: int = 400
    subcode: int | None = None
    type: str = "OAuthException"
    user_title: str | None = None
    user_msg: str | None = None
    is_transient: bool | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def body(self) -> dict[str, Any]:
        """The ``{"error": {...}}`` document, with a fresh ``fbtrace_id``."""
        error: dict[str, Any] = {"message": self.message, "type": self.type, "code": self.code}
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        if self.is_transient is not None:
            error["is_transient"] = self.is_transient
        if self.user_title is not None:
            error["error_user_title"] = self.user_title
        if self.user_msg is not None:
            error["error_user_msg"] = self.user_msg
        error["fbtrace_id"] = new_fbtrace_id()
        return {"error": error}

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers)


def instagram_error(
    code: int, subcode: int, message: str, title: str, user_msg: str, *, transient: bool = False
) -> GraphError:
    """Instagram content-publishing errors always carry a user title and message."""
    return GraphError(
        code=code,
        message=message,
        subcode=subcode,
        user_title=title,
        user_msg=user_msg,
        is_transient=transient,
    )


def missing_token() -> GraphError:
    return GraphError(104, "An access token is required to request this resource.")


def invalid_token() -> GraphError:
    return GraphError(190, "Invalid OAuth access token - Cannot parse access token")


def expired_token(expired_at: float, now: float) -> GraphError:
    fmt = "%A, %d-%b-%y %H:%M:%S UTC"
    message = (
        "Error validating access token: Session has expired on "
        f"{time.strftime(fmt, time.gmtime(expired_at))}. "
        f"The current time is {time.strftime(fmt, time.gmtime(now))}."
    )
    return GraphError(190, message, subcode=463)


def page_permission_denied() -> GraphError:
    return GraphError(
        200,
        "(#200) If posting to a page, requires both pages_read_engagement and "
        "pages_manage_posts as an admin with sufficient administrative permission",
        status=403,
    )


def instagram_permission_denied() -> GraphError:
    return GraphError(10, "(#10) Application does not have permission for this action", status=403)


def unknown_object(object_id: str, method: str) -> GraphError:
    message = (
        f"Unsupported {method.lower()} request. Object with ID '{object_id}' does not exist, "
        "cannot be loaded due to missing permissions, or does not support this operation. "
        + GRAPH_DOCS
    )
    return GraphError(100, message, subcode=33, type="GraphMethodException")


def unknown_path(path: str) -> GraphError:
    return GraphError(100, f"Unknown path components: {path}")


def missing_param(name: str) -> GraphError:
    return GraphError(100, f"(#100) The parameter {name} is required")


def invalid_param(message: str) -> GraphError:
    return GraphError(100, f"(#100) {message}")


def unexpected_error() -> GraphError:
    return GraphError(
        2,
        "An unexpected error has occurred. Please retry your request later.",
        status=500,
        is_transient=True,
    )
