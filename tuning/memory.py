"""The training process's memory: its peak (the figure every student's meta records) and a steadier malloc."""
from __future__ import annotations


def peak_rss_mb() -> float:
    """This process's peak resident memory. On Linux, VmHWM: ru_maxrss survives fork + exec, so a child of a
    large parent would report the parent's peak (the first distillation run did: 5.41 GB for every student)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    import resource
    import sys

    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(r / (1024 * 1024) if sys.platform == "darwin" else r / 1024, 1)


def steady_malloc(threshold: int = 1 << 20) -> bool:
    """Keep glibc from growing the training process's memory step after step. glibc raises its mmap threshold each
    time a large block is freed (up to 32 MB), after which tensors of ever-varying sizes (batches of different
    lengths) come from the heap and fragment it: the resident peak creeps up though no step needs more. A fixed
    threshold sends every block above it to mmap, handed back to the system when freed. Not glibc: nothing done."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(-3, threshold))  # -3 = M_MMAP_THRESHOLD (malloc.h)
    except (OSError, AttributeError):
        return False
