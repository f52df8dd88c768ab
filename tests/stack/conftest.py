"""Fixtures the stack tests share beyond tests/conftest.py."""

from .inspector import inspector  # noqa: F401  (a fixture, found by pytest here)
from .skipping import skipping  # noqa: F401  (a fixture, found by pytest here)
