"""The overview: the brands the person may see, and a brand's page."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..web import render, require, state

__all__ = ["routes"]


async def overview(request: Request) -> Response:
    who = await require(request, None, "see")
    brands = state(request).brands
    # A role for a brand no longer in the brands file shows nothing.
    mine = [(brands[name], who.roles[name]) for name in sorted(who.roles) if name in brands]
    return await render(request, "overview.html", brands=mine)


async def brand_page(request: Request) -> Response:
    brand = request.path_params["brand"]
    who = await require(request, brand, "see")
    return await render(
        request, "brand.html", brand=state(request).brands[brand], role=who.role_for(brand)
    )


routes = [
    Route("/", overview, methods=["GET"], name="overview"),
    Route("/brands/{brand}", brand_page, methods=["GET"], name="brand"),
]
