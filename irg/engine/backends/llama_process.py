"""llama.cpp behind a process boundary: a crash in native code costs the requests in flight, never the app.

`LlamaProcess` starts `irg/engine/backends/llama_child.py` and supervises it:
  - every request is a call `complete(body, on_chunk, cancel, deadline)`, with the same chunk dicts llama.cpp's
    `handle_completions` gives in-process, so the backend does not know where the model runs;
  - when the child dies (llama.cpp aborts on a grammar with no token left, the OOM killer…), every request in flight
    gets `ModelCrashed` with what the child last wrote on stderr, and the next request starts a new child
    (well under a second for the bundled model);
  - a watchdog per request: it ends a request that outlives its deadline (set by the caller from its token limit) or
    that hears nothing for `STALL_SECONDS`; a child that is silent for every request that long is killed and
    restarted, since a hung engine would hang every later request too;
  - cancel (a run's Stop or its time limit) is honoured within `CANCEL_GRACE` seconds whatever the child does.

Transports (`IRG_LLAMACPP_TRANSPORT`): `http` (default: the child runs xllamacpp's HTTP server on a loopback port;
streamed /v1/completions), `pipe` (JSON lines over the child's stdin/stdout), `inproc` (no child: the server in this
process, as before; kept for measuring what the boundary costs). README "Backends" has the measurements.
"""
from __future__ import annotations

import collections
import itertools
import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

from irg.engine import backends
from irg.engine.errors import BackendError, ModelError

TRANSPORTS = ("http", "pipe", "inproc")
# http: the child's own C++ server streams the tokens, no Python runs per token in the child; measured as fast as
# in-process (python -m irg.bench boundary), where pipe was 4-11% slower. README "Backends" has the figures.
DEFAULT_TRANSPORT = "http"
START_TIMEOUT = 120.0  # seconds for a child to load its model and say it is ready
STALL_SECONDS = backends.STALL_SECONDS  # module attributes, so a test can shorten them
CANCEL_GRACE = backends.CANCEL_GRACE
POLL = 0.1

OnChunk = Callable[[dict], bool]  # returns True to stop the request


class ModelCrashed(BackendError):
    """The model process died while this request was in flight."""


class InProcess:
    """The server in this process (no isolation): the reference the boundary is measured against."""

    transport = "inproc"

    def __init__(self, cfg: dict):
        from irg.engine.backends.llama_child import make_server

        self.server = make_server(cfg)
        self.probation = threading.Lock()
        self.restarts = 0

    def complete(self, body: dict, on_chunk: OnChunk, cancel: threading.Event, deadline: float) -> None:
        self.server.handle_completions(body, lambda ch: bool(on_chunk(ch)) or cancel.is_set())

    def close(self) -> None:
        pass


class LlamaProcess:
    """A supervised child process holding one llama.cpp server."""

    def __init__(self, cfg: dict, transport: str = DEFAULT_TRANSPORT):
        if transport not in ("pipe", "http"):
            raise ValueError(f"transport must be pipe or http, not {transport!r}")
        self.cfg = {**cfg, "transport": transport}
        self.transport = transport
        self.lock = threading.Lock()  # starting / replacing the child
        self.write_lock = threading.Lock()
        self.proc: subprocess.Popen | None = None
        self.address = ""  # http transport
        self.pending: dict[int, tuple[queue.Queue, subprocess.Popen]] = {}
        self.ids = itertools.count(1)
        self.stderr_tail: collections.deque[str] = collections.deque(maxlen=30)
        self.restarts = 0  # children started after the first
        self.started = 0
        self.last_heard = time.monotonic()
        # A request retried after a crash may be the one that caused it: retries run one at a time, so a request
        # that crashes the child twice takes no other retry down with it.
        self.probation = threading.Lock()
        self._client = None
        self.ensure()  # a model that cannot load fails here, with a sentence, not on the first request

    # ---- the child's life ---------------------------------------------------------------------------------
    def ensure(self) -> subprocess.Popen:
        with self.lock:
            if self.proc is None or self.proc.poll() is not None:
                self._start()
            return self.proc

    def _start(self) -> None:
        root = str(Path(__file__).resolve().parents[3])  # the child imports irg from here, whatever the working folder
        env = {**os.environ, "GGML_NO_BACKTRACE": "1",  # an abort must not spend seconds attaching gdb
               "PYTHONPATH": os.pathsep.join([root, *filter(None, [os.environ.get("PYTHONPATH")])])}
        proc = subprocess.Popen([sys.executable, "-m", "irg.engine.backends.llama_child", json.dumps(self.cfg)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                start_new_session=True)  # a Ctrl-C in the terminal reaches the app, which ends the child
        threading.Thread(target=self._read_stderr, args=(proc,), daemon=True, name="irg-llama-stderr").start()
        ready: queue.Queue = queue.Queue()
        threading.Thread(target=self._read_stdout, args=(proc, ready), daemon=True, name="irg-llama-out").start()
        try:
            first = ready.get(timeout=START_TIMEOUT)
        except queue.Empty:
            first = None
        if not first:
            proc.kill()
            proc.wait()
            raise ModelError(f"The model process did not start ({self._last_words() or 'no message'}).")
        self.address = first.get("address", "")
        self.restarts += self.started > 0
        self.started += 1
        self.proc = proc
        self.last_heard = time.monotonic()

    def _last_words(self) -> str:
        lines = [ln for ln in self.stderr_tail if ln.strip()]
        return lines[-1].strip()[:300] if lines else ""

    def _read_stderr(self, proc: subprocess.Popen) -> None:
        for raw in proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip()
            if line:
                self.stderr_tail.append(line)
                if os.environ.get("IRG_LLAMACPP_LOG") == "1":
                    sys.stderr.write(f"[llama.cpp] {line}\n")

    def _read_stdout(self, proc: subprocess.Popen, ready: queue.Queue) -> None:
        first = True
        for raw in proc.stdout:
            try:
                msg = json.loads(raw)
            except ValueError:
                continue
            self.last_heard = time.monotonic()
            if first:
                ready.put(msg)
                first = False
                continue
            got = self.pending.get(msg.get("id"))
            if got is None:
                continue  # a request we already left (cancelled, timed out)
            q = got[0]
            if "chunk" in msg:
                q.put(("chunk", msg["chunk"]))
            elif "error" in msg:
                q.put(("error", msg["error"]))
            else:
                q.put(("end", None))
        rc = proc.wait()
        if first:
            ready.put(None)
        time.sleep(0.05)  # let the stderr reader take the last words
        why = self._last_words() or "no message"
        what = f"signal {-rc}" if rc < 0 else f"exit code {rc}"
        for q, owner in list(self.pending.values()):
            if owner is proc:
                q.put(("crash", f"the model process ended ({what}): {why}"))

    def kill(self) -> None:
        """End the child (the supervisor starts a new one on the next request)."""
        with self.lock:
            if self.proc is not None and self.proc.poll() is None:
                self.proc.kill()

    def close(self) -> None:
        with self.lock:
            if self.proc is not None and self.proc.poll() is None:
                try:
                    self.proc.stdin.close()  # the child exits on end-of-file
                    self.proc.wait(timeout=5)
                except Exception:  # noqa: BLE001 — closing is best effort; a kill always works
                    self.proc.kill()
            self.proc = None

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001
            pass

    # ---- requests -------------------------------------------------------------------------------------------
    def _send(self, proc: subprocess.Popen, obj: dict) -> bool:
        try:
            with self.write_lock:
                proc.stdin.write((json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8", "replace"))
                proc.stdin.flush()
            return True
        except (BrokenPipeError, OSError, ValueError):
            return False  # the child is gone: the stdout reader reports the crash

    def complete(self, body: dict, on_chunk: OnChunk, cancel: threading.Event, deadline: float) -> None:
        """Stream one request's chunks to `on_chunk` until it returns True, the request ends, `cancel` is set or
        the watchdog fires (`deadline`: seconds from now). Raises ModelCrashed if the child dies meanwhile."""
        if self.transport == "http":
            return self._complete_http(body, on_chunk, cancel, deadline)
        proc = self.ensure()
        rid = next(self.ids)
        q: queue.Queue = queue.Queue()
        self.pending[rid] = (q, proc)
        t0 = last = time.monotonic()
        cancelled_at = None
        try:
            if not self._send(proc, {"id": rid, "op": "complete", "body": body}) and proc.poll() is not None:
                raise ModelCrashed(f"the model process ended before the request was sent: {self._last_words()}")
            while True:
                try:
                    kind, val = q.get(timeout=POLL)
                except queue.Empty:
                    now = time.monotonic()
                    if proc.poll() is not None and now - last > 1.0 and q.empty():  # died before we registered
                        raise ModelCrashed(f"the model process ended (exit code {proc.returncode}): {self._last_words()}")
                    if cancel.is_set():
                        if cancelled_at is None:
                            cancelled_at = now
                            self._send(proc, {"id": rid, "op": "cancel"})
                        elif now - cancelled_at > CANCEL_GRACE:
                            return  # the engine did not stop in time; its late chunks are dropped
                        continue
                    if now - t0 > deadline or now - last > STALL_SECONDS:
                        self._send(proc, {"id": rid, "op": "cancel"})
                        self._check_hung(proc)
                        why = (f"heard nothing for {STALL_SECONDS:.0f} s" if now - last > STALL_SECONDS
                               else f"took longer than its {deadline:.0f} s limit")
                        raise BackendError(f"The model {why}; the request was stopped (watchdog).")
                    continue
                last = time.monotonic()
                if kind == "chunk":
                    if on_chunk(val) or cancel.is_set():
                        self._send(proc, {"id": rid, "op": "cancel"})
                        return  # as in-process: no chunk after the callback said stop
                elif kind == "end":
                    return
                elif kind == "error":
                    raise BackendError(val)
                else:
                    raise ModelCrashed(val)
        finally:
            self.pending.pop(rid, None)

    def _check_hung(self, proc: subprocess.Popen) -> None:
        """A watchdog fired: if the child has said nothing to anyone for the stall time, it is hung — kill it."""
        if time.monotonic() - self.last_heard > STALL_SECONDS and proc.poll() is None:
            proc.kill()

    # ---- the http transport ------------------------------------------------------------------------------------
    def _complete_http(self, body: dict, on_chunk: OnChunk, cancel: threading.Event, deadline: float) -> None:
        import httpx

        proc = self.ensure()
        if self._client is None:
            self._client = httpx.Client()
        t0 = time.monotonic()
        try:
            # read timeout = the stall watchdog; leaving the block closes the connection and the server stops the slot
            with self._client.stream("POST", f"{self.address}/v1/completions", json=body,
                                     timeout=httpx.Timeout(STALL_SECONDS, connect=5.0)) as r:
                if r.status_code != 200:
                    raise BackendError(f"llama.cpp answered HTTP {r.status_code}: {r.read().decode(errors='replace')[:200]}")
                for line in r.iter_lines():
                    self.last_heard = time.monotonic()
                    if not line.startswith("data:"):
                        continue
                    data = line[5:].strip()
                    if data == "[DONE]":
                        return
                    if on_chunk(json.loads(data)) or cancel.is_set():
                        return
                    if time.monotonic() - t0 > deadline:
                        raise BackendError(f"The model took longer than its {deadline:.0f} s limit; the request was stopped (watchdog).")
        except httpx.TimeoutException as e:
            self._check_hung(proc)
            raise BackendError(f"The model heard nothing for {STALL_SECONDS:.0f} s; the request was stopped (watchdog).") from e
        except (httpx.TransportError, httpx.StreamError) as e:
            try:
                proc.wait(timeout=2.0)  # a process that aborts takes a moment to be gone
            except subprocess.TimeoutExpired:
                raise BackendError(f"The model process did not answer ({type(e).__name__}).") from e
            time.sleep(0.05)  # let the stderr reader take the last words
            rc = proc.returncode
            what = f"signal {-rc}" if rc < 0 else f"exit code {rc}"
            raise ModelCrashed(f"the model process ended ({what}): {self._last_words() or 'no message'}") from e


def make_engine(cfg: dict, transport: str | None = None):
    """The model server for `cfg` behind the chosen transport (default: $IRG_LLAMACPP_TRANSPORT, else pipe)."""
    transport = transport or os.environ.get("IRG_LLAMACPP_TRANSPORT") or DEFAULT_TRANSPORT
    if transport not in TRANSPORTS:
        raise ModelError(f"IRG_LLAMACPP_TRANSPORT must be one of {', '.join(TRANSPORTS)}, not '{transport}'.")
    return InProcess(cfg) if transport == "inproc" else LlamaProcess(cfg, transport)
