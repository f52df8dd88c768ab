"""One Graph request as the handlers see it: parameters, uploaded file, token, and the checks
every edge makes on the token."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request

from .errors import (
    expired_token,
    instagram_permission_denied,
    invalid_param,
    invalid_token,
    missing_token,
    page_permission_denied,
    unknown_object,
)
from .records import AccessToken
from .state import GraphState

# Meta takes a 10 MB photo; leave room for the multipart envelope.
MAX_FORM_PART_BYTES = 12 * 1024 * 1024


@dataclass
class GraphCall:
    """A parsed request to a Graph edge."""

    state: GraphState
    method: str
    object_id: str
    params: dict[str, Any]
    """Query, urlencoded or multipart form and JSON body merged; the token is removed."""
    token_value: str | None
    upload: bytes | None = None
    """The multipart ``source`` file of a Page photo upload."""
    stuck: bool = False
    """A ``stuck_in_progress`` fault hit this request."""
    base_url: str = "/"
    """Where the emulator is reached, ending in ``/``: ``media_url`` points back here."""

    def text(self, name: str, default: str = "") -> str:
        value = self.params.get(name)
        return default if value is None else str(value)

    def fields(self, default: tuple[str, ...]) -> list[str]:
        raw = self.text("fields")
        return top_level_fields(raw) if raw else list(default)

    def token(self) -> AccessToken:
        """The caller's token, if it exists and has not expired."""
        if not self.token_value:
            raise missing_token()
        token = self.state.tokens.get(self.token_value)
        if token is None:
            raise invalid_token()
        token.expire_if_due(self.state.now())
        if token.expired_at is not None:
            raise expired_token(token.expired_at, self.state.now())
        return token

    def authorize_page(self, page_id: str | None = None) -> None:
        page_id = page_id or self.object_id
        token = self.token()
        if page_id not in self.state.page_ids:
            raise unknown_object(page_id, self.method)
        if page_id not in token.page_ids:
            raise page_permission_denied()

    def authorize_instagram_user(self, ig_user_id: str | None = None) -> None:
        ig_user_id = ig_user_id or self.object_id
        token = self.token()
        if ig_user_id not in self.state.ig_user_ids:
            raise unknown_object(ig_user_id, self.method)
        if ig_user_id not in token.ig_user_ids:
            raise instagram_permission_denied()


def top_level_fields(raw: str) -> list[str]:
    """Split ``fields`` on the commas outside ``{...}`` and ``(...)``, so that
    ``attachments{media_type,target},reactions.summary(total_count)`` gives two fields."""
    fields, depth, start = [], 0, 0
    for index, char in enumerate(raw + ","):
        depth += (char in "{(") - (char in "})")
        if char == "," and depth <= 0:
            if raw[start:index].strip():
                fields.append(raw[start:index].strip())
            start = index + 1
    return fields


async def read_graph_call(request: Request, state: GraphState, object_id: str) -> GraphCall:
    """Merge the parameters from wherever the client put them and take out the token."""
    params: dict[str, Any] = dict(request.query_params)
    upload: bytes | None = None
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError as exc:
            raise invalid_param(f"The request body is not valid JSON: {exc}") from exc
        if not isinstance(body, dict):
            raise invalid_param("The JSON request body must be an object")
        params.update(body)
    elif content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form(max_part_size=MAX_FORM_PART_BYTES)
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                if key == "source":
                    upload = await value.read()
            else:
                params[key] = value
    token_value = params.pop("access_token", None)
    authorization = request.headers.get("authorization", "")
    if not token_value and authorization.lower().startswith(("bearer ", "oauth ")):
        token_value = authorization.split(" ", 1)[1].strip()
    return GraphCall(
        state=state,
        method=request.method,
        object_id=object_id,
        params=params,
        token_value=str(token_value) if token_value else None,
        upload=upload,
        base_url=str(request.base_url),
    )
