"""After a crash of the model process, each request that was in flight runs once more, alone (llama_process.py)."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Callable, Iterator

POLL = 0.1


class Cancelled(Exception):
    """The caller cancelled while the request waited for its turn."""


class Probation:
    """After a crash, each request that was in flight runs once more — alone: while a retry waits or runs, no new
    request starts. A retry that brings the process down again is then surely the request that crashed it, and takes
    nobody with it."""

    def __init__(self):
        self.cond = threading.Condition()
        self.running = 0  # first attempts under way
        self.retries_waiting = 0
        self.retrying = False

    def _wait(self, ready: Callable[[], bool], cancel: threading.Event) -> None:
        while not self.cond.wait_for(ready, timeout=POLL):
            if cancel.is_set():
                raise Cancelled

    @contextmanager
    def first(self, cancel: threading.Event) -> Iterator[None]:
        with self.cond:
            self._wait(lambda: not self.retrying and not self.retries_waiting, cancel)
            self.running += 1
        try:
            yield
        finally:
            with self.cond:
                self.running -= 1
                self.cond.notify_all()

    @contextmanager
    def retry(self, cancel: threading.Event) -> Iterator[None]:
        with self.cond:
            self.retries_waiting += 1
            try:
                self._wait(lambda: not self.retrying and self.running == 0, cancel)
            finally:
                self.retries_waiting -= 1
            self.retrying = True
        try:
            yield
        finally:
            with self.cond:
                self.retrying = False
                self.cond.notify_all()
