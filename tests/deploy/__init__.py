"""Checks of the deployment files (Dockerfile, entrypoint.sh, compose files) without Docker."""
