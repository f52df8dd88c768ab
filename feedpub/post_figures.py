"""A post's figures in words, as the reports, the console's history and the weekly digest
show them: the same words everywhere.

``figures_line``: one platform at one age, every figure read (``Instagram at 24 h: reach
612, ...; engagement per reach 9.5%``). ``figures_cell``: the newest age of each platform in
a few characters, for a table.
"""

from __future__ import annotations

from collections.abc import Sequence

from .contract.after_publishing import PostFigures, engagement_per_reach

__all__ = ["figures_cell", "figures_line", "newest_figures"]

_PLATFORM = {"facebook": "Facebook", "instagram": "Instagram"}
_SHORT = {"facebook": "FB", "instagram": "IG"}
_AGE = {"24h": "24 h", "7d": "7 d"}
_NAMES = {
    "post_total_media_view_unique": "seen by",
    "total_interactions": "interactions",
}
_ORDER = (
    "reach", "post_total_media_view_unique", "views", "likes", "comments", "saved", "shares",
    "total_interactions", "reactions",
)  # fmt: skip


def figures_line(figures: PostFigures) -> str:
    """One platform at one age, in words."""
    platform = _PLATFORM.get(figures.platform, figures.platform)
    head = f"{platform} at {_AGE.get(figures.age, figures.age)}"
    if figures.permission_missing:
        return f"{head}: not given (the token lacks {figures.permission_missing})"
    named = sorted(figures.figures, key=lambda name: (_rank(name), name))
    parts = [f"{_NAMES.get(name, name)} {figures.figures[name]:,}" for name in named]
    ratio = engagement_per_reach(figures.platform, figures.figures)
    said = [", ".join(parts) or "no figures"]
    if ratio is not None:
        said.append(f"engagement per reach {ratio:.1%}")
    elif figures.figures:
        said.append("no reach yet")
    return f"{head}: " + "; ".join([*said, *figures.notes])


def newest_figures(insights: Sequence[PostFigures]) -> list[PostFigures]:
    """Each platform's figures at the latest age read, Facebook first."""
    newest: dict[str, PostFigures] = {}
    for figures in insights:
        known = newest.get(figures.platform)
        if known is None or _age_rank(figures) >= _age_rank(known):
            newest[figures.platform] = figures
    return [newest[platform] for platform in sorted(newest)]


def figures_cell(insights: Sequence[PostFigures]) -> str:
    """The newest figures of each platform, short: ``IG 7d 9.5% of 612``; ``-`` for none."""
    cells = []
    for figures in newest_figures(insights):
        head = f"{_SHORT.get(figures.platform, figures.platform)} {figures.age}"
        ratio = engagement_per_reach(figures.platform, figures.figures)
        reach = figures.figures.get("reach", figures.figures.get("post_total_media_view_unique"))
        if figures.permission_missing:
            cells.append(f"{head} refused")
        elif ratio is not None and reach is not None:
            cells.append(f"{head} {ratio:.1%} of {reach:,}")
        else:
            cells.append(f"{head} no reach yet")
    return ", ".join(cells) or "-"


def _rank(name: str) -> int:
    return _ORDER.index(name) if name in _ORDER else len(_ORDER)


def _age_rank(figures: PostFigures) -> int:
    return list(_AGE).index(figures.age) if figures.age in _AGE else -1
