"""The process allocator, configured once for batched path tracking.

A tracker step allocates and frees arrays of a few MB (batch x terms complex). glibc's malloc
serves blocks above its mmap threshold (128 KiB, raised dynamically up to 32 MiB) by fresh
``mmap`` calls and returns the top of the heap to the system above its trim threshold, so the same
memory is faulted in again at every step: page faults and kernel time. :func:`configure_allocator`
raises both thresholds (``mallopt(M_MMAP_THRESHOLD)`` and ``mallopt(M_TRIM_THRESHOLD)``, as the
environment variables ``MALLOC_MMAP_THRESHOLD_`` and ``MALLOC_TRIM_THRESHOLD_`` would at process
start), so freed blocks stay in the heap and are reused. It does nothing on other C libraries and
when the environment already sets either variable; it runs once per process.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
MMAP_THRESHOLD = 1 << 30  # blocks up to 1 GiB come from the heap
TRIM_THRESHOLD = 1 << 30  # keep up to 1 GiB of freed heap for reuse

_done: list[bool] = []


def configure_allocator() -> bool:
    """Raise glibc's mmap and trim thresholds (once); True if the allocator was configured."""
    if _done:
        return _done[0]
    ok = False
    if sys.platform.startswith("linux") and not any(
            k in os.environ for k in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            mallopt = libc.mallopt
        except (OSError, AttributeError):
            mallopt = None
        if mallopt is not None:
            ok = bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
                mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
    _done.append(ok)
    return ok
