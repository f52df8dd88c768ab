"""The Dockerfile: one non-root image that starts through entrypoint.sh, without dev tools."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the final stage, continuation lines joined."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    parsed = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            parsed.append((keyword.upper(), rest.strip()))
    last_from = max(i for i, (keyword, _) in enumerate(parsed) if keyword == "FROM")
    return parsed[last_from:]


def all_instructions() -> str:
    return re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())


def test_the_image_is_built_on_python_3_11_slim() -> None:
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim$", all_instructions(), re.M)
    froms = re.findall(r"^FROM (\S+)", all_instructions(), re.M)
    assert froms and all(image == "${PYTHON_IMAGE}" for image in froms)


def test_the_image_runs_as_a_non_root_user() -> None:
    users = [args for keyword, args in instructions() if keyword == "USER"]
    assert users, "the final stage sets USER"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")


def test_the_entrypoint_is_entrypoint_sh() -> None:
    entrypoints = [args for keyword, args in instructions() if keyword == "ENTRYPOINT"]
    assert [json.loads(args) for args in entrypoints] == [["/app/entrypoint.sh"]]
    copies = [args for keyword, args in instructions() if keyword == "COPY"]
    assert any("entrypoint.sh" in args and "--chmod=0755" in args for args in copies)
    workdirs = [args for keyword, args in instructions() if keyword == "WORKDIR"]
    assert workdirs[-1] == "/app"


def test_the_project_is_installed_without_the_dev_extra() -> None:
    installs = [
        arguments.split("&&")[0].strip()
        for arguments in re.findall(r"^RUN .*pip install (.*)$", all_instructions(), re.M)
    ]
    assert installs, "the Dockerfile installs the project"
    for arguments in installs:
        assert "[" not in arguments and "dev" not in arguments, "no extras, dev least of all"
        assert "-e " not in arguments, "a non-editable install ships the migrations"
    assert any(re.match(r"\.(\s|$)", arguments) for arguments in installs)


def test_every_package_of_the_product_is_copied_into_the_build() -> None:
    copied = {args.split()[0] for args in re.findall(r"^COPY (.*)$", all_instructions(), re.M)}
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    wanted = {
        pattern.split(".")[0].rstrip("*") for pattern in packages["packages"]["find"]["include"]
    }
    assert wanted <= copied, f"the image would lack {sorted(wanted - copied)}"


def test_the_embedded_dev_stack_stays_out_of_the_image() -> None:
    copies = re.findall(r"^COPY (.*)$", all_instructions(), re.M)
    assert copies and not any("devstack" in args for args in copies)
    assert not re.search(r"^COPY\s+(--\S+\s+)*\.\s", all_instructions(), re.M), "no COPY . ."


def test_the_brands_file_is_in_the_working_directory() -> None:
    copies = [args for keyword, args in instructions() if keyword == "COPY"]
    assert any(args.split()[0] == "brands.toml" for args in copies)


def test_the_build_context_leaves_out_secrets_and_local_state() -> None:
    ignored = set((ROOT / ".dockerignore").read_text().split())
    for entry in (".git", ".venv", ".env", ".devstack", "tests"):
        assert entry in ignored, entry


def test_the_operator_scripts_are_in_the_image_and_executable() -> None:
    copies = [args for keyword, args in instructions() if keyword == "COPY"]
    assert any(args.split()[-2:] == ["scripts", "./scripts"] and "0755" in args for args in copies)
