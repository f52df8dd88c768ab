"""A process checks its configuration before it starts anything, and refuses in a few lines.

Each problem is one line on stderr, starting with the program's name and naming the variable
(or the brands file and field); the exit code is 2. No traceback, no value of a secret.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TypeVar

from .brands import Brand, BrandsFileError, load_brands
from .settings import BrandsFileSettings, SettingsError, load_settings

__all__ = ["CONFIGURATION_ERROR", "checked", "checked_all", "configured_brands", "refuse"]

CONFIGURATION_ERROR = 2
"""The exit code of a process refused for its configuration."""

T = TypeVar("T")


def checked(program: str, load: Callable[[], T]) -> T:
    """``load()`` (settings, brands), or exit 2 with one line per problem it reports."""
    found: T = checked_all(program, [load])[0]
    return found


def checked_all(program: str, loads: Sequence[Callable[[], Any]]) -> list[Any]:
    """Every ``load()`` in order; the problems of all of them at once when any fails."""
    found, problems = [], []
    for load in loads:
        try:
            found.append(load())
        except SettingsError as exc:
            problems += exc.problems
        except BrandsFileError as exc:
            problems += [f"{exc.path}: {problem}" for problem in exc.problems]
    if problems:
        refuse(program, problems)
    return found


def configured_brands() -> dict[str, Brand]:
    """The brands file named by ``BRANDS_FILE``, read and validated (BrandsFileError if not)."""
    return load_brands(load_settings(BrandsFileSettings).brands_file)


def refuse(program: str, problems: Sequence[str]) -> NoReturn:
    """Print each problem as a line naming ``program`` and exit 2."""
    for problem in problems:
        print(f"{program}: {problem}", file=sys.stderr)
    sys.stderr.flush()
    raise SystemExit(CONFIGURATION_ERROR)
