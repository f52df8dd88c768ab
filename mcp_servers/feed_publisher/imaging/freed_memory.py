"""Freed image memory goes back to the system, so that the server's size follows its work.

glibc gives each allocation above a threshold a memory map of its own, unmapped when freed;
but each time it frees one it raises that threshold to the block's size (up to 32 MiB). Pillow
holds images in blocks of up to 16 MiB: after the first decode those came from the heap of
the thread that decoded, and stayed there when freed. Measured: a server that had decoded a
28 MP PNG kept 140 MB it no longer used, and more for each thread that decoded another. With
the threshold fixed at 1 MiB it went back to its size before the decode.
"""

from __future__ import annotations

import ctypes
import sys

__all__ = ["give_back_freed_images"]

_M_MMAP_THRESHOLD = -3  # from glibc's malloc.h
_THRESHOLD = 1024 * 1024


def give_back_freed_images() -> bool:
    """Fix glibc's threshold for blocks of their own at 1 MiB; False where there is no glibc."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, _THRESHOLD))
    except (OSError, AttributeError):  # another C library (musl): left as it is
        return False
