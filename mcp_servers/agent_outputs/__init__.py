"""The agent-outputs MCP server: publication reports and their posts' figures, the notice
ledger, the planned slots and what brands' posts taught, in PostgreSQL.

``server`` registers every tool, ``report_tools``, ``insights_tools``, ``notice_tools``,
``slot_tools`` and ``learning_tools`` define them, ``context`` is what the server holds while
it runs, ``notices`` holds the rules of what is told, when, and once, ``planned_slots`` the
(brand, slot) claims, and ``post_insights`` reads the posts' figures back.
"""

INSTRUCTIONS = (
    "Publication reports of feedpub runs (save, list, read) with their posts' figures, the "
    "notices told to brands' teams (claim, close a window, record a delivery, list), the "
    "(brand, slot) claims of planned runs (claim, release, list) and what each brand's posts "
    "taught (its audience's tastes, its best-performing recent captions)."
)
"""What the server is for: its MCP instructions and its command's description."""
