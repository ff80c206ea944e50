"""How many runs this process lets go at once, shared by every door into it: the app's Run and Compare tabs and the
OpenAI-compatible endpoint (irg/views/serve.py) take their turns from the same lanes when they share a process.

Why lanes on top of the model's own batching: llama.cpp decodes 8 requests together and transformers takes turns, but
a run is many requests over seconds or minutes; lanes bound how many runs hold the model at once (and so how long
each waits between its requests), and a bounded waiting line turns an overload into one sentence instead of a pile of
stalled runs. No gradio here.
"""
from __future__ import annotations

import os
import threading
import time
from collections import deque
from contextlib import contextmanager
from typing import Iterator

from irg.engine.access import env_count
from irg.engine.errors import ConfigError

LANES = 8  # llama.cpp's slots: eight runs decode together (IRG_RUN_LANES changes it)
WAITING = 32  # runs that may wait for a lane (as the app's queue size); more are refused with a sentence


class Busy(ConfigError):
    """Every lane is taken and the waiting line is full."""


class Admission:
    """A counting semaphore with a bounded waiting line, whose wait ends when the run is cancelled."""

    def __init__(self, lanes: int = LANES, waiting: int = WAITING):
        if lanes < 1:
            raise ConfigError(f"Runs at once must be at least 1 (got {lanes}).")
        if waiting < 0:
            raise ConfigError(f"The waiting line cannot be negative (got {waiting}).")
        self.lanes, self.waiting_max = lanes, waiting
        self.running = self.waiting = 0
        self.line: deque = deque()  # waiting tickets, first come first served
        self.cond = threading.Condition()

    def enter(self) -> "Ticket":
        """A place in the line, at once: Busy (with a sentence) when every lane is taken and the line is full. The
        server calls this before it answers, so an overload is an HTTP 429, not a stream that never starts."""
        with self.cond:
            if self.running >= self.lanes and self.waiting >= self.waiting_max:
                raise Busy(f"The server is busy: {self.running} runs are going and {self.waiting} are waiting; "
                           "try again in a minute.")
            self.waiting += 1
            ticket = Ticket(self)
            self.line.append(ticket)
        return ticket

    @contextmanager
    def turn(self, cancel: threading.Event | None = None) -> Iterator[bool]:
        """Hold a lane while the block runs: yields True with a lane, False when `cancel` was set while waiting
        (then the block should do nothing). Busy when the line is full."""
        ticket = self.enter()
        try:
            yield ticket.wait(cancel)
        finally:
            ticket.leave()

    def state(self) -> dict:
        with self.cond:
            return {"lanes": self.lanes, "running": self.running, "waiting": self.waiting}


class Ticket:
    """One run's place: waiting, then (after `wait`) holding a lane, until `leave` (safe to call twice)."""

    def __init__(self, admission: Admission):
        self.a, self.state = admission, "waiting"

    def wait(self, cancel: threading.Event | None = None, timeout: float | None = None) -> bool:
        """Wait for a lane: True once held; False if `cancel` was set first, or `timeout` seconds passed (then
        wait again, or leave)."""
        a = self.a
        end = None if timeout is None else time.monotonic() + timeout
        with a.cond:
            while self.state == "waiting" and not (cancel is not None and cancel.is_set()):
                if a.running < a.lanes and a.line[0] is self:  # a free lane goes to the one waiting longest
                    a.line.popleft()
                    a.waiting -= 1
                    a.running += 1
                    self.state = "running"
                    a.cond.notify_all()  # the next in line may have a lane too
                    break
                if end is not None and time.monotonic() >= end:
                    break
                a.cond.wait(timeout=0.1)  # short: a cancel while waiting is seen within 0.1 s
            return self.state == "running"

    def leave(self) -> None:
        with self.a.cond:
            if self.state == "waiting":
                self.a.waiting -= 1
                self.a.line.remove(self)
            elif self.state == "running":
                self.a.running -= 1
            self.a.cond.notify_all()  # a lane, or the head of the line, may have changed hands
            self.state = "left"


_shared: list[Admission] = []
_shared_lock = threading.Lock()


def shared() -> Admission:
    """The process's lanes (one Admission, made on first use)."""
    with _shared_lock:
        if not _shared:
            _shared.append(Admission(env_count(os.environ, "IRG_RUN_LANES", LANES)))
        return _shared[0]


def set_lanes(lanes: int) -> Admission:
    """`irg serve --lanes N`: replace the process's lanes before any run starts."""
    with _shared_lock:
        _shared[:] = [Admission(lanes)]
        return _shared[0]
