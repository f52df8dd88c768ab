"""The web console (``RUN_MODE=console``): what a brand's team sees, approves and fixes from a
browser.

Server-rendered pages (Starlette and Jinja2, no JavaScript needed). Its people, their roles per
brand, sessions, login attempts and decisions are in PostgreSQL under the ``console`` schema,
reached through a role of its own (``store``); runs and schedules through Temporal, reports and
images through the MCP servers with the read token (``backends``). ``web`` is what every page
uses: who is asking, what they may do, rendering and CSRF.
"""
