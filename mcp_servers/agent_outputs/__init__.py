"""The agent-outputs MCP server: publication reports and the notice ledger in PostgreSQL.

``server`` registers every tool, ``report_tools`` and ``notice_tools`` define them,
``context`` is what the server holds while it runs, and ``notices`` holds the rules of what is
told, when, and once.
"""

INSTRUCTIONS = (
    "Publication reports of feedpub runs (save, list, read) and the notices told to brands' "
    "teams (claim, close a window, record a delivery, list)."
)
"""What the server is for: its MCP instructions and its command's description."""
