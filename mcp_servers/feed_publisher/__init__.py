"""The feed-publisher MCP server: the brand photo library (S3 + ledger), media preparation
and publishing to Facebook Pages and Instagram business accounts."""
