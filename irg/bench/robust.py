"""Issue 20's measurements: `python -m irg.bench memory` and `python -m irg.bench boundary`.

memory    the app in a process of its own, driven through its API (gradio_client) by N sessions at once for R
          rounds; after each round the resident memory of the app process and of its model process. A run that
          keeps something per run (records, charts, caches, session state) shows as growth per round.
history   does greedy output depend on what the server ran before? (per size of llama.cpp's host prompt cache)
boundary  what the process boundary costs: first-token latency and decoding speed of llama.cpp in this process
          (inproc), in a child over pipes (pipe) and in a child over HTTP on a loopback port (http, the default),
          on the bundled model with the same greedy requests, one at a time.
"""
from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from irg.engine.backends import GenRequest
from irg.engine.backends.llamacpp import ChatTokenizer, LlamaCppBackend
from irg.engine.config import RunConfig
from irg.engine.decoding import DecodingConstraints
from irg.engine.jsonl import rows

ROOT = Path(__file__).resolve().parents[2]


# ---- memory ----------------------------------------------------------------------------------------------------------
def rss_mb(pid: int) -> float:
    import psutil

    return round(psutil.Process(pid).memory_info().rss / 2**20, 1)


def children_rss_mb(pid: int) -> float:
    import psutil

    return round(sum(c.memory_info().rss for c in psutil.Process(pid).children(recursive=True)) / 2**20, 1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(ports: list[int], timeout: float = 180.0) -> int:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        for p in ports:
            try:
                socket.create_connection(("127.0.0.1", p), timeout=1).close()
                return p
            except OSError:
                pass
        time.sleep(0.5)
    raise RuntimeError(f"the app did not listen on any of {ports} within {timeout:.0f} s")


def _prompts() -> list[str]:
    return [r["prompt"] for r in rows(ROOT / "assets" / "prompts" / "constraints_30.jsonl")]


def memory(rounds: int = 8, sessions: int = 8, strategy: str = "irg_hybrid", max_new: int = 128,
           checkout: str | None = None) -> dict:
    """App RSS after each round of `sessions` concurrent runs (each a session of its own), and the files the app keeps
    in its temporary folder (a TMPDIR of its own: our scratch folder and Gradio's cache) after each round and after
    it exits. `checkout`: run the app of another checkout (an earlier commit) with this one's measuring code."""
    import tempfile

    from gradio_client import Client

    port = _free_port()
    tmp = Path(tempfile.mkdtemp(prefix="irg-bench-tmp-"))
    env = {**os.environ, "GRADIO_SERVER_PORT": str(port), "GRADIO_ANALYTICS_ENABLED": "False", "TMPDIR": str(tmp)}
    kept = lambda: {"temp_entries": len(list(tmp.iterdir())),  # noqa: E731
                    "temp_files": sum(1 for p in tmp.rglob("*") if p.is_file())}
    app = subprocess.Popen([sys.executable, "app.py"], cwd=checkout or ROOT, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    try:
        port = _listening([port, 7860])  # checkouts before issue 20 ignore GRADIO_SERVER_PORT and take 7860
        url = f"http://127.0.0.1:{port}/"
        clients = [Client(url, verbose=False) for _ in range(sessions)]
        prompts = _prompts()
        rows = [{"round": 0, "app_mb": rss_mb(app.pid), "model_process_mb": children_rss_mb(app.pid), "errors": 0,
                 **kept()}]
        print(json.dumps(rows[-1]), flush=True)
        k = 0
        for r in range(1, rounds + 1):
            errors = []

            def one(client, prompt):
                try:
                    client.predict(prompt, None, "bundled", "off", strategy, "template", 3, "fixed", 1500, 0, "best",
                                   0.0, max_new, api_name="/start")
                except Exception as e:  # noqa: BLE001 — counted, the round goes on
                    errors.append(f"{type(e).__name__}: {e}")

            t0 = time.perf_counter()
            threads = []
            for c in clients:
                threads.append(threading.Thread(target=one, args=(c, prompts[k % len(prompts)])))
                k += 1
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            rows.append({"round": r, "app_mb": rss_mb(app.pid), "model_process_mb": children_rss_mb(app.pid),
                         "errors": len(errors), "seconds": round(time.perf_counter() - t0, 1), **kept()})
            print(json.dumps(rows[-1]), flush=True)
        late = rows[2:]  # growth after round 2 (the first rounds fill caches that are meant to be filled)
        per_round = (late[-1]["app_mb"] - late[0]["app_mb"]) / max(1, len(late) - 1) if len(late) > 1 else 0.0
        result = {"rounds": rows, "sessions": sessions, "strategy": strategy, "max_new_tokens": max_new,
                  "app_growth_mb_per_round_after_2": round(per_round, 2)}
    finally:
        app.terminate()  # SIGTERM, as a Space's stop: the app exits cleanly
        try:
            app.wait(timeout=20)
        except subprocess.TimeoutExpired:
            app.kill()
    time.sleep(1.0)
    result["after_exit"] = {**kept(), "left": sorted(p.name for p in tmp.iterdir())}
    return result


# ---- boundary --------------------------------------------------------------------------------------------------------
PROMPTS = ["Write a short story about a lighthouse keeper.", "Explain how bread rises, in a paragraph.",
           "Describe a market on a rainy morning.", "Give advice to someone starting to run."]


def boundary(runs: int = 5, new_tokens: int = 128, transports=("inproc", "pipe", "http")) -> list[dict]:
    """Median first-token latency (request sent -> first piece) and decoding speed for each transport. The
    transports take turns request by request, so a slow spell of the machine falls on all of them alike."""
    from irg.engine.models import bundled_gguf, gguf_tokenizer_dir, resolve

    tok = ChatTokenizer(gguf_tokenizer_dir(resolve("bundled")))
    backends, load = {}, {}
    for tr in transports:
        t = time.perf_counter()
        backends[tr] = LlamaCppBackend(bundled_gguf(), tok, transport=tr)
        load[tr] = time.perf_counter() - t
    firsts: dict = {tr: [] for tr in transports}
    speeds: dict = {tr: [] for tr in transports}
    try:
        for i in range(runs + 1):  # the first request of each warms its model up: not counted
            for tr in (transports if i % 2 else transports[::-1]):
                req = GenRequest([{"role": "user", "content": PROMPTS[i % len(PROMPTS)] + f" (take {i})"}],
                                 max_new_tokens=new_tokens, constraints=_ignore_eos())
                t0 = time.perf_counter()
                s = backends[tr].stream(req)
                first = None
                for _ in s:
                    first = first or time.perf_counter() - t0
                total = time.perf_counter() - t0
                if i:
                    firsts[tr].append(first * 1000)
                    speeds[tr].append((s.result.completion_tokens - 1) / max(1e-6, total - first))
    finally:
        for b in backends.values():
            b.close()
    out = [{"transport": tr, "load_seconds": round(load[tr], 2), "runs": runs, "new_tokens": new_tokens,
            "first_token_ms": round(statistics.median(firsts[tr]), 1),
            "first_token_ms_range": [round(min(firsts[tr]), 1), round(max(firsts[tr]), 1)],
            "tokens_per_second": round(statistics.median(speeds[tr]), 1),
            "tokens_per_second_range": [round(min(speeds[tr]), 1), round(max(speeds[tr]), 1)]} for tr in transports]
    for row in out:
        print(json.dumps(row), flush=True)
    return out


def _ignore_eos():
    """Every request writes exactly its token limit, so the speeds compare like with like."""
    return DecodingConstraints(min_new_tokens=10_000)


# ---- history ---------------------------------------------------------------------------------------------------------
def history(cache_mibs=(0, 64, 256, 8192), n: int = 10) -> list[dict]:
    """For each host-cache size: a server runs 16 irg_hybrid and 4 best-of-N runs of other prompts, 4 at a time;
    then the first n prompts' first drafts (greedy) from it and from a fresh server are compared."""
    from concurrent.futures import ThreadPoolExecutor

    from irg.engine.loop import draft_messages
    from irg.engine.models import bundled_gguf, gguf_tokenizer_dir, resolve
    from irg.engine.strategies import run

    tok = ChatTokenizer(gguf_tokenizer_dir(resolve("bundled")))
    prompts = _prompts()
    out = []
    for mib in cache_mibs:
        used, fresh = (LlamaCppBackend(bundled_gguf(), tok, cache_mib=mib),
                       LlamaCppBackend(bundled_gguf(), tok, cache_mib=mib))
        try:
            with ThreadPoolExecutor(4) as ex:
                list(ex.map(lambda p: list(run(p, used, RunConfig(strategy="irg_hybrid", max_iters=3,
                                                                  max_new_tokens=120))),
                            prompts[10:26]))
                list(ex.map(lambda p: list(run(p, used, RunConfig(strategy="best_of_n", max_iters=4,
                                                                  max_new_tokens=60))),
                            prompts[26:30]))
            differ = sum(fresh.generate(GenRequest(draft_messages(p, "general"), max_new_tokens=120)).text
                         != used.generate(GenRequest(draft_messages(p, "general"), max_new_tokens=120)).text
                         for p in prompts[:n])
        finally:
            used.close()
            fresh.close()
        out.append({"cache_mib": mib, "first_drafts_that_differ": differ, "of": n})
        print(json.dumps(out[-1]), flush=True)
    return out
