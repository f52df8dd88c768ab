"""Where a brand's photos come from and its posts go: its S3 prefix, its Meta ids and the
variable holding its token. These fields decide what one brand can reach, so they are held to
a shape that cannot reach another brand's photos, another URL path or another secret.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["TOKEN_ENV_PREFIX", "account_problems", "prefix_overlaps"]

TOKEN_ENV_PREFIX = "META_ACCESS_TOKEN_"
# Only variables made for Meta tokens: any other name (DATABASE_URL, AWS_SECRET_ACCESS_KEY)
# would send that secret to the Graph API as a Bearer token.
_TOKEN_ENV = re.compile(rf"^{TOKEN_ENV_PREFIX}[A-Z0-9_]+$")
# Meta's ids are numbers; they go into URL paths (/{page-id}/photos), so nothing else may.
_META_ID = re.compile(r"^[0-9]{1,30}$")


def account_problems(where: str, table: dict[str, Any]) -> list[str]:
    """The problems of one brand's ``meta_token_env``, ``s3_prefix`` and Meta ids."""
    problems = []
    if not _TOKEN_ENV.match(table["meta_token_env"]):
        problems.append(
            f"{where}: field 'meta_token_env' must name a variable starting {TOKEN_ENV_PREFIX}, "
            f"such as {TOKEN_ENV_PREFIX}POMANDI (never another variable, never the token itself)"
        )
    prefix = table["s3_prefix"]
    if not prefix.strip():
        problems.append(f"{where}: field 's3_prefix' is empty")
    elif not _is_folder(prefix):
        problems.append(
            f"{where}: field 's3_prefix' must be a folder like 'pomandi/': ending in '/', "
            f"not starting with one (got {prefix!r})"
        )
    for key in ("facebook_page_id", "instagram_user_id"):
        if not table[key].strip():
            problems.append(f"{where}: field '{key}' is empty")
        elif not _META_ID.match(table[key]):
            problems.append(f"{where}: field '{key}' must be Meta's numeric id, digits only")
    return problems


def _is_folder(prefix: str) -> bool:
    return prefix.endswith("/") and not prefix.startswith("/")


def prefix_overlaps(tables: dict[str, Any]) -> list[str]:
    """One problem per pair of brands whose photo folders overlap.

    With ``pom/`` beside ``pom/andi/``, or two brands on one folder, a photo would belong to
    both: one brand would post the other's photos. Every well-formed prefix takes part, also
    one of a brand with other problems, so that one pass shows them all.
    """
    prefixes = {
        name: table["s3_prefix"]
        for name, table in tables.items()
        if isinstance(table, dict)
        and isinstance(table.get("s3_prefix"), str)
        and _is_folder(table["s3_prefix"])
    }
    problems = []
    names = list(prefixes)
    for index, name in enumerate(names):
        for other in names[index + 1 :]:
            mine, theirs = prefixes[name], prefixes[other]
            if mine.startswith(theirs) or theirs.startswith(mine):
                problems.append(
                    f"brand '{other}': field 's3_prefix' {theirs!r} overlaps brand '{name}' "
                    f"prefix {mine!r}; each brand needs a folder of its own"
                )
    return problems
