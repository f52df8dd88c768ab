"""What a post id given to a tool may be before it goes into a Graph path.

A post id becomes a path segment of ``{version}/{post_id}``, read with the brand's token: an id
such as ``../me/conversations`` would leave the versioned path and read anything the token
can. Meta's ids are digits (an Instagram media, a photo) or two runs of digits joined by ``_``
(a Page post: ``<page>_<post>``); nothing else is sent.
"""

from __future__ import annotations

import re

from mcp_servers._errors import feed_error

__all__ = ["checked_post_id"]

_META_ID = re.compile(r"[0-9]+(?:_[0-9]+)?")


def checked_post_id(brand: str, post_id: str) -> str:
    """``post_id`` when it has the shape of Meta's ids; else a non-retryable ``BadPostId``."""
    if not _META_ID.fullmatch(post_id):
        raise feed_error(
            "BadPostId",
            f"brand '{brand}': post_id must be Meta's id of a post (digits, or digits_digits)",
            retryable=False,
        )
    return post_id
