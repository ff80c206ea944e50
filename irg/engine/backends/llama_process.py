"""llama.cpp behind a process boundary: a crash in native code costs the requests in flight, never the app.

`LlamaProcess` starts `irg/engine/backends/llama_child.py` and supervises it:
  - every request is a call `complete(body, on_chunk, cancel, deadline)`, with the same chunk dicts llama.cpp's
    `handle_completions` gives in-process, so the backend does not know where the model runs;
  - when the child dies (llama.cpp aborts on a grammar with no token left, the OOM killer…), every request in flight
    gets `ModelCrashed` with what the child last wrote on stderr, and the next request starts a new child
    (well under a second for the bundled model). The caller runs it again, alone, under `Probation`, and is blamed
    only if it brings the child down again by itself (a kill from outside never is; llamacpp.py);
  - a hang monitor: a child that says nothing to anyone for `STALL_SECONDS` while requests wait, and does not answer
    a liveness probe either, is killed (its requests then retry on a new child). A request is never failed merely for
    waiting while the engine serves others; it has a generous deadline of its own (the caller's).
The run's Stop and time limit are honoured by the caller (`relay` leaves a request `CANCEL_GRACE` after cancel).

Transports (`IRG_LLAMACPP_TRANSPORT`): `http` (default: the child runs xllamacpp's HTTP server on a loopback port;
streamed /v1/completions), `pipe` (JSON lines over the child's stdin/stdout), `inproc` (no child: the server in this
process, as before; kept for measuring what the boundary costs). docs/results/robustness.md has the measurements.

Why one file over 400 lines: the child's life (start, crash, hang, thread switch, retirement) and the two transports
that report its crashes share the same state (the child in use, requests in flight per child, who killed a child);
split, each half would reach into the other's.
"""
from __future__ import annotations

import collections
import itertools
import json
import logging
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

from irg.engine import backends
from irg.engine.backends.cpu import CoreFollower, available_cores, follow_cores
from irg.engine.backends.probation import Cancelled, Probation  # noqa: F401 — Cancelled: importable from here
from irg.engine.errors import BackendError, ModelError

TRANSPORTS = ("http", "pipe", "inproc")
# http: the child's own C++ server streams the tokens, no Python runs per token in the child; as fast as in-process
# (python -m irg.bench boundary), where pipe was slower to the first token. docs/results/robustness.md has the figures.
DEFAULT_TRANSPORT = "http"
START_TIMEOUT = 120.0  # seconds for a child to load its model and say it is ready
STALL_SECONDS = backends.STALL_SECONDS  # module attributes, so a test can shorten them
PROBE_SECONDS = 30.0  # a busy llama.cpp answers /slots between two batches; a hung one never does
POLL = 0.1

OnChunk = Callable[[dict], bool]  # returns True to stop the request
log = logging.getLogger(__name__)
# Signals another process sends (kill, the OOM killer, a shutdown): no request of ours caused them.
OUTSIDE_SIGNALS = {signal.SIGKILL, signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT}


class ModelCrashed(BackendError):
    """The model process died while this request was in flight. `cause`: "native" (llama.cpp aborted or crashed,
    which a request can cause), "hang" (our monitor ended a silent process), "switch" (we replaced it with one of
    another thread count: the request moves there) or "outside" (another process killed it: no request is to
    blame)."""

    def __init__(self, message: str, cause: str = "native"):
        super().__init__(message)
        self.cause = cause


def probe_seconds() -> float:
    """How long the liveness probe may wait: PROBE_SECONDS, or a third of the stall bound when that is shorter."""
    return min(PROBE_SECONDS, STALL_SECONDS / 3)


class InProcess:
    """The server in this process (no isolation): the reference the boundary is measured against."""

    transport = "inproc"

    def __init__(self, cfg: dict):
        from irg.engine.backends.llama_child import make_server

        self.server = make_server(cfg)
        self.probation = Probation()
        self.restarts = 0
        self.recoveries: list[dict] = []

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
        # every restart and thread switch: {"at", "event", "cause"} (runs report theirs)
        self.recoveries: list[dict] = []
        self.started = 0
        self.last_heard = time.monotonic()  # the child's last word to anyone (a chunk, a line)
        self.probation = Probation()
        self._client = None
        self._closed = False
        self.switches = 0  # children restarted with another thread count (not counted as restarts)
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
                self._start()  # the end of the old one is on the record already (_read_stdout)
            return self.proc

    def recovered(self, event: str, cause: str) -> None:
        """Every end of a child and every thread switch on the record, when it happens: stderr (the log) and
        `recoveries`, which a run alive at that moment reads for its record (runs sharing the process each count
        it). event: crash, hang, outside, switch."""
        self.recoveries.append({"at": time.time(), "event": event, "cause": cause})
        log.warning("model process %s (%s): %s (recovery %d)", "threads switched" if event == "switch" else "restart",
                    event, cause, len(self.recoveries))

    def _start(self, switch: bool = False) -> None:
        root = str(Path(__file__).resolve().parents[3])  # the child imports irg from here, whatever the working folder
        env = {**os.environ, "GGML_NO_BACKTRACE": "1",  # an abort must not spend seconds attaching gdb
               **({"OMP_WAIT_POLICY": self.cfg["omp_wait_policy"]} if self.cfg.get("omp_wait_policy") else {}),
               "PYTHONPATH": os.pathsep.join([root, *filter(None, [os.environ.get("PYTHONPATH")])])}
        proc = subprocess.Popen([sys.executable, "-m", "irg.engine.backends.llama_child", json.dumps(self.cfg)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                # a Ctrl-C in the terminal reaches the app, which ends the child
                                start_new_session=True)
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
        self.address = proc.address = first.get("address", "")  # each request talks to the child it started on
        self.restarts += self.started > 0 and not switch
        self.started += 1
        self.proc = proc
        self.last_heard = time.monotonic()

    def switch_threads(self, threads: int) -> bool:
        """Restart the child with `threads` decode threads, without waiting for a gap between requests (a batch's
        overlapping requests never leave one). The new child starts first (if it cannot start — its model file was
        deleted, memory ran out — the old one stays); then the old one ends at once and its requests in flight move
        to the new one (ModelCrashed with cause "switch": each runs its pass again there, not blamed, not under
        probation). Waiting for them instead was measured to cost more: an old child with too many threads beside
        a busy neighbour crawls at a few tokens a second through its long requests. False if nothing changed."""
        with self.lock:
            if self._closed:
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
            self.switches += 1
            if old is not None:
                self._end(old, "switch")
        self.recovered("switch", f"decode threads {before['threads']} -> {threads} (the cores other processes leave "
                                 "free changed)")
        return True

    def _end(self, proc: subprocess.Popen, why: str) -> None:
        """Kill a child ourselves, saying why ("switch", "hang"): its requests are told that cause. A child that has
        died already keeps its own cause."""
        if proc.poll() is None:
            proc.killed_by = why
            proc.kill()
            proc.wait()

    def _last_words(self) -> str:
        lines = [ln for ln in self.stderr_tail if ln.strip()]
        return lines[-1].strip()[:300] if lines else ""

    def _cause(self, proc: subprocess.Popen) -> str:
        """native | hang | switch | outside: who ended this child (see ModelCrashed)."""
        if getattr(proc, "killed_by", None):
            return proc.killed_by
        rc = proc.returncode
        return "outside" if rc is not None and rc < 0 and -rc in OUTSIDE_SIGNALS else "native"

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
        cause, ended = self._cause(proc), self._ended(proc)
        if not first and cause != "switch" and not self._closed:  # a switch is on the record already
            self.recovered({"native": "crash"}.get(cause, cause), ended)  # when it happens, for the runs alive now
        for q, owner in list(self.pending.values()):
            if owner is proc:
                q.put(("crash", (ended, cause)))

    def _monitor(self) -> None:
        """Kill a child that is silent to everyone while requests wait, and fails its liveness probe too. The probe
        starts early enough to end by STALL_SECONDS of silence: a hung child is replaced within STALL_SECONDS plus
        one look (at most 5 s), the bound docs/backends.md states."""
        while not self._closed:
            time.sleep(min(5.0, STALL_SECONDS / 4))
            proc = self.proc
            if (proc is None or proc.poll() is not None or self.active == 0
                    or time.monotonic() - self.last_heard < STALL_SECONDS - probe_seconds()):
                continue
            if not self._alive(proc):
                self._end(proc, "hang")  # its requests get ModelCrashed and retry on a new child

    def _alive(self, proc: subprocess.Popen) -> bool:
        """http: llama.cpp answers /slots from its main loop between two batches, so an answer proves the engine
        turns. pipe: no such probe; silence alone decides, once it reaches STALL_SECONDS."""
        if self.transport != "http":
            return time.monotonic() - self.last_heard < STALL_SECONDS
        import httpx

        try:
            httpx.get(f"{proc.address}/slots", timeout=probe_seconds(), trust_env=False)
            self.last_heard = time.monotonic()
            return True
        except httpx.HTTPError:
            return False

    def kill(self) -> None:
        """End the child as another process would (the tests' stand-in for an outside kill: cause "outside"); the
        supervisor starts a new one on the next request."""
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
        if cancel.is_set():
            return  # stopped before it started: nothing sent, the caller reports the request as cancelled
        proc = self.ensure()
        with self.active_lock:
            if self.active == 0:
                self.last_heard = max(self.last_heard, time.monotonic())  # idle time is not silence
            self.active += 1
        try:
            if self.transport == "http":
                return self._complete_http(proc, body, on_chunk, cancel, deadline)
            return self._complete_pipe(proc, body, on_chunk, cancel, deadline)
        finally:
            with self.active_lock:
                self.active -= 1

    def _send(self, proc: subprocess.Popen, obj: dict) -> bool:
        try:
            with self.write_lock:  # a stopped child can block this write: the monitor kills it, which breaks the pipe
                proc.stdin.write((json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8", "replace"))
                proc.stdin.flush()
            return True
        except (BrokenPipeError, OSError, ValueError):
            return False  # the child is gone: the stdout reader reports the crash

    def _complete_pipe(self, proc: subprocess.Popen, body: dict, on_chunk: OnChunk, cancel: threading.Event,
                       deadline: float) -> None:
        rid = next(self.ids)
        q: queue.Queue = queue.Queue()
        self.pending[rid] = (q, proc)
        t0 = time.monotonic()
        try:
            if not self._send(proc, {"id": rid, "op": "complete", "body": body}) and proc.poll() is not None:
                raise ModelCrashed(self._ended(proc), self._cause(proc))
            while True:
                try:
                    tag, val = q.get(timeout=POLL)
                except queue.Empty:
                    if cancel.is_set():
                        self._send(proc, {"id": rid, "op": "cancel"})
                        return  # late chunks are dropped; the caller reports the request as cancelled
                    if proc.poll() is not None and q.empty():  # it died before this request was registered
                        time.sleep(0.1)
                        if q.empty():
                            raise ModelCrashed(self._ended(proc), self._cause(proc))
                    self._past(t0, deadline, proc, rid)
                    continue
                if tag == "chunk":
                    if on_chunk(val) or cancel.is_set():
                        self._send(proc, {"id": rid, "op": "cancel"})
                        return  # as in-process: no chunk after the callback said stop
                    self._past(t0, deadline, proc, rid)
                elif tag == "end":
                    return
                elif tag == "error":
                    raise BackendError(val)
                else:
                    raise ModelCrashed(*val)
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

    def _complete_http(self, proc: subprocess.Popen, body: dict, on_chunk: OnChunk, cancel: threading.Event,
                       deadline: float) -> None:
        import httpx

        client = self._http()
        t0 = time.monotonic()
        try:
            # leaving the block closes the connection, and llama.cpp stops the slot; a request waiting for its turn
            # reads nothing for as long as it waits: the read timeout is its whole deadline
            with client.stream("POST", f"{proc.address}/v1/completions", json=body,
                               timeout=httpx.Timeout(deadline, connect=5.0)) as r:
                if r.status_code != 200:
                    raise BackendError(f"llama.cpp answered HTTP {r.status_code}: "
                                       f"{r.read().decode(errors='replace')[:200]}")
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
            raise ModelCrashed(self._ended(proc), self._cause(proc)) from e


def make_engine(cfg: dict, transport: str | None = None):
    """The model server for `cfg` behind the chosen transport (default: $IRG_LLAMACPP_TRANSPORT, else http)."""
    transport = transport or os.environ.get("IRG_LLAMACPP_TRANSPORT") or DEFAULT_TRANSPORT
    if transport not in TRANSPORTS:
        raise ModelError(f"IRG_LLAMACPP_TRANSPORT must be one of {', '.join(TRANSPORTS)}, not '{transport}'.")
    return InProcess(cfg) if transport == "inproc" else LlamaProcess(cfg, transport)
