"""Workflows: orchestration only (order, parallelism, timeouts, retries); no I/O here."""
