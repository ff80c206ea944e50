"""Runs strategies over a task suite and writes one JSON line per prompt and strategy.

`python -m irg.bench quality --suite S --strategies a,b,c --n N --budget B` (see irg/bench/cli.py).
Each line is the run's batch record (every iteration's draft, findings, plan, score and
cumulative tokens) plus the item's ground truth, so every metric can be recomputed from the
file alone. Resumable: (id, strategy) pairs already in the file are skipped. Every strategy
gets the same RunConfig but for its name, so budgets are matched. `workers` > 1 runs that many
at once on the shared model (llama.cpp batches them): tokens are unchanged, seconds are contended.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from irg.engine.config import RunConfig
from irg.engine.errors import retryable
from irg.engine.jsonl import append_line, field_values, repair_tail
from irg.engine.record import Recorder


def run_suite(items: list[dict], strategies: list[str], base: dict, out: Path, model: str = "bundled",
              backend: str = "auto", progress: bool = True, cancel=None, workers: int = 1,
              on_done=None) -> Path:
    from irg.engine.models import get_backend
    from irg.engine.strategies import run

    out.parent.mkdir(parents=True, exist_ok=True)
    if (torn := repair_tail(out)) is not None:
        print(torn, file=sys.stderr)
    done = field_values(out, "id", "strategy")
    todo = [(it, s) for it in items for s in strategies if (str(it["id"]), s) not in done]
    b = get_backend(model, backend=backend)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), desc=f"{len(items)} prompts × {len(strategies)} strategies", file=sys.stderr,
                   mininterval=5)
    lock, finished = threading.Lock(), [0]

    def one(it: dict, s: str, fh) -> None:
        if cancel is not None and cancel.is_set():
            return
        rec = Recorder(it["id"])
        t = time.perf_counter()
        try:
            for _ in rec.wrap(run(it["prompt"], b, RunConfig(**{**base, "strategy": s}))):
                pass
            row = rec.record
        except Exception as e:  # noqa: BLE001 — one bad item must not end a long run; it is recorded
            row = {"id": it["id"], "strategy": s, "error": f"{type(e).__name__}: {e}", "iterations": []}
            if retryable(e):  # not this prompt's doing: a resumed run runs it again
                row["retry"] = True
        row.update(strategy=s, task=it["task"], gold_constraints=it["gold_constraints"], answer=it["answer"],
                   reference=it["reference"], wall_seconds=round(time.perf_counter() - t, 3), backend=b.name,
                   workers=workers)
        with lock:
            append_line(fh, row)
            finished[0] += 1
            if bar is not None:
                bar.update(1)
            if on_done is not None:
                on_done(finished[0], len(todo))

    with open(out, "a", encoding="utf-8") as fh:
        if workers <= 1:
            for it, s in todo:
                one(it, s, fh)
        else:  # llama.cpp batches concurrent requests: more tokens per second in all, slower runs each
            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(lambda pair: one(*pair, fh), todo))
    if bar is not None:
        bar.close()
    return out


def background(argv: list[str], log: Path, module: str = "irg.bench") -> int:
    """Starts `python -m module argv` detached (it survives the terminal), without --background; returns its pid."""
    log.parent.mkdir(parents=True, exist_ok=True)
    args = [a for a in argv if a != "--background"]
    with open(log, "a") as fh:
        p = subprocess.Popen([sys.executable, "-m", module, *args], stdout=fh, stderr=subprocess.STDOUT,
                             start_new_session=True, env=os.environ.copy())
    return p.pid
