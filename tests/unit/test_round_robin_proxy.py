"""The dev stack's round-robin proxy: each request to the next replica, answers streamed as
they are written, a replica that refuses the connection skipped."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from devstack.proxy import RoundRobinProxy
from devstack.serve import ServedApp, free_port, serve_in_thread


def replica(name: str) -> ServedApp:
    async def echo(request: Request) -> Response:
        body = (await request.body()).decode()
        return PlainTextResponse(f"{name} {request.method} {request.url.path} {body}")

    async def events(_request: Request) -> Response:
        async def written() -> AsyncIterator[bytes]:
            for n in range(3):
                yield f"data: {name} {n}\n\n".encode()
                await asyncio.sleep(0.05)

        return StreamingResponse(written(), media_type="text/event-stream")

    routes = [Route("/mcp", echo, methods=["POST"]), Route("/events", events)]
    return serve_in_thread(Starlette(routes=routes))


@pytest.fixture
def replicas() -> Iterator[list[ServedApp]]:
    served = [replica("a"), replica("b")]
    yield served
    for app in served:
        app.stop()


async def test_each_request_goes_to_the_next_replica_with_its_body(
    replicas: list[ServedApp],
) -> None:
    proxy = RoundRobinProxy([app.url for app in replicas])
    url = proxy.start()
    try:
        async with httpx.AsyncClient() as client:
            answers = [
                (await client.post(f"{url}/mcp", content=f"call {n}")).text for n in range(4)
            ]
    finally:
        proxy.stop()

    assert answers == [
        "a POST /mcp call 0",
        "b POST /mcp call 1",
        "a POST /mcp call 2",
        "b POST /mcp call 3",
    ]


async def test_an_event_stream_arrives_whole_and_a_refusing_replica_is_skipped(
    replicas: list[ServedApp],
) -> None:
    gone = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    proxy = RoundRobinProxy([gone, replicas[0].url])
    url = proxy.start()
    try:
        async with httpx.AsyncClient() as client:
            streamed = (await client.get(f"{url}/events")).text
            again = (await client.post(f"{url}/mcp", content="x")).text
    finally:
        proxy.stop()

    assert streamed == "data: a 0\n\ndata: a 1\n\ndata: a 2\n\n"
    assert again == "a POST /mcp x"
    assert proxy.requests[gone] == 0
