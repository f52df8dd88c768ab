"""Shared pieces of feedpub: typed settings, the brands file, the PostgreSQL schema and the CLI."""
