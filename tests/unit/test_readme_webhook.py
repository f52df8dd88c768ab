"""The README's way of checking a signed webhook in plain Python agrees with feedpub's
signing: it takes what feedpub signs and refuses what it must."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from feedpub.webhook_signature import sign

README = Path(__file__).parents[2] / "README.md"
SECRET = "readme-hook-secret-0123456789"
BODY = b'{"event_id": "e1", "title": "feedpub pomandi: post failed"}'


@pytest.fixture(scope="module")
def readme_verify() -> Callable[..., str]:
    section = README.read_text(encoding="utf-8").split("### The signed webhook", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code, "the section has a Python example"
    namespace: dict[str, object] = {}
    exec(code.group(1), namespace)
    return namespace["verify"]  # type: ignore[return-value]


def test_the_readme_s_check_accepts_what_feedpub_signs(readme_verify: Callable[..., str]) -> None:
    assert readme_verify(SECRET, sign(SECRET, "e1", BODY), BODY) == "e1"


def test_the_readme_s_check_refuses_a_changed_body_and_an_old_message(
    readme_verify: Callable[..., str],
) -> None:
    with pytest.raises(ValueError, match="does not match"):
        readme_verify(SECRET, sign(SECRET, "e1", BODY), BODY + b" ")
    with pytest.raises(ValueError, match="replay"):
        readme_verify(SECRET, sign(SECRET, "e1", BODY, now=time.time() - 600), BODY)
