"""Where each brand's team is told: the apprise URLs of its ``NOTIFY_*`` variables.

The URLs hold secrets (a Slack webhook's path, an SMTP password, a signing secret), so they
are read once from the environment and handed to apprise only: everything else, messages,
logs and errors, names the variable.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qs, urlsplit

from feedpub.brands import Brand
from feedpub.settings import SettingsError

from ._apprise import SIGNED_SCHEMES, destination

__all__ = ["MIN_SECRET_LENGTH", "Destinations"]

MIN_SECRET_LENGTH = 16
"""A signed webhook's secret is at least this long (``secrets.token_urlsafe(24)`` is 32)."""


class Destinations:
    """The destinations of every brand, checked; build with ``from_env``."""

    def __init__(self, urls: Mapping[str, str], of_brand: Mapping[str, tuple[str, ...]]) -> None:
        self._urls = dict(urls)
        self._of_brand = dict(of_brand)

    @classmethod
    def from_env(cls, brands: Mapping[str, Brand], env: Mapping[str, str]) -> Destinations:
        """Read the variables the brands name; SettingsError lists one line per problem,
        naming the variable and the brands told there, never the value."""
        told: dict[str, list[str]] = {}
        for brand in brands.values():
            for name in brand.notify_env:
                told.setdefault(name, []).append(brand.name)
        problems = [
            problem
            for name, names in told.items()
            if (problem := _problem(name, env.get(name, "").strip(), _brands_words(names)))
        ]
        if problems:
            raise SettingsError(problems)
        return cls(
            {name: env[name].strip() for name in told},
            {brand.name: brand.notify_env for brand in brands.values()},
        )

    def of(self, brand: str) -> list[str]:
        """The variables naming ``brand``'s destinations; ``""``: every brand's, once each."""
        if brand:
            return list(self._of_brand.get(brand, ()))
        every = (name for names in self._of_brand.values() for name in names)
        return list(dict.fromkeys(every))

    def url(self, name: str) -> str:
        """The URL held in the variable ``name``, for apprise alone (KeyError if unknown)."""
        return self._urls[name]

    def __repr__(self) -> str:
        return f"Destinations({sorted(self._urls)})"


def _brands_words(names: list[str]) -> str:
    return ("brand " if len(names) == 1 else "brands ") + ", ".join(names)


def _problem(name: str, url: str, brands: str) -> str | None:
    if not url:
        return f"{name} is not set: {brands} named it in notify_env (an apprise URL)"
    if destination(url) is None:
        return (
            f"{name} is not a URL apprise can send to ({brands}): such as mailto://, "
            "slack://, or signedhooks://host/path?secret=..."
        )
    parts = urlsplit(url)
    if parts.scheme.lower() in SIGNED_SCHEMES:
        query = {key.lower(): values for key, values in parse_qs(parts.query).items()}
        secret = query.get("secret", [""])[0]
        if len(secret) < MIN_SECRET_LENGTH:
            return (
                f"{name} is a signed webhook without a secret of at least {MIN_SECRET_LENGTH} "
                f"characters in ?secret= ({brands})"
            )
    return None
