"""Benchmarks and chaos runs: scripts that print figures (not timed tests)."""
