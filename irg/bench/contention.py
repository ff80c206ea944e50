"""llama.cpp when the CPU is shared (issue 25): single-stream tok/s of a fresh model process alone and with one or two
busy processes beside it (another llama.cpp process decoding; a `while 1: pass` burner), started before it, or a
burner started once it decodes ("burner_later": where the threads must switch), per CPU setting.
Part of `python -m irg.bench adapters` (irg/bench/adapters.py)."""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# the CPU settings compared (environment of the measured process and of the busy neighbours)
SETTINGS = {"before: 2 threads, fixed": {"IRG_LLAMACPP_THREADS": "2"},
            "OpenMP passive": {"IRG_LLAMACPP_THREADS": "2", "OMP_WAIT_POLICY": "passive"},
            "1 thread, fixed": {"IRG_LLAMACPP_THREADS": "1"},
            "chosen: threads follow the free cores": {}}
CHOSEN = "chosen: threads follow the free cores"


# -------------------------------------------------------------------------------------------------
PROBE = """
import json, statistics, subprocess, sys, threading, time
from irg.engine.backends import GenRequest
from irg.engine.models import get_backend
b = get_backend("bundled", "llama.cpp")
runs, cap, later = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3] == "later"
b.generate(GenRequest([{"role": "user", "content": "Hi."}], max_new_tokens=4))
burner = subprocess.Popen([sys.executable, "-c", "while 1: pass"]) if later else None  # once the model decodes
rates = []
for i in range(runs):  # a collapsed setting is measured over `cap` seconds, not waited for
    cancel = threading.Event()
    timer = threading.Timer(cap, cancel.set)
    timer.start()
    t = time.perf_counter()
    g = b.stream(GenRequest([{"role": "user", "content": f"Describe the water cycle. ({i})"}], max_new_tokens=128), \
cancel).finish()
    timer.cancel()
    rates.append(g.completion_tokens / (time.perf_counter() - t))
if burner:
    burner.kill()
print(json.dumps({"tok_s": round(statistics.median(rates), 1), "rates": [round(r, 1) for r in rates],
                  "threads_at_end": b.engine.cfg["threads"], "switches": getattr(b.engine, "switches", 0)}), flush=True)
b.close()
"""
DECODER = """
from irg.engine.backends import GenRequest
from irg.engine.models import get_backend
b = get_backend("bundled", "llama.cpp")
print("READY", flush=True)
i = 0
while True:
    i += 1
    b.generate(GenRequest([{"role": "user", "content": f"Write a long story number {i} about a river."}], \
max_new_tokens=512))
"""
BURNER = "while 1: pass"


def _python(code: str, env: dict, *args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, env=env, start_new_session=True, **kw)


def _stop(p: subprocess.Popen) -> None:
    import signal

    try:
        os.killpg(p.pid, signal.SIGKILL)  # its model child (a session of its own) exits when its stdin closes
    except ProcessLookupError:
        pass
    p.wait()


def contention(settings: dict[str, dict[str, str]], runs: int = 3,
               busy: dict[str, list[str]] | None = None, cap: float = 60.0) -> dict:
    """{setting: {scenario: tok/s}}: a fresh model process's single-stream speed with the environment `settings[name]`
    (e.g. {"OMP_WAIT_POLICY": "passive"}), alone and beside busy processes (which run with the same environment).
    Each of `runs` requests asks for 128 tokens and is stopped after `cap` seconds (tok/s = tokens written / time)."""
    busy = busy or {"idle": [], "one_busy_decoder": ["decoder"], "one_busy_burner": ["burner"],
                    "two_busy": ["decoder", "burner"], "burner_later": ["later"]}
    out: dict[str, dict] = {}
    for name, extra in settings.items():
        env = {**os.environ, **extra, "PYTHONPATH": str(ROOT)}
        row: dict = {"env": extra}
        for scenario, loads in busy.items():
            others = []
            try:
                for load in loads:
                    if load == "later":
                        continue  # the probe starts it itself
                    if load == "decoder":
                        p = _python(DECODER, env, stdout=subprocess.PIPE, text=True)
                        p.stdout.readline()  # READY: its model is loaded and decoding
                    else:
                        p = _python(BURNER, env)
                    others.append(p)
                time.sleep(1.0)
                later = "later" in loads
                probe = _python(PROBE, env, str(max(runs, 3) if later else runs), str(cap), "later" if later else "-",
                                stdout=subprocess.PIPE, text=True)
                line = probe.communicate(timeout=1800)[0].strip().splitlines()[-1]
                got = json.loads(line)
                row[scenario] = got["tok_s"]
                row.setdefault("detail", {})[scenario] = {k: got[k] for k in ("rates", "threads_at_end", "switches")}
            finally:
                for p in others:
                    _stop(p)
            print(json.dumps({"setting": name, "scenario": scenario, "tok_s": row[scenario],
                              **row["detail"][scenario]}),
                  file=sys.stderr, flush=True)
        idle = row.get("idle")
        for scenario in busy:
            if scenario != "idle" and idle:
                row[f"{scenario}_share"] = round(row[scenario] / idle, 3)
        out[name] = row
    return out


def idle_ab(rounds: int = 5) -> dict:
    """The chosen setting against the old fixed 2 threads on an idle machine, fresh processes alternated round by
    round (the host drifts): what following the cores costs when nobody competes."""
    pair = {"before: 2 threads, fixed": SETTINGS["before: 2 threads, fixed"], CHOSEN: SETTINGS[CHOSEN]}
    rates: dict[str, list[float]] = {k: [] for k in pair}
    for _ in range(rounds):
        for name, extra in pair.items():
            rates[name].append(contention({name: extra}, runs=1, busy={"idle": []})[name]["idle"])
    before, after = (statistics.median(v) for v in rates.values())
    return {"rounds": rounds, "tok_s": rates, "medians": {"before": before, "chosen": after},
            "chosen_vs_before": round(after / before, 3)}
