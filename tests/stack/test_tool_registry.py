"""Each MCP server's tools are registered in its ``server.py`` and nowhere else, a client of the
running server (over streamable HTTP) is offered exactly those, and the contract
(``feedpub.contract.tools``) names each with its arguments and result as the server lists it."""

from __future__ import annotations

import ast
import dataclasses
import inspect
from pathlib import Path
from types import ModuleType

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp_types import Tool

import mcp_servers
import mcp_servers.agent_outputs.server
import mcp_servers.feed_publisher.server
from devstack.stack import EmbeddedStack
from feedpub.contract.tools import ALL_TOOLS

SERVERS = {
    "feed-publisher": mcp_servers.feed_publisher.server,
    "agent-outputs": mcp_servers.agent_outputs.server,
}
_REGISTERING = {"tool", "add_tool"}


def _registering_calls(tree: ast.AST) -> list[ast.Call]:
    """Every ``<anything>.tool(...)`` and ``<anything>.add_tool(...)`` call in ``tree``."""
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _REGISTERING
    ]


def registered_in(module: ModuleType) -> tuple[list[str], set[ModuleType]]:
    """The tools the source of ``module`` registers (each ``@server.tool(...)`` function and
    each ``server.tool(...)(function)``), by name, and the modules their functions come from."""
    tree = ast.parse(inspect.getsource(module))
    calls = _registering_calls(tree)
    names, sources = [], {module}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names += [node.name for decorator in node.decorator_list if decorator in calls]
        elif isinstance(node, ast.Call) and node.func in calls:
            (function,) = node.args
            if isinstance(function, ast.Attribute):
                assert isinstance(function.value, ast.Name)
                sources.add(getattr(module, function.value.id))
                names.append(function.attr)
            else:
                assert isinstance(function, ast.Name)
                names.append(function.id)
    return names, sources


def tool_functions(sources: set[ModuleType]) -> set[str]:
    """The public async functions defined in ``sources``: each one is meant to be a tool."""
    return {
        name
        for source in sources
        for name, function in inspect.getmembers(source, inspect.iscoroutinefunction)
        if function.__module__ == source.__name__ and not name.startswith("_")
    }


def test_no_module_of_the_servers_but_server_py_registers_a_tool() -> None:
    root = Path(mcp_servers.__file__).parent
    elsewhere = [
        f"{path.relative_to(root)}:{call.lineno}"
        for path in sorted(root.rglob("*.py"))
        if path.name != "server.py"
        for call in _registering_calls(ast.parse(path.read_text()))
    ]
    assert elsewhere == []


async def listed_tools(stack: EmbeddedStack, name: str) -> list[Tool]:
    headers = {"Authorization": f"Bearer {stack.mcp_token}"}
    async with (
        httpx2.AsyncClient(headers=headers) as http,
        Client(streamable_http_client(stack.mcp_urls[name], http_client=http)) as client,
    ):
        return (await client.list_tools()).tools


@pytest.mark.parametrize("name", SERVERS)
async def test_the_tools_a_client_lists_over_http_are_exactly_those_server_py_registers(
    stack: EmbeddedStack, name: str
) -> None:
    listed = [tool.name for tool in await listed_tools(stack, name)]
    registered, sources = registered_in(SERVERS[name])

    assert sorted(listed) == sorted(registered), "a tool registered elsewhere, or twice"
    assert tool_functions(sources) <= set(registered), "a tool function server.py forgot"


@pytest.mark.parametrize("name", SERVERS)
async def test_the_contract_names_each_listed_tool_with_its_arguments_and_result(
    stack: EmbeddedStack, name: str
) -> None:
    listed = {tool.name: tool for tool in await listed_tools(stack, name)}
    written = {tool.name: tool for tool in ALL_TOOLS if tool.server == name}

    assert sorted(written) == sorted(listed)
    for tool_name, tool in written.items():
        schema = listed[tool_name]
        assert set(tool.arguments) == set(schema.input_schema.get("required", [])), tool_name
        if tool.result is not None:
            assert schema.output_schema is not None, tool_name
            fields = {field.name for field in dataclasses.fields(tool.result)}
            assert fields == set(schema.output_schema["properties"]), tool_name
