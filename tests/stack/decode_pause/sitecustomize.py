"""Loaded by a feed-publisher server that a test starts with this folder first on PYTHONPATH.

While the file named by FEEDPUB_TEST_DECODE_PAUSE exists, every image decode waits at its
start, inside Pillow's own ``load``, so that the test can kill the server in the middle of
one. The decode itself is Pillow's, unchanged.
"""

from __future__ import annotations

import os
import time
from typing import Any

from PIL import ImageFile

_PAUSE = os.environ.get("FEEDPUB_TEST_DECODE_PAUSE", "")
_load = ImageFile.ImageFile.load


def _load_after_pause(self: ImageFile.ImageFile) -> Any:
    deadline = time.monotonic() + 60  # a test that never lifts the pause still ends
    while _PAUSE and os.path.exists(_PAUSE) and time.monotonic() < deadline:
        time.sleep(0.01)
    return _load(self)


ImageFile.ImageFile.load = _load_after_pause  # type: ignore[method-assign]
