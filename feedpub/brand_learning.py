"""What a brand learns from its posts' figures, and how much it still tries other photos.

    [brands.pomandi]
    learning = "photos+captions"   # or "photos", or "off"
    exploration_percent = 20       # of the runs that try the traits seen least first

``photos``: the next photo is chosen for the traits this brand's audience responded to; the
``exploration_percent`` of runs put first the photos whose traits were seen least instead.
``photos+captions``: besides, the caption writer is shown the brand's best recent captions as
examples of tone. ``off``: photos are taken at random and no example is shown; figures are
still read and shown.
"""

from __future__ import annotations

from typing import Any

__all__ = ["LEARNING_FIELDS", "LEARNING_MODES", "learning_problems"]

LEARNING_MODES = ("off", "photos", "photos+captions")
LEARNING_FIELDS: dict[str, tuple[type, object]] = {
    "learning": (str, "photos+captions"),
    "exploration_percent": (int, 20),
}
"""The optional fields of this module and their defaults, for the brands file's checks."""


def learning_problems(where: str, table: dict[str, Any]) -> list[str]:
    problems = []
    if table.get("learning", "photos+captions") not in LEARNING_MODES:
        problems.append(f"{where}: field 'learning' must be one of {', '.join(LEARNING_MODES)}")
    if not 0 <= table.get("exploration_percent", 20) <= 100:
        problems.append(f"{where}: field 'exploration_percent' must be between 0 and 100")
    return problems
