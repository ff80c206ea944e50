"""llama.cpp behind a process boundary: a crash in native code costs the requests in flight, never the app.

`LlamaProcess` starts `irg/engine/backends/llama_child.py` and supervises it:
  - every request is a call `complete(body, on_chunk, cancel, deadline)`, with the same chunk dicts llama.cpp's
    `handle_completions` gives in-process, so the backend does not know where the model runs;
  - when the child dies (llama.cpp aborts on a grammar with no token left, the OOM killer…), every request in flight
    gets `ModelCrashed` with what the child last wrote on stderr, and the next request starts a new child
    (well under a second for the bundled model). The caller retries once, under `Probation`;
  - a hang monitor: a child that says nothing to anyone for `STALL_SECONDS` while requests wait, and does not answer
    a liveness probe either, is killed (its requests then retry on a new child). A request is never failed merely for
    waiting while the engine serves others; it has a generous deadline of its own (the caller's).
The run's Stop and time limit are honoured by the caller (`relay` leaves a request `CANCEL_GRACE` after cancel).

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
from irg.engine.backends.cpu import SWITCH_DRAIN, CoreFollower, available_cores, follow_cores
from irg.engine.backends.probation import Cancelled, Probation  # noqa: F401 — Cancelled: importable from here
from irg.engine.errors import BackendError, ModelError

TRANSPORTS = ("http", "pipe", "inproc")
# http: the child's own C++ server streams the tokens, no Python runs per token in the child; as fast as in-process
# (python -m irg.bench boundary), where pipe was slower to the first token. README "Backends" has the figures.
DEFAULT_TRANSPORT = "http"
START_TIMEOUT = 120.0  # seconds for a child to load its model and say it is ready
STALL_SECONDS = backends.STALL_SECONDS  # module attributes, so a test can shorten them
PROBE_SECONDS = 30.0  # a busy llama.cpp answers /slots between two batches; a hung one never does
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
        self.probation = Probation()
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
        self.pending: dict[int, tuple[queue.Queue, subprocess.Popen]] = {}  # pipe transport
        self.ids = itertools.count(1)
        self.active = 0  # requests in flight (both transports)
        self.active_lock = threading.Lock()
        self.stderr_tail: collections.deque[str] = collections.deque(maxlen=30)
        self.restarts = 0  # children started after the first
        self.started = 0
        self.last_heard = time.monotonic()  # the child's last word to anyone (a chunk, a line)
        self.probation = Probation()
        self._client = None
        self._closed = False
        self.switches = 0  # children restarted with another thread count (not counted as restarts)
        self.draining = threading.Event()  # set while a thread switch waits for the requests in flight
        self.pending_threads: int | None = None  # a thread count the follower decided: switched when requests end
        if cfg.get("follow_cores"):
            n = CoreFollower(available_cores()).start_threads()
            self.cfg.update(threads=n, batch_threads=self.cfg["batch_threads"] if cfg.get("batch_pinned") else n)
        self.ensure()  # a model that cannot load fails here, with a sentence, not on the first request
        threading.Thread(target=self._monitor, daemon=True, name="irg-llama-monitor").start()
        if cfg.get("follow_cores"):
            threading.Thread(target=follow_cores, args=(self,), daemon=True, name="irg-llama-cores").start()

    # ---- the child's life ---------------------------------------------------------------------------------
    def ensure(self) -> subprocess.Popen:
        with self.lock:
            if self.proc is None or self.proc.poll() is not None:
                self._start()
            return self.proc

    def _start(self, switch: bool = False) -> None:
        root = str(Path(__file__).resolve().parents[3])  # the child imports irg from here, whatever the working folder
        env = {**os.environ, "GGML_NO_BACKTRACE": "1",  # an abort must not spend seconds attaching gdb
               **({"OMP_WAIT_POLICY": self.cfg["omp_wait_policy"]} if self.cfg.get("omp_wait_policy") else {}),
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
        self.restarts += self.started > 0 and not switch
        self.started += 1
        self.proc = proc
        self.last_heard = time.monotonic()

    def switch_threads(self, threads: int, drain: float | None = None) -> bool:
        """Restart the child with `threads` decode threads once no request is in flight (new requests wait up to
        `drain` seconds meanwhile). The new child starts before the old one ends: if it cannot start (its model file
        was deleted, memory ran out), the old one stays. False if nothing changed (the caller tries again later)."""
        self.draining.set()
        try:
            t_end = time.monotonic() + (SWITCH_DRAIN if drain is None else drain)
            while self.active and time.monotonic() < t_end and not self._closed:
                time.sleep(0.05)
            with self.lock:
                if self.active or self._closed:
                    return False
                old, before = self.proc, self.cfg
                self.cfg = {**self.cfg, "threads": threads,
                            "batch_threads": self.cfg["batch_threads"] if self.cfg.get("batch_pinned") else threads}
                try:
                    self._start(switch=True)
                except Exception as e:  # noqa: BLE001 — ModelError, or a fork that failed (OSError): keep the old one
                    self.cfg = before
                    self.stderr_tail.append(f"thread switch to {threads} failed, kept {before['threads']}: {e}")
                    return False
                if old is not None and old.poll() is None:
                    old.kill()
                    old.wait()
                self.switches += 1
                return True
        finally:
            self.draining.clear()

    def _last_words(self) -> str:
        lines = [ln for ln in self.stderr_tail if ln.strip()]
        return lines[-1].strip()[:300] if lines else ""

    def _ended(self, proc: subprocess.Popen) -> str:
        rc = proc.returncode
        what = f"signal {-rc}" if rc is not None and rc < 0 else f"exit code {rc}"
        return f"the model process ended ({what}): {self._last_words() or 'no message'}"

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
            if "chunk" in msg:
                got[0].put(("chunk", msg["chunk"]))
            else:
                got[0].put(("error", msg["error"]) if "error" in msg else ("end", None))
        proc.wait()
        if first:
            ready.put(None)
        time.sleep(0.05)  # let the stderr reader take the last words
        for q, owner in list(self.pending.values()):
            if owner is proc:
                q.put(("crash", self._ended(proc)))

    def _monitor(self) -> None:
        """Kill a child that is silent to everyone while requests wait, and fails its liveness probe too."""
        while not self._closed:
            time.sleep(min(5.0, STALL_SECONDS / 4))
            proc = self.proc
            if (proc is None or proc.poll() is not None or self.active == 0
                    or time.monotonic() - self.last_heard < STALL_SECONDS):
                continue
            if not self._alive(proc):
                proc.kill()  # its requests get ModelCrashed and retry on a new child

    def _alive(self, proc: subprocess.Popen) -> bool:
        """http: llama.cpp answers /slots from its main loop between two batches, so an answer proves the engine
        turns. pipe: no such probe; silence alone decides."""
        if self.transport != "http":
            return False
        import httpx

        try:
            httpx.get(f"{self.address}/slots", timeout=min(PROBE_SECONDS, STALL_SECONDS), trust_env=False)
            self.last_heard = time.monotonic()
            return True
        except httpx.HTTPError:
            return False

    def kill(self) -> None:
        """End the child (the supervisor starts a new one on the next request)."""
        with self.lock:
            if self.proc is not None and self.proc.poll() is None:
                self.proc.kill()

    def close(self) -> None:
        self._closed = True
        with self.lock:
            if self._client is not None:
                self._client.close()
                self._client = None
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
    def complete(self, body: dict, on_chunk: OnChunk, cancel: threading.Event, deadline: float) -> None:
        """Stream one request's chunks to `on_chunk` until it returns True, the request ends, `cancel` is set or it
        outlives `deadline` seconds (BackendError). Raises ModelCrashed if the child dies meanwhile."""
        t_wait = time.monotonic() + SWITCH_DRAIN + START_TIMEOUT
        while self.draining.is_set() and time.monotonic() < t_wait and not cancel.is_set():
            time.sleep(0.05)  # a thread switch is waiting for the requests in flight: do not start another
        if cancel.is_set():
            return  # stopped while waiting: nothing sent, the caller reports the request as cancelled
        with self.active_lock:
            if self.active == 0:
                self.last_heard = max(self.last_heard, time.monotonic())  # idle time is not silence
            self.active += 1
        try:
            if self.transport == "http":
                return self._complete_http(body, on_chunk, cancel, deadline)
            return self._complete_pipe(body, on_chunk, cancel, deadline)
        finally:
            with self.active_lock:
                self.active -= 1
                go = self.active == 0 and self.pending_threads is not None and not self.draining.is_set()
                if go:
                    self.draining.set()  # the next request waits for the switch (about a second)
            if go:
                threading.Thread(target=self._switch_pending, daemon=True, name="irg-llama-switch").start()

    def _switch_pending(self) -> None:
        """The last request in flight has ended and a thread count is pending: switch now, in the gap."""
        want, self.pending_threads = self.pending_threads, None
        try:
            if want is not None and want != self.cfg["threads"] and not self.switch_threads(want, drain=0.0):
                self.pending_threads = want  # a request slipped in: at the next gap
        finally:
            self.draining.clear()

    def _send(self, proc: subprocess.Popen, obj: dict) -> bool:
        try:
            with self.write_lock:  # a stopped child can block this write: the monitor kills it, which breaks the pipe
                proc.stdin.write((json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8", "replace"))
                proc.stdin.flush()
            return True
        except (BrokenPipeError, OSError, ValueError):
            return False  # the child is gone: the stdout reader reports the crash

    def _complete_pipe(self, body: dict, on_chunk: OnChunk, cancel: threading.Event, deadline: float) -> None:
        proc = self.ensure()
        rid = next(self.ids)
        q: queue.Queue = queue.Queue()
        self.pending[rid] = (q, proc)
        t0 = time.monotonic()
        try:
            if not self._send(proc, {"id": rid, "op": "complete", "body": body}) and proc.poll() is not None:
                raise ModelCrashed(self._ended(proc))
            while True:
                try:
                    kind, val = q.get(timeout=POLL)
                except queue.Empty:
                    if cancel.is_set():
                        self._send(proc, {"id": rid, "op": "cancel"})
                        return  # late chunks are dropped; the caller reports the request as cancelled
                    if proc.poll() is not None and q.empty():  # it died before this request was registered
                        time.sleep(0.1)
                        if q.empty():
                            raise ModelCrashed(self._ended(proc))
                    self._past(t0, deadline, proc, rid)
                    continue
                if kind == "chunk":
                    if on_chunk(val) or cancel.is_set():
                        self._send(proc, {"id": rid, "op": "cancel"})
                        return  # as in-process: no chunk after the callback said stop
                    self._past(t0, deadline, proc, rid)
                elif kind == "end":
                    return
                elif kind == "error":
                    raise BackendError(val)
                else:
                    raise ModelCrashed(val)
        finally:
            self.pending.pop(rid, None)

    def _past(self, t0: float, deadline: float, proc: subprocess.Popen | None = None, rid: int | None = None) -> None:
        """The per-request watchdog: BackendError once the request has run `deadline` seconds."""
        if time.monotonic() - t0 > deadline:
            if proc is not None:
                self._send(proc, {"id": rid, "op": "cancel"})
            raise BackendError(f"The model took longer than this request's {deadline:.0f} s limit; it was stopped "
                               "(watchdog).")

    def _http(self):
        import httpx

        with self.lock:
            if self._client is None:  # loopback: never through a proxy the environment names
                self._client = httpx.Client(trust_env=False, timeout=httpx.Timeout(None, connect=5.0))
            return self._client

    def _complete_http(self, body: dict, on_chunk: OnChunk, cancel: threading.Event, deadline: float) -> None:
        import httpx

        proc = self.ensure()
        client = self._http()
        t0 = time.monotonic()
        try:
            # leaving the block closes the connection, and llama.cpp stops the slot; a request waiting for its turn
            # reads nothing for as long as it waits: the read timeout is its whole deadline
            with client.stream("POST", f"{self.address}/v1/completions", json=body,
                               timeout=httpx.Timeout(deadline, connect=5.0)) as r:
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
                    self._past(t0, deadline)
        except httpx.TimeoutException as e:
            raise BackendError(f"The model took longer than this request's {deadline:.0f} s limit; it was stopped "
                               "(watchdog).") from e
        except (httpx.TransportError, httpx.StreamError) as e:
            try:
                proc.wait(timeout=2.0)  # a process that aborts takes a moment to be gone
            except subprocess.TimeoutExpired:
                raise BackendError(f"The model process did not answer ({type(e).__name__}).") from e
            time.sleep(0.05)  # let the stderr reader take the last words
            raise ModelCrashed(self._ended(proc)) from e


def make_engine(cfg: dict, transport: str | None = None):
    """The model server for `cfg` behind the chosen transport (default: $IRG_LLAMACPP_TRANSPORT, else http)."""
    transport = transport or os.environ.get("IRG_LLAMACPP_TRANSPORT") or DEFAULT_TRANSPORT
    if transport not in TRANSPORTS:
        raise ModelError(f"IRG_LLAMACPP_TRANSPORT must be one of {', '.join(TRANSPORTS)}, not '{transport}'.")
    return InProcess(cfg) if transport == "inproc" else LlamaProcess(cfg, transport)
