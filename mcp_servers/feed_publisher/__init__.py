"""The feed-publisher MCP server: the brand photo library (S3 + ledger), media preparation
and publishing to Facebook Pages and Instagram business accounts, then reading the posts'
insights.

``server`` registers every tool, ``library_tools``, ``trait_tools``, ``meta_tools`` and
``insights_tools`` define them, ``context`` is what the server holds while it runs. The rules
live in three rooms: ``library`` (photos in S3 and their ledger, rejections, brand alerts,
photo traits), ``imaging`` (decoding and preparing photos within the server's memory) and
``meta`` (the Graph API, publishing once, tokens, reading posts back, insights).
"""

INSTRUCTIONS = "Photo library in S3, image preparation and publishing to Facebook and Instagram."
"""What the server is for: its MCP instructions and its command's description."""
