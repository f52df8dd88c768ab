"""The brands' destinations in the dev stack: each ``NOTIFY_*`` variable a brand names gets
a local stand-in in the stack's inbox, unless it is set (then the real one is used).

``NOTIFY_<NAME>_EMAIL`` becomes an e-mail to ``<name>@example.com`` through the inbox's SMTP
server (``NOTIFY_TEAM_EMAIL``: team@example.com); any other a signed webhook to the inbox's
hook ``<name>`` (``NOTIFY_POMANDI_WEBHOOK``: pomandi-webhook) with a secret of its own.
"""

from __future__ import annotations

from collections.abc import Mapping

from feedpub.brands import Brand
from feedpub.contract.notices import NOTIFY_ENV_PREFIX

from .inbox import Inbox

__all__ = ["local_destinations"]


def local_destinations(
    inbox: Inbox, brands: Mapping[str, Brand], env: Mapping[str, str]
) -> dict[str, str]:
    """The ``NOTIFY_*`` environment for ``brands``: ``env``'s value or a stand-in in ``inbox``."""
    names = dict.fromkeys(name for brand in brands.values() for name in brand.notify_env)
    found = {}
    for name in names:
        if env.get(name):
            found[name] = env[name]
            continue
        local = name.removeprefix(NOTIFY_ENV_PREFIX).lower().replace("_", "-")
        if local.endswith("-email"):
            found[name] = inbox.mailto(f"{local.removesuffix('-email')}@example.com")
        else:
            found[name] = inbox.hook_url(local)
    return found
