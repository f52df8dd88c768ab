"""The feed-publisher MCP server: the brand photo library (S3 + ledger), media preparation
and publishing to Facebook Pages and Instagram business accounts."""

INSTRUCTIONS = "Photo library in S3, image preparation and publishing to Facebook and Instagram."
"""What the server is for: its MCP instructions and its command's description."""
