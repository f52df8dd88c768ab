"""The console's pages, one module per group, each exporting ``routes``.

Every module of this package that has ``routes`` is served: a new page group is a new module.
"""

from __future__ import annotations

import importlib
import pkgutil

from starlette.routing import BaseRoute

__all__ = ["page_routes"]


def page_routes() -> list[BaseRoute]:
    """The routes of every page module, in the order of their names."""
    found: list[BaseRoute] = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        page = importlib.import_module(f"{__name__}.{module.name}")
        found += getattr(page, "routes", [])
    return found
