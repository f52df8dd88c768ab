"""The feed-publisher MCP server: every tool it offers, registered here and nowhere else.

It holds the Meta tokens; callers pass brand names, S3 keys and captions, never tokens. The
tool functions (``library_tools``, ``meta_tools``) are thin: they call into the rooms
(``library``, ``imaging``, ``meta``). A tool marked ``READ_ONLY`` only lists or reads, and the
read token may call it; every other tool needs the publish token (``mcp_servers._access``).
"""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer

from mcp_servers._access import READ_ONLY

from . import INSTRUCTIONS, insights_tools, library_tools, meta_tools, trait_tools
from .context import feed_publisher_lifespan

__all__ = ["server"]

server = MCPServer(
    "feed-publisher",
    instructions=INSTRUCTIONS,
    lifespan=feed_publisher_lifespan,
)

# A run's photo: reserved, looked at, prepared, then marked used, given back or rejected.
server.tool()(library_tools.get_random_unused_photo)
server.tool()(library_tools.view_image)
server.tool()(library_tools.prepare_instagram_media)
server.tool(annotations=READ_ONLY)(library_tools.get_prepared_media)
server.tool()(library_tools.mark_photo_used)
server.tool()(library_tools.release_photo)
server.tool()(library_tools.reject_photo)
server.tool()(library_tools.readmit_photos)
server.tool(annotations=READ_ONLY)(library_tools.count_unused_photos)
server.tool(annotations=READ_ONLY)(library_tools.photo_stored)
server.tool(annotations=READ_ONLY)(library_tools.list_reserved_photos)
# What unused photos show, for the brand's learning: asked about in batches, then stored.
server.tool()(trait_tools.photos_to_look_at)
server.tool()(trait_tools.save_photo_traits)
# Meta: the post on each platform, once per run, then read back; the brand alerts; the token
# ahead of a run.
server.tool()(meta_tools.publish_facebook_photo)
server.tool()(meta_tools.publish_instagram_photo)
server.tool(annotations=READ_ONLY)(meta_tools.verify_post)
server.tool(annotations=READ_ONLY)(library_tools.list_brand_alerts)
server.tool()(meta_tools.check_meta_token)
server.tool(annotations=READ_ONLY)(meta_tools.read_meta_token)
# After publishing: a post's figures, at +24 h and +7 d.
server.tool()(insights_tools.read_post_insights)
