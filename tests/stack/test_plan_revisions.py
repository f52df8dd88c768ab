"""A planned post changes until its slot, each change a revision: the publication ledger keeps
one row per (run, platform, revision), and only one revision of a run is ever published.
Through the worker's publishing activities, the real feed-publisher over HTTP and the Meta
emulator."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from devstack.meta_emulator import FaultRule
from devstack.stack import EmbeddedStack
from feedpub.contract.run import PlatformResult
from feedpub.contract.tools import PREPARE_INSTAGRAM_MEDIA
from temporal_app.activities import PublishActivities
from temporal_app.mcp_client import McpConnection
from temporal_app.models import PublishInput

from .helpers import query, upload_photo

BRAND = "costume"


async def publish_on_instagram(publisher: PublishActivities, post: PublishInput) -> PlatformResult:
    return await ActivityEnvironment().run(publisher.publish_instagram, post)


async def test_an_edit_after_the_instagram_container_exists_publishes_the_edit_never_the_old_one(
    stack: EmbeddedStack, s3: Any
) -> None:
    assert stack.meta is not None
    feed = McpConnection("feed-publisher", stack.mcp_urls["feed-publisher"], stack.mcp_token)
    publisher, run_id = PublishActivities(feed), f"revised-{uuid.uuid4().hex[:8]}"
    try:
        prepared = await feed.ask(
            PREPARE_INSTAGRAM_MEDIA, brand=BRAND, key=upload_photo(stack, s3, BRAND)
        )
        planned = PublishInput(BRAND, run_id, prepared.media_key, "As first planned.", "A coat.")
        edited = PublishInput(**{**vars(planned), "caption": "As edited.", "revision": 1})
        # Revision 0's publishing stops once its container is made: Meta throttles the look at it.
        stack.meta.set_fault(FaultRule(kind="throttle", endpoint="instagram_status", times=1))
        try:
            with pytest.raises(ApplicationError):
                await publish_on_instagram(publisher, planned)
        finally:
            stack.meta.clear_faults()

        published = await publish_on_instagram(publisher, edited)
        with pytest.raises(ApplicationError) as refused:
            await publish_on_instagram(publisher, planned)
    finally:
        await feed.close()

    rows = "SELECT revision, state, ig_container_id FROM publications WHERE run_id = %s"
    (first, first_state, old_container), (second, second_state, _) = query(
        stack, rows + " ORDER BY revision", run_id
    )
    assert (first, first_state, second, second_state) == (0, "container_created", 1, "published")
    ig_user = stack.brands[BRAND].instagram_user_id
    live = [m for m in stack.meta.instagram_media(ig_user) if m["id"] == published.post_id]
    assert [media["caption"] for media in live] == ["As edited."]
    (container,) = [c for c in stack.meta.containers(ig_user) if c["id"] == old_container]
    assert (container["caption"], container["media_ids"]) == ("As first planned.", [])
    assert refused.value.type == "RevisionRefused" and refused.value.non_retryable
    assert "revision 0 of this post is not published: revision 1 already is" in str(refused.value)
