"""Issue 34's measurements of the model process under outside trouble: `python -m irg.bench recovery --part ...`.

kills     a 16-prompt `irg batch --n-jobs 2` while the model process is killed twice from outside (kill -9, 15 s
          apart): lines lost, lines blamed, restarts on the record, and what a resume then runs.
batches   two `irg batch --n-jobs 2` jobs at once on this machine vs one alone: each one's throughput (tokens the
          runs spent per second of wall time) as a share of the alone figure, and the thread switches each made.
hang      a model process stopped (SIGSTOP) while a request waits: seconds until it is replaced.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from irg.engine.jsonl import rows

ROOT = Path(__file__).resolve().parents[2]
PARTS = ("kills", "batches", "hang")


def _prompts(n: int) -> list[dict]:
    found = rows(ROOT / "assets" / "prompts" / "constraints_30.jsonl")
    return [{"id": f"p{i:02d}", "prompt": found[i % len(found)]["prompt"]} for i in range(n)]


def _batch(inp: Path, out: Path, jobs: int, strategy: str, max_iters: int, cwd: Path = ROOT) -> subprocess.Popen:
    """`irg batch` of the checkout at `cwd` (an earlier commit's worktree measures the code before a change)."""
    return subprocess.Popen([sys.executable, "-m", "irg", "batch", "--in", str(inp), "--out", str(out), "--n-jobs",
                             str(jobs), "--strategy", strategy, "--max-iters", str(max_iters)], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _model_child(pid: int, timeout: float = 120.0, not_pid: set | None = None) -> int:
    """The pid of the batch's llama.cpp child (a new one, if `not_pid` names the ones already killed)."""
    import psutil

    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        try:
            for c in psutil.Process(pid).children(recursive=True):
                if "llama_child" in " ".join(c.cmdline()) and c.pid not in (not_pid or set()) \
                        and c.status() != "zombie":
                    return c.pid
        except psutil.Error:
            pass
        time.sleep(0.2)
    raise RuntimeError("the batch's model process did not appear")


def _records(path: Path) -> list[dict]:
    return rows(path)


def kills(n: int = 16, jobs: int = 2, gap: float = 15.0, first_after: float = 20.0, strategy: str = "irg_hybrid",
          checkout: str | None = None) -> dict:
    cwd = Path(checkout) if checkout else ROOT
    tmp = Path(tempfile.mkdtemp(prefix="irg-kills-"))
    inp, out = tmp / "in.jsonl", tmp / "out.jsonl"
    inp.write_text("".join(json.dumps(r) + "\n" for r in _prompts(n)))
    t0 = time.monotonic()
    proc = _batch(inp, out, jobs, strategy, 3, cwd)
    err: list[str] = []
    reader = threading.Thread(target=lambda: err.extend(proc.stderr), daemon=True)
    reader.start()
    killed: set[int] = set()
    child = _model_child(proc.pid)
    time.sleep(first_after)  # requests are in flight by now
    for _ in range(2):
        child = _model_child(proc.pid, not_pid=killed)
        os.kill(child, signal.SIGKILL)
        killed.add(child)
        time.sleep(gap)
    rc = proc.wait()
    reader.join(5)
    seconds = time.monotonic() - t0
    rows = _records(out)
    resume = subprocess.run([sys.executable, "-m", "irg", "batch", "--in", str(inp), "--out", str(out), "--n-jobs",
                             str(jobs), "--strategy", strategy, "--max-iters", "3"], cwd=cwd, capture_output=True,
                            text=True)
    after = _records(out)
    last = {r["id"]: r for r in after}
    ok = [i for i, r in last.items() if "error" not in r and r.get("stop_reason") != "error"]
    return {"n": n, "n_jobs": jobs, "kills": 2, "gap_seconds": gap, "checkout": checkout or "this one",
            "exit_code": rc, "seconds": round(seconds, 1),
            "records_first_pass": len(rows),
            "errors_first_pass": sum("error" in r or r.get("stop_reason") == "error" for r in rows),
            "blamed_first_pass": sum(("error" in r or r.get("stop_reason") == "error") and not r.get("retry")
                                     for r in rows),
            "restarts_on_record": sum(r.get("restarts", 0) for r in rows),
            "runs_that_saw_a_restart": sum(bool(r.get("restarts")) for r in rows),
            "restart_causes": sorted({c for r in rows for c in r.get("restart_causes", [])}),
            "stderr_restart_lines": [x.strip() for x in err if x.startswith("model process ")],
            "resume_stderr": [x for x in resume.stderr.splitlines() if "to run" in x or "error" in x],
            "lines_done_after_resume": len(ok), "lines_lost": n - len(ok)}


def _throughput(rows: list[dict], seconds: float) -> float:
    return round(sum(r.get("tokens_total", 0) for r in rows) / seconds, 1)


def batches(n: int = 24, jobs: int = 2, strategy: str = "irg_hybrid", checkout: str | None = None) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="irg-batches-"))
    inp = tmp / "in.jsonl"
    inp.write_text("".join(json.dumps(r) + "\n" for r in _prompts(n)))

    def go(outs: list[Path]) -> list[dict]:
        t0 = time.monotonic()
        procs = [_batch(inp, o, jobs, strategy, 3, Path(checkout) if checkout else ROOT) for o in outs]
        errs, ends = [""] * len(procs), [0.0] * len(procs)

        def wait(i: int) -> None:
            errs[i] = procs[i].communicate()[1]
            ends[i] = time.monotonic() - t0  # all started together; each measured to its own end
        waiters = [threading.Thread(target=wait, args=(i,)) for i in range(len(procs))]
        for w in waiters:
            w.start()
        for w in waiters:
            w.join()
        res = []
        for o, p, e, secs in zip(outs, procs, errs, ends):
            rows = _records(o)
            res.append({"exit_code": p.returncode, "records": len(rows), "seconds": round(secs, 1),
                        "tokens": sum(r.get("tokens_total", 0) for r in rows), "tok_per_s": _throughput(rows, secs),
                        "switches": [x.strip() for x in e.splitlines() if "threads switched" in x],
                        "errors": sum("error" in r for r in rows)})
        return res

    alone = go([tmp / "alone.jsonl"])[0]
    both = go([tmp / "a.jsonl", tmp / "b.jsonl"])
    for b in both:
        b["share_of_alone"] = round(b["tok_per_s"] / alone["tok_per_s"], 3)
    return {"n": n, "n_jobs": jobs, "strategy": strategy, "checkout": checkout or "this one", "alone": alone,
            "together": both}


def hang() -> dict:
    from irg.engine.backends import GenRequest
    from irg.engine.backends.llama_process import PROBE_SECONDS, STALL_SECONDS
    from irg.engine.backends.llamacpp import ChatTokenizer, LlamaCppBackend
    from irg.engine.models import bundled_gguf, gguf_tokenizer_dir, resolve

    b = LlamaCppBackend(bundled_gguf(), ChatTokenizer(gguf_tokenizer_dir(resolve("bundled"))))
    try:
        b.generate(GenRequest([{"role": "user", "content": "Say hi."}], max_new_tokens=4))
        proc = b.engine.proc
        os.kill(proc.pid, signal.SIGSTOP)
        t0 = time.monotonic()
        g = b.generate(GenRequest([{"role": "user", "content": "Say hi."}], max_new_tokens=8))
        took = time.monotonic() - t0
        events = [r["event"] for r in b.engine.recoveries]
    finally:
        b.close()
    return {"stall_seconds": STALL_SECONDS, "probe_seconds": PROBE_SECONDS, "replaced_after_seconds": round(took, 1),
            "recoveries": events, "answer": g.text}


def measure(parts=PARTS, checkout: str | None = None) -> dict:
    """Each part's result; `checkout` (kills, batches) measures another checkout's batches, e.g. before a change."""
    out = {}
    for part in parts:
        out[part] = hang() if part == "hang" else {"kills": kills, "batches": batches}[part](checkout=checkout)
        print(json.dumps({part: out[part]}, indent=1), flush=True)
    return out
