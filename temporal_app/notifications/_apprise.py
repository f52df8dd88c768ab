"""apprise as feedpub uses it: quiet, with the signed webhook known, one destination at a time.

apprise logs the URLs it loads and sends to (``Loaded JSON URL: ...``, ``Unparseable URL
...``), and a URL holds its destination's secret. Its logger is therefore cut off from the
process's log; what a destination answered still comes back in each call's result, where the
sender reads it.
"""

from __future__ import annotations

import logging
from typing import Any

import apprise

from . import signed_webhook

__all__ = ["SIGNED_SCHEMES", "destination"]

SIGNED_SCHEMES = tuple(signed_webhook.SCHEMES)

_apprise_log = logging.getLogger("apprise")
_apprise_log.propagate = False
# Without a handler of its own, a record would go to logging's last resort (stderr).
_apprise_log.addHandler(logging.NullHandler())


def destination(url: str, *, timeout: float | None = None) -> Any | None:
    """apprise's plugin for ``url``, or None when apprise knows no such URL.

    With ``timeout`` the plugin's own connect and read timeouts are set just past it: apprise
    stops waiting first and says so (a timeout, not a vague connection error), and the call
    it left behind ends soon after instead of going on in the background.
    """
    plugin = apprise.Apprise.instantiate(url)
    if plugin is None:
        return None
    if timeout is not None:
        plugin.socket_connect_timeout = timeout + signed_webhook.MARGIN_SECONDS
        plugin.socket_read_timeout = timeout + signed_webhook.MARGIN_SECONDS
    return plugin
