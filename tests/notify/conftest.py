"""A real inbox (an SMTP server and the signed-webhook receiver) and destinations pointing at
it, for the sending tests; no Temporal, database or emulator is needed for these."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from devstack.inbox import Inbox
from devstack.silent_port import SilentPort
from feedpub.brands import Brand, load_brands

BRANDS = load_brands(Path(__file__).parents[1] / "fixtures" / "brands.toml")


@pytest.fixture(scope="module")
def inbox() -> Iterator[Inbox]:
    started = Inbox().start()
    yield started
    started.stop()


@pytest.fixture(scope="module")
def silent() -> Iterator[SilentPort]:
    with SilentPort() as port:
        yield port


def brand_told_at(*names: str) -> Brand:
    """pomandi, told at the destinations ``names`` only."""
    return replace(BRANDS["pomandi"], notify_env=names)
