"""The package as the production image installs it: built as a wheel, without the dev stack, and
with only the distributions its declared dependencies bring (no dev extra), every module
imports; and every third-party module the product imports is declared."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("feedpub", "feedpub_apps", "temporal_app", "mcp_servers")
_NOT_SOURCES = (".git", ".venv", ".devstack", "build", "*.egg-info", "__pycache__", ".*_cache")

# Imports every module of the product from the given paths only (no site-packages), and
# prints those that failed, with why.
IMPORT_ALL = """
import importlib, json, pkgutil, sys
sys.path[:0] = sys.argv[1:]
failed = {}
for top in %r:
    package = importlib.import_module(top)
    for found in pkgutil.walk_packages(package.__path__, top + "."):
        try:
            importlib.import_module(found.name)
        except BaseException as exc:
            failed[found.name] = f"{type(exc).__name__}: {exc}"
print(json.dumps({"failed": failed, "devstack": importlib.util.find_spec("devstack") is not None}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Built from a copy of the sources: setuptools would reuse what an earlier build left in
    # the checkout's build/ folder.
    source = tmp_path_factory.mktemp("source") / "feedpub"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*_NOT_SOURCES))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("feedpub-*.whl")
    return built


def _declared(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        text = archive.read(name).decode()
    wanted = [
        Requirement(line.split(":", 1)[1])
        for line in text.splitlines()
        if line.startswith("Requires-Dist:")
    ]
    return [r for r in wanted if r.marker is None or r.marker.evaluate({"extra": ""})]


def _runtime_closure(requirements: list[Requirement]) -> set[str]:
    """The distributions the declared requirements bring, with the extras they ask for."""
    seen: set[str] = set()
    todo = list(requirements)
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in seen and not requirement.extras:
            continue
        seen.add(name)
        for line in metadata.requires(requirement.name) or []:
            child = Requirement(line)
            env = [{"extra": extra} for extra in requirement.extras] or [{"extra": ""}]
            if child.marker is None or any(child.marker.evaluate(e) for e in env):
                todo.append(child)
    return seen


def _runtime_site(closure: set[str], into: Path) -> Path:
    """A folder holding only the installed files of the ``closure`` distributions."""
    into.mkdir()
    for dist in metadata.distributions():
        if canonicalize_name(dist.metadata["Name"]) not in closure:
            continue
        site = Path(str(dist.locate_file("")))
        for top in {Path(str(f)).parts[0] for f in dist.files or [] if ".." not in str(f)}:
            if (site / top).exists() and not (into / top).exists():
                (into / top).symlink_to(site / top)
    return into


def test_the_wheel_has_no_dev_stack_and_every_module_imports_with_runtime_dependencies_only(
    wheel: Path, tmp_path: Path
) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path / "app")
    assert not [n for n in names if n.startswith("devstack/")]
    assert {n.split("/")[0] for n in names} >= set(PRODUCT)
    site = _runtime_site(_runtime_closure(_declared(wheel)), tmp_path / "runtime")
    assert not (site / "moto").exists()  # the dev extra's, and what it brings, stay out

    answer = subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",
            "-c",
            IMPORT_ALL % (PRODUCT,),
            str(tmp_path / "app"),
            str(site),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )

    found = json.loads(answer.stdout)
    assert found["failed"] == {}
    assert found["devstack"] is False


def test_every_third_party_module_the_product_imports_is_a_declared_dependency(
    wheel: Path,
) -> None:
    declared = set()
    for requirement in _declared(wheel):
        declared.add(canonicalize_name(requirement.name))
        for line in metadata.requires(requirement.name) or []:  # what its extras bring
            child = Requirement(line)
            extras = [{"extra": extra} for extra in requirement.extras]
            if child.marker is not None and any(child.marker.evaluate(e) for e in extras):
                declared.add(canonicalize_name(child.name))
    provided = metadata.packages_distributions()
    ours = set(PRODUCT)
    undeclared = {}
    for top in PRODUCT:
        for path in (ROOT / top).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    name = module.split(".")[0]
                    if name in ours or name in sys.stdlib_module_names or name == "__future__":
                        continue
                    dists = {canonicalize_name(d) for d in provided.get(name, [])}
                    if not dists & declared:
                        undeclared[name] = str(path.relative_to(ROOT))
    assert undeclared == {}, "; ".join(
        f"{name} (imported by {path}) comes from no dependency pyproject.toml declares"
        for name, path in sorted(undeclared.items())
    )
