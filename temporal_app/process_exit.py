"""End a short-lived command that used a Temporal client without a crash at exit."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from typing import NoReturn

__all__ = ["exit_after"]


def exit_after(command: Callable[[], int | None]) -> NoReturn:
    """Run ``command`` and exit with its code, skipping interpreter finalization.

    The client's Rust threads can outlive the event loop; when CPython then finalizes, the
    process sometimes aborts ("PyGILState_Release: thread state ... must be current",
    temporalio/sdk-python#300) after the work is done, turning success into exit code 134.
    Output is flushed first, so nothing printed is lost.
    """
    try:
        code = command()
    except SystemExit as exit_:
        if exit_.code is None or isinstance(exit_.code, int):
            code = exit_.code
        else:  # sys.exit("message")
            print(exit_.code, file=sys.stderr)
            code = 1
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)
