"""The Meta emulator served over HTTP, beside a small server of the photos it is to fetch
(``image_url``), for the Meta emulator tests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager

from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from devstack.meta_emulator import MetaEmulator
from devstack.serve import ServedApp, serve_in_thread

Served = tuple[MetaEmulator, ServedApp, ServedApp]
"""The emulator, its server, and the photos' server."""


@contextmanager
def meta_and_photos(seed: int, photos: Mapping[str, bytes], *routes: BaseRoute) -> Iterator[Served]:
    """An emulator (containers finished at once) and a server answering each path of
    ``photos`` with its JPEG bytes, and ``routes`` besides; both stopped afterwards."""
    emulator = MetaEmulator(processing_seconds=0, seed=seed)
    api = serve_in_thread(emulator.app)
    served_photos = [Route(path, _answer(body)) for path, body in photos.items()]
    images = serve_in_thread(Starlette(routes=[*served_photos, *routes]))
    try:
        yield emulator, api, images
    finally:
        api.stop()
        images.stop()


def _answer(body: bytes) -> Callable[[object], Awaitable[Response]]:
    async def photo(_: object) -> Response:
        return Response(body, media_type="image/jpeg")

    return photo
