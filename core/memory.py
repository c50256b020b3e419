"""Giving memory back to the operating system after a one-off burst of temporary arrays.

glibc's allocator keeps memory a process has freed for its next allocations, so a server that once
built a large temporary (the neighbour index of 60,000 training digits, say) stays that much larger
for as long as it runs. `malloc_trim(0)` hands the free pages back. No library does this, so it is
written here; where the C library is not glibc it does nothing.
"""

import ctypes
import ctypes.util
import logging

LOG = logging.getLogger(__name__)


def release_freed_memory():
    """Return freed heap memory to the operating system (glibc only); True if it could be asked."""
    try:
        trim = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # another C library (musl, macOS): nothing to do
        return False
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    trim(0)
    return True
