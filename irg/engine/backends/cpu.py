"""How the llama.cpp child uses the CPU: thread counts, barrier polling, OpenMP's wait policy, and decode threads that
follow the cores other processes leave free (`python -m irg.bench adapters --part contention` measures them).

Why following matters: llama.cpp's threads meet at a barrier after every operation and spin there. With two threads
on two cores and one busy neighbour, the thread that shares its core waits a scheduler slice at each barrier while its
partner spins: single-stream decoding fell from ~85 to ~3 tok/s here. One thread per free core has no one to wait
for. A thread count is fixed when llama.cpp starts, so the supervisor (llama_process.py) restarts the child with the
new count: the new child starts, then the old one ends and its requests in flight move to the new one
(llama_process.LlamaProcess.switch_threads), so a switch never waits for a gap between requests.
"""
from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from irg.engine.errors import ModelError

log = logging.getLogger(__name__)

# CPU defaults (cpu_settings): chosen with `python -m irg.bench adapters` (assets/results/adapters/speed.json).
DEFAULT_POLL: int | None = None  # None: llama.cpp's own (50)
DEFAULT_OMP_WAIT_POLICY = ""  # "": OpenMP's own

def _env_int(name: str, low: int, high: int) -> int | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise ModelError(f"{name} must be a whole number from {low} to {high}, not '{raw}'.")
    return value


def cpu_settings(threads: int | None = None) -> dict:
    """How the child uses the CPU: decode threads, prompt (batch) threads, barrier polling and OpenMP's wait policy.
    Each is settable by environment variable (e.g. on a shared Space): IRG_LLAMACPP_THREADS, IRG_LLAMACPP_BATCH_THREADS,
    IRG_LLAMACPP_POLL (0-100) and OMP_WAIT_POLICY (passive | active) as OpenMP reads it. Unless the thread count is
    pinned, it follows the cores other processes leave free (CoreFollower)."""
    cores = available_cores()
    pinned = threads or _env_int("IRG_LLAMACPP_THREADS", 1, 512)
    threads = pinned or cores
    batch = _env_int("IRG_LLAMACPP_BATCH_THREADS", 1, 512)
    out = {"threads": threads, "follow_cores": not pinned and FOLLOW_CORES, "batch_threads": batch or threads,
           "batch_pinned": bool(batch)}
    poll = _env_int("IRG_LLAMACPP_POLL", 0, 100)
    out["poll"] = DEFAULT_POLL if poll is None else poll
    wait = os.environ.get("OMP_WAIT_POLICY", "").strip().lower()
    if wait and wait not in ("passive", "active"):
        raise ModelError(f"OMP_WAIT_POLICY must be passive or active, not '{wait}'.")
    out["omp_wait_policy"] = wait or DEFAULT_OMP_WAIT_POLICY
    return out


FOLLOW_CORES = True
SLICE = 0.25  # seconds between two readings of /proc
WINDOW = 8  # slices in a window (2 s); a window votes for a thread count
SWITCH_AFTER = 2  # windows in a row that must agree before the thread count changes
MARGIN = 0.25  # cores beyond the rounding point that must be free before threads are added (hysteresis)
MIN_GAP = 20.0  # seconds between two switches at least
ACTIVE = 0.5  # cores our model process must keep busy in a slice for it to count as working (decoding: 0.8-2)
RETRY_AFTER = 30.0  # seconds before trying again when a new child could not start



def available_cores() -> int:
    """The cores this process may use: its CPU affinity, capped by a cgroup CPU quota (a container, a Space)."""
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        n = os.cpu_count() or 2
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            n = min(n, max(1, -(-int(quota) // int(period))))
    except (OSError, ValueError):
        pass
    return max(1, n)


def threads_for(cores: int, others: float) -> int:
    """One decode thread per core the other processes leave free (rounded), at least one."""
    return max(1, min(cores, round(cores - others)))


def _quota_capped() -> bool:
    try:
        quota = Path("/sys/fs/cgroup/cpu.max").read_text().split()[0]
        return quota != "max" and available_cores() < (os.cpu_count() or 1)
    except (OSError, IndexError):
        return False


def _busy_seconds() -> float | None:
    """CPU seconds busy since boot, as far as we can see them: in a container whose CPU quota is below the host's
    cores (a Space), the container's own usage (cgroup cpu.stat; the host's other tenants are not ours to count);
    elsewhere every core's (/proc/stat; steal = time a neighbour on the host took)."""
    if _QUOTA:
        try:
            for line in Path("/sys/fs/cgroup/cpu.stat").read_text().splitlines():
                if line.startswith("usage_usec "):
                    return int(line.split()[1]) / 1e6
        except (OSError, ValueError):
            return None
        return None
    try:
        f = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = f
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


_QUOTA = _quota_capped()


def _process_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    except (OSError, ValueError, IndexError):
        return None


class CoreFollower:
    """Samples how many cores other processes keep busy (everything but our model process) and says which thread
    count the model process should have. Every SLICE seconds a slice is read; a window of WINDOW slices votes only if
    our process worked in at least half of them, and then with the others' load in those slices alone: two of our own
    processes that take turns (the base model critiques while the adapter's waits, then the reverse) do not see each
    other as neighbours. A new count needs SWITCH_AFTER windows in a row to agree; an idle window clears the votes."""

    def __init__(self, cores: int):
        self.cores = cores
        self.last: tuple | None = None
        self.others: float | None = None
        self.slices: list[tuple[bool, float]] = []
        self.votes: list[int] = []
        self.switched_at = -MIN_GAP

    def start_threads(self, seconds: float = 0.3) -> int:
        """The thread count to start with: what other processes leave free over a short look (no model yet)."""
        a = _busy_seconds()
        time.sleep(seconds)
        b = _busy_seconds()
        return self.cores if a is None or b is None else threads_for(self.cores, max(0.0, (b - a) / seconds))

    def sample(self, pid: int, current: int) -> int | None:
        """Read one slice; at the end of a window, the thread count to switch to, or None to stay."""
        now = (time.monotonic(), _busy_seconds(), _process_seconds(pid), pid)
        prev, self.last = self.last, now
        if prev is None or None in now or None in prev or prev[3] != pid or now[0] <= prev[0]:
            self.slices.clear()
            return None  # first sample, no /proc, or a new child since the last one
        dt = now[0] - prev[0]
        own = (now[2] - prev[2]) / dt
        self.slices.append((own >= ACTIVE, max(0.0, (now[1] - prev[1]) / dt - own)))
        if len(self.slices) < WINDOW:
            return None
        busy = [others for ours, others in self.slices if ours]
        self.slices = []
        if len(busy) < WINDOW // 2:
            self.votes.clear()
            return None
        self.others = sum(busy) / len(busy)
        self.votes = (self.votes + [self._vote(current)])[-SWITCH_AFTER:]
        if (len(self.votes) == SWITCH_AFTER and len(set(self.votes)) == 1 and self.votes[0] != current
                and now[0] - self.switched_at >= MIN_GAP):
            self.switched_at = now[0]
            return self.votes[0]
        return None

    def _vote(self, current: int) -> int:
        """threads_for, with a margin before adding threads: the cores must be free by MARGIN beyond the rounding
        point. None before taking threads away: a neighbour that wants a whole core gets only ~2/3 of one while our
        two threads spin beside it, so its load looks smaller than it is (a burner measured 0.67 cores here)."""
        want = threads_for(self.cores, self.others)
        if want > current and self.cores - self.others < want - 0.5 + MARGIN:
            return current
        return want


def follow_cores(engine) -> None:
    """The supervisor's thread: every SLICE seconds, read the cores; a new thread count, once decided, is switched to
    at once (the new child beside the old one: requests in flight are not waited for, nor cut)."""
    follower = CoreFollower(available_cores())
    while not engine._closed:
        time.sleep(SLICE)
        proc = engine.proc
        if proc is None or proc.poll() is not None:
            continue
        try:
            want = follower.sample(proc.pid, engine.cfg["threads"])
            if want is not None and not engine.switch_threads(want):
                time.sleep(RETRY_AFTER)
        except Exception:  # noqa: BLE001 — this thread must outlive any surprise; the model keeps its threads
            log.exception("following the free cores failed")
            time.sleep(RETRY_AFTER)
