"""Fixtures the stack tests share beyond tests/conftest.py."""

from .console import _served_console, browser, console, page  # noqa: F401  (fixtures)
from .inspector import inspector  # noqa: F401  (a fixture, found by pytest here)
from .skipping import skipping  # noqa: F401  (a fixture, found by pytest here)
