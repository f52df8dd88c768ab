"""A post id goes into a Graph path only when it has the shape of Meta's ids."""

from __future__ import annotations

import pytest
from mcp.server.mcpserver.exceptions import ToolError

from feedpub.contract.errors import decode_failure
from mcp_servers.feed_publisher.meta.post_ids import checked_post_id


@pytest.mark.parametrize("post_id", ["17895695668004550", "1001_122094883520060123"])
def test_meta_ids_of_media_and_page_posts_pass(post_id: str) -> None:
    assert checked_post_id("costume", post_id) == post_id


@pytest.mark.parametrize(
    "post_id",
    ["../me/conversations", "1001/insights", "1001?fields=message", "", "1_2_3", "١٢٣", "12\n"],
)
def test_anything_else_is_refused_for_good_naming_the_brand_and_the_field(post_id: str) -> None:
    with pytest.raises(ToolError) as refused:
        checked_post_id("costume", post_id)
    failure = decode_failure(str(refused.value))
    assert failure is not None
    assert failure.type == "BadPostId" and not failure.retryable
    assert "brand 'costume'" in failure.reason and "post_id" in failure.reason
