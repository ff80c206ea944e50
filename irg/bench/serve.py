"""The OpenAI-compatible endpoint measured as a client meets it: `python -m irg.bench serve [--out F]`.

Starts `python -m irg serve --port N` (the bundled model, no other flag) and speaks to it with the official openai
client. Four measurements:
- **same as the CLI**: each prompt and strategy through the client (not streamed, then streamed) and through
  `python -m irg "prompt" --json` in a process of its own: the final answer, the tokens, the iterations;
- **overhead**: the same run in this process (`strategies.run` on its own copy of the model) against the server's
  end-to-end time, and the server's time against its own loop's; the first streamed chunk, first event, first draft
  token and the answer's arrival;
- **8 clients at once**: eight prompts together (half streamed), each answer compared with that prompt's answer alone;
- **a client that goes away**: a run cut mid-way (streamed and not), and how long until its lane is free (/health).
One model job at a time: the server idles while the CLI or this process runs.
"""
from __future__ import annotations

import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

PROMPTS = "assets/prompts/constraints_30.jsonl"
STRATEGIES = ("single_pass", "irg_hybrid", "best_of_n")
LONG = "Write an essay of at least 400 words about the history of bridges, in five paragraphs."


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cli(prompt: str, strategy: str, budget: int) -> dict:
    """`python -m irg "prompt" --json` in its own process: its Final event and how many iterations it reported."""
    out = subprocess.run([sys.executable, "-m", "irg", prompt, "--strategy", strategy, "--budget", str(budget),
                          "--json"], capture_output=True, text=True, timeout=900)
    events = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    final = next((e for e in reversed(events) if e["type"] == "Final"), None)
    if final is None:
        raise RuntimeError(f"the CLI gave no final answer: {out.stderr[-400:]}")
    return {"answer": final["answer"], "tokens": final["tokens_total"],
            "iterations": sum(e["type"] == "IterationDone" for e in events)}


def _in_process(backend, prompt: str, strategy: str, budget: int) -> dict:
    from irg.engine.config import RunConfig
    from irg.engine.events import DraftToken, Final
    from irg.engine.strategies import run

    t0, first_event, first_token, final = time.perf_counter(), None, None, None
    for ev in run(prompt, backend, RunConfig(strategy=strategy, budget=budget)):
        now = time.perf_counter() - t0
        first_event = first_event if first_event is not None else now
        if isinstance(ev, DraftToken) and first_token is None:
            first_token = now
        if isinstance(ev, Final):
            final = ev
    return {"seconds": time.perf_counter() - t0, "first_event": first_event, "first_token": first_token,
            "answer": final.answer, "tokens": final.tokens_total}


def _streamed(client, prompt: str, strategy: str, budget: int) -> dict:
    t0 = time.perf_counter()
    seen: dict = {"content": "", "iterations": 0}
    for ch in client.chat.completions.create(model=strategy, messages=[{"role": "user", "content": prompt}],
                                             stream=True, stream_options={"include_usage": True},
                                             extra_body={"budget": budget}):
        now = time.perf_counter() - t0
        seen.setdefault("first_chunk", now)
        event = getattr(ch, "irg", None)
        if event:
            seen.setdefault("first_event", now)
            if event["type"] == "DraftToken":
                seen.setdefault("first_token", now)
            seen["iterations"] += event["type"] == "IterationDone"
        if ch.choices and ch.choices[0].delta.content:
            seen.setdefault("first_content", now)
            seen["content"] += ch.choices[0].delta.content
        if ch.usage:
            seen["tokens"] = ch.usage.total_tokens
    seen["seconds"] = time.perf_counter() - t0
    return seen


def _running(url: str) -> int:
    import httpx

    return httpx.get(f"{url}/health", timeout=5).json()["lanes"]["running"]


def _cut(url: str, port: int, stream: bool, after: float = 2.0) -> float:
    """A client that sends a long run and closes its connection `after` seconds into it: seconds until the lane is
    free."""
    body = json.dumps({"model": "irg_hybrid", "messages": [{"role": "user", "content": LONG}], "max_tokens": 512,
                       "stream": stream}).encode()
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    t = time.monotonic()
    while _running(url) == 0 and time.monotonic() - t < 30:
        time.sleep(0.05)
    time.sleep(after)
    sock.close()
    gone = time.monotonic()
    while _running(url) and time.monotonic() - gone < 30:
        time.sleep(0.02)
    return round(time.monotonic() - gone, 3)


def _median(xs):
    xs = [x for x in xs if x is not None]
    return round(statistics.median(xs), 3) if xs else None


def measure(n: int = 6, clients: int = 8, cuts: int = 4, budget: int = 1500, prompt_cache: bool = True) -> dict:
    """`prompt_cache` False: llama.cpp recomputes every prompt (IRG_LLAMACPP_PROMPT_CACHE=0, for the server, the CLI
    and this process). With the cache on (the default), greedy output can depend on what the process ran before."""
    import os

    import openai

    from irg.engine.jsonl import rows
    from irg.engine.models import get_backend
    from irg.views.serve import wait_ready

    os.environ["IRG_LLAMACPP_PROMPT_CACHE"] = "1" if prompt_cache else "0"  # the children inherit it
    prompts = [r["prompt"] for r in rows(Path(PROMPTS))]
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = Path(tempfile.mkdtemp()) / "serve.log"
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "irg", "serve", "--port", str(port)],
                            stdout=log.open("w"), stderr=subprocess.STDOUT)
    res: dict = {"command": f"python -m irg serve --port {port}", "budget": budget, "prompt_cache": prompt_cache}
    try:
        wait_ready(url, 300)
        res["startup_seconds"] = round(time.perf_counter() - t0, 1)
        client = openai.OpenAI(base_url=f"{url}/v1", api_key="none", max_retries=0, timeout=900)
        mine = get_backend("bundled")  # this process's own copy, for the in-process runs
        warm = "Say hello to a friend in one sentence."  # not measured: the first run of a process loads the reader
        _in_process(mine, warm, "single_pass", budget)
        client.chat.completions.create(model="single_pass", messages=[{"role": "user", "content": warm}])
        same = []
        for prompt in prompts[:n]:
            for strategy in STRATEGIES:
                here = _in_process(mine, prompt, strategy, budget)
                t = time.perf_counter()
                r = client.chat.completions.create(model=strategy, messages=[{"role": "user", "content": prompt}],
                                                   extra_body={"budget": budget})
                wall = time.perf_counter() - t
                s = _streamed(client, prompt, strategy, budget)
                cli = _cli(prompt, strategy, budget)
                same.append({"prompt": prompt, "strategy": strategy, "answer_equal_cli": r.choices[0].message.content
                             == cli["answer"], "tokens_equal_cli": r.usage.total_tokens == cli["tokens"],
                             "iterations_equal_cli": len(r.irg["iterations"]) == cli["iterations"],
                             "stream_equal": s["content"] == r.choices[0].message.content
                             and s.get("tokens") == r.usage.total_tokens and s["iterations"] == cli["iterations"],
                             "in_process_equal": here["answer"] == cli["answer"] and here["tokens"] == cli["tokens"],
                             "tokens": cli["tokens"], "iterations": cli["iterations"],
                             "server_seconds": round(wall, 3), "loop_seconds": r.irg["seconds"],
                             "in_process_seconds": round(here["seconds"], 3),
                             "in_process_first_event": here["first_event"],
                             "in_process_first_token": here["first_token"],
                             **{f"stream_{k}": round(v, 3) for k, v in s.items() if k.startswith(("first", "sec"))}})
                print(json.dumps(same[-1])[:300], flush=True)
        res["same"] = same
        res["summary"] = _summary(same)
        res["concurrent"] = _together(client, prompts[:clients], budget)
        print(json.dumps(res["concurrent"]["summary"]), flush=True)
        res["disconnect"] = {mode: [_cut(url, port, mode == "stream") for _ in range(cuts)]
                             for mode in ("stream", "not_stream")}
        print(json.dumps(res["disconnect"]), flush=True)
    finally:
        proc.terminate()
        proc.wait(30)
    return res


def _summary(same: list[dict]) -> dict:
    k = len(same)

    def share(key: str) -> str:
        return f"{sum(r[key] for r in same)}/{k}"
    over = [(r["server_seconds"] - r["in_process_seconds"]) / r["in_process_seconds"] for r in same]
    over_loop = [(r["server_seconds"] - r["loop_seconds"]) / r["loop_seconds"] for r in same if r["loop_seconds"]]
    return {"runs": k, "answer_equal_cli": share("answer_equal_cli"), "tokens_equal_cli": share("tokens_equal_cli"),
            "iterations_equal_cli": share("iterations_equal_cli"), "stream_equal": share("stream_equal"),
            "in_process_equal_cli": share("in_process_equal"),
            "overhead_vs_in_process_median": _median(over), "overhead_vs_own_loop_median": _median(over_loop),
            "overhead_vs_own_loop_max": round(max(over_loop), 4) if over_loop else None,
            "first_chunk_median_s": _median([r.get("stream_first_chunk") for r in same]),
            "first_event_median_s": _median([r.get("stream_first_event") for r in same]),
            "first_token_median_s": _median([r.get("stream_first_token") for r in same]),
            "in_process_first_token_median_s": _median([r["in_process_first_token"] for r in same]),
            "answer_arrives_median_s": _median([r.get("stream_first_content") for r in same])}


def _together(client, prompts: list[str], budget: int) -> dict:
    """Each prompt alone, then all at once (half of them streamed): is every answer that prompt's own?"""
    def ask(i: int) -> str:
        if i % 2:
            return _streamed(client, prompts[i], "irg_hybrid", budget)["content"]
        r = client.chat.completions.create(model="irg_hybrid", messages=[{"role": "user", "content": prompts[i]}],
                                           extra_body={"budget": budget})
        return r.choices[0].message.content
    t = time.perf_counter()
    alone = [ask(i) for i in range(len(prompts))]
    t_alone = time.perf_counter() - t
    t = time.perf_counter()
    with ThreadPoolExecutor(len(prompts)) as pool:
        together = list(pool.map(ask, range(len(prompts))))
    t_together = time.perf_counter() - t
    own = [a == alone[i] for i, a in enumerate(together)]
    crossed = [any(a == alone[j] and alone[j] != alone[i] for j in range(len(prompts)) if j != i)
               for i, a in enumerate(together)]
    return {"summary": {"clients": len(prompts), "same_as_alone": f"{sum(own)}/{len(own)}",
                        "another_clients_answer": sum(crossed), "seconds_one_by_one": round(t_alone, 1),
                        "seconds_together": round(t_together, 1)},
            "alone": alone, "together": together, "threads": threading.active_count()}


def add_parser(sub) -> None:
    p = sub.add_parser("serve", help="the OpenAI-compatible endpoint against the CLI and the in-process loop: "
                                     "answers, overhead, 8 clients, disconnects (issue 39)")
    p.add_argument("--n", type=int, default=6, help="prompts for the CLI comparison (x 3 strategies)")
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--cuts", type=int, default=4, help="disconnects per mode (streamed and not)")
    p.add_argument("--budget", type=int, default=1500)
    p.add_argument("--prompt-cache", default="on", choices=("on", "off"),
                   help="llama.cpp's prompt cache (off: every process recomputes every prompt; greedy output then "
                        "does not depend on earlier requests)")
    p.add_argument("--out", help="also write the result as JSON here")
    p.set_defaults(func=_main)


def _main(args) -> int:
    res = measure(args.n, args.clients, args.cuts, args.budget, args.prompt_cache == "on")
    print(json.dumps({k: res[k] for k in ("startup_seconds", "summary")}, indent=1))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(res, indent=1, ensure_ascii=False))
    return 0
