"""The embedded stack for a laptop and the tests: Temporal dev server, PostgreSQL, local S3,
the Meta Graph API and Anthropic emulators, both MCP servers and a worker.

Nothing here is on the production container's code path.
"""
