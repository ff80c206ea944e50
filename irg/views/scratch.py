"""One temporary folder per app process for the files a run offers to download (JSON, Markdown, live experiments):
removed when the process exits, and pruned by age while it runs, so a long-lived server does not fill its disk.
Gradio copies a file it serves into its own cache, which `gr.Blocks(delete_cache=...)` prunes (app.py)."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

MAX_AGE = 3600.0  # seconds a run's files stay downloadable
_root: Path | None = None
_lock = threading.Lock()


def root() -> Path:
    """This process's folder (made on first use; removed at exit)."""
    global _root
    with _lock:
        if _root is None or not _root.is_dir():
            _root = Path(tempfile.mkdtemp(prefix=f"irg-app-{os.getpid()}-"))
            atexit.register(shutil.rmtree, _root, True)
            _remove_orphans(_root.parent)
        return _root


def _remove_orphans(parent: Path) -> None:
    """Folders of app processes that are gone without running their exit (SIGKILL, a power cut)."""
    for d in parent.glob("irg-app-*-*"):
        try:
            pid = int(d.name.split("-")[2])
            os.kill(pid, 0)  # raises if no such process
        except ProcessLookupError:
            shutil.rmtree(d, ignore_errors=True)
        except (ValueError, IndexError, PermissionError):  # not ours, or another user's live process
            continue


def new_dir(prefix: str) -> Path:
    """A fresh folder for one run's files; older ones past MAX_AGE are removed first."""
    prune()
    return Path(tempfile.mkdtemp(prefix=f"{prefix}-", dir=root()))


def prune(max_age: float = MAX_AGE, now: float | None = None) -> int:
    """Remove the run folders untouched for `max_age` seconds (the newest of the folder and its files: a live
    experiment appending to its results keeps its folder); how many were removed."""
    now = time.time() if now is None else now
    gone = 0
    for d in root().iterdir():
        try:
            touched = max([d.stat().st_mtime, *(f.stat().st_mtime for f in d.iterdir())])
            if now - touched > max_age:
                shutil.rmtree(d, ignore_errors=True)
                gone += 1
        except OSError:  # removed meanwhile by another thread
            continue
    return gone
