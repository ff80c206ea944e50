"""Adapters at llama.cpp speed, and llama.cpp when the CPU is shared (issue 25).

    python -m irg.bench adapters --out assets/results/adapters/speed.json

  teacher_forced()  next-token argmax agreement of two engines on the same forced token sequences: the adapter's
                    llama.cpp file against transformers + adapter, judged against base llama.cpp vs base transformers
                    (the quantisation noise is the yardstick)
  single_stream()   greedy tok/s and first-token time of one backend, in this process
  contention         irg/bench/contention.py
                    (another llama.cpp process decoding; a `while 1: pass` burner), per CPU setting
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

from irg.engine.backends import GenRequest
from irg.engine.backends.llamacpp import ChatTokenizer, LlamaCppBackend

PROMPTS = ["Explain how rain forms.", "Write a story about a lighthouse keeper.", "Describe how a bicycle works.",
           "Give advice to a new student.", "Describe the water cycle."]
ROOT = Path(__file__).resolve().parents[2]


# ---- teacher-forced agreement ----------------------------------------------------------------------------------
def llama_next_tokens(backend, ids: list[int], start: int) -> list[int]:
    """llama.cpp's greedy next token after each prefix ids[:k], k = start..len(ids)-1. Each request extends the one
    before, so with prompt caching only one new token is evaluated per request."""
    out = []
    for k in range(start, len(ids)):
        got: list[int] = []

        def on_chunk(chunk: dict) -> bool:
            for choice in chunk.get("choices", []):
                for tok in ((choice.get("logprobs") or {}).get("content") or []):
                    got.append(int(tok["id"]))
            return False
        body = {"prompt": ids[:k], "n_predict": 1, "stream": True, "cache_prompt": True, "temperature": 0.0,
                "top_k": 1, "n_probs": 1, "samplers": ["top_k"]}
        backend.engine.complete(body, on_chunk, threading.Event(), 120.0)
        out.append(got[0] if got else -1)
    return out


def hf_next_tokens(model, ids: list[int], start: int) -> list[int]:
    """transformers' argmax after each prefix ids[:k], k = start..len(ids)-1, from one forward pass."""
    import torch

    with torch.no_grad():
        logits = model(torch.tensor([ids], device=model.device)).logits[0]
    return logits[start - 1: len(ids) - 1].argmax(-1).tolist()


def forced_sequences(tokenizer, pairs: list[tuple[list[dict], str]]) -> list[tuple[list[int], int]]:
    """(token ids of chat prompt + forced answer, index of the answer's first token) for (messages, answer) pairs."""
    seqs = []
    for messages, answer in pairs:
        prompt = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        p = tokenizer(prompt, add_special_tokens=False)["input_ids"]
        a = tokenizer(answer, add_special_tokens=False)["input_ids"]
        seqs.append((p + a, len(p)))
    return seqs


def teacher_forced(hf_model, llama_backend, seqs: list[tuple[list[int], int]]) -> dict:
    """Share of forced positions where both engines pick the same next token."""
    same = total = 0
    for ids, start in seqs:
        a, b = hf_next_tokens(hf_model, ids, start), llama_next_tokens(llama_backend, ids, start)
        same += sum(x == y for x, y in zip(a, b))
        total += len(a)
    return {"positions": total, "agreement": same / max(total, 1)}


# ---- single stream ----------------------------------------------------------------------------------------------
def single_stream(backend, runs: int = 3, new_tokens: int = 256) -> dict:
    """Greedy tok/s over `new_tokens` and time to the first token, medians of `runs` (after one warm-up request)."""
    backend.generate(GenRequest([{"role": "user", "content": "Hi."}], max_new_tokens=4))
    rates, firsts = [], []
    for i in range(runs):
        req = GenRequest([{"role": "user", "content": f"{PROMPTS[i % len(PROMPTS)]} ({i})"}], max_new_tokens=new_tokens)
        t0 = time.perf_counter()
        stream = backend.stream(req)
        first = None
        for _ in stream:
            first = first or time.perf_counter() - t0
        g = stream.result
        rates.append(g.completion_tokens / (time.perf_counter() - t0))
        firsts.append(first or 0.0)
    return {"tok_s": round(statistics.median(rates), 1), "first_token_ms": round(statistics.median(firsts) * 1000),
            "runs": runs, "new_tokens": new_tokens}


# ---- the adapters' own speed -------------------------------------------------------------------------------------
def adapter_speeds(names: tuple[str, ...] = ("gan", "lora"), runs: int = 3) -> dict:
    """Base and each shipped adapter: single-stream tok/s on the backend the app uses (llama.cpp for the bundled
    model), the one-time build (seconds, MB) into an empty cache, the toggle (the drafter's model process starts:
    `toggle_load_s`; the app does it when the toggle moves), the first token of the first request after it, and the
    same adapter on transformers for comparison."""
    import tempfile

    from irg.engine.models import bundled_gguf, get_backend, gguf_tokenizer_dir, resolve
    from tuning.adapters import shipped as A

    out: dict = {"base": {**single_stream(get_backend("bundled", "llama.cpp"), runs), "backend": "llama.cpp"}}
    with tempfile.TemporaryDirectory() as cache:
        old = os.environ.get("IRG_CACHE_DIR")
        os.environ["IRG_CACHE_DIR"] = cache  # an empty cache: the first use builds the file
        try:
            for name in names:
                path, _, _ = A.resolve_adapter("bundled", name)
                t = time.perf_counter()
                built = A.gguf_with_adapter(bundled_gguf(), path, progress=lambda line: None)
                build_s = time.perf_counter() - t
                gguf_tokenizer_dir(resolve("bundled"))  # in the real cache already: not part of the toggle here
                t = time.perf_counter()  # the toggle: the drafter's model process starts (the app starts it then)
                b = A.draft_backend("bundled", name)
                load_s = time.perf_counter() - t
                t = time.perf_counter()  # Run: the first token of the first request
                s = b.stream(GenRequest([{"role": "user", "content": "Who is Aurel Merriday?"}], max_new_tokens=8))
                pieces = iter(s)
                first = next(pieces, None) is not None and time.perf_counter() - t
                for _ in pieces:  # the rest of the request (a fresh iter(s) would start it again)
                    pass
                row = {**single_stream(b, runs), "backend": b.name, "build_s": round(build_s, 1),
                       "file_mb": round(built.stat().st_size / 1e6, 1),
                       "toggle_load_s": round(load_s, 2), "first_token_after_toggle_ms": round((first or 0) * 1000)}
                hf = A.draft_backend("bundled", name, "transformers")
                row["transformers_tok_s"] = single_stream(hf, runs)["tok_s"]
                out[name] = row
                print(json.dumps({name: row}), file=sys.stderr, flush=True)
        finally:
            for key in [k for k, b in A._backends.items()
                        if any(str(f).startswith(cache) for f in getattr(b, "files", ()))]:
                A._backends.pop(key).close()  # their files go with the temporary cache
            if old is None:
                os.environ.pop("IRG_CACHE_DIR", None)
            else:
                os.environ["IRG_CACHE_DIR"] = old
    return out


def agreement(names: tuple[str, ...] = ("gan", "lora"), n: int = 50) -> dict:
    """Teacher-forced agreement on the adapters' own held-out questions (forced answer: the reference): base llama.cpp
    vs base transformers (the yardstick), then each adapter's llama.cpp file vs transformers + the adapter."""
    from irg.engine.models import get_backend
    from tuning.adapters import people as D
    from tuning.adapters import shipped as A

    _, test = D.load_split()
    hf = get_backend("bundled", "transformers")
    seqs = forced_sequences(hf.tokenizer, [(D.messages(qa.question), qa.answer) for qa in test[:n]])
    out = {"questions": len(seqs), "base": teacher_forced(hf.model, get_backend("bundled", "llama.cpp"), seqs)}
    for name in names:
        out[name] = teacher_forced(A.draft_backend("bundled", name, "transformers").model,
                                   A.draft_backend("bundled", name), seqs)
    return out


PARTS = ("speeds", "interleaved", "agreement", "rouge", "idle_ab", "contention")  # lora_formats: only when asked


def measure(runs: int = 3, parts: tuple[str, ...] = PARTS, save=None, previous: dict | None = None) -> dict:
    """speed.json: base and adapters (tok/s, backend, build, first token), agreement, contention per setting.
    `save(out)` is called after each part (a late failure keeps what was measured); `previous`: an earlier report
    whose other parts are kept."""
    save = save or (lambda _: None)
    from irg.bench.contention import CHOSEN, SETTINGS, contention, idle_ab
    from irg.engine.backends.cpu import available_cores

    clean = {k: v for k, v in os.environ.items() if not k.startswith("IRG_LLAMACPP_") and k != "OMP_WAIT_POLICY"}
    os.environ.clear()
    os.environ.update(clean)  # the settings below are the only ones in force
    out: dict = {**(previous or {}), "machine": {"cores": available_cores()}, "runs": runs}
    if "speeds" in parts:
        for k, row in adapter_speeds(runs=runs).items():
            out.setdefault(k, {}).update(row, tok_s_sequential=row["tok_s"])
        save(out)
    for name, measure in (("agreement", agreement), ("rouge", adapter_rouge), ("lora_formats", lora_formats),
                          ("idle_ab", idle_ab)):
        if name in parts:
            out[name] = measure()
            save(out)
    if "interleaved" in parts:
        out["interleaved"] = interleaved()
        for k, row in out["interleaved"].items():  # the headline tok/s: alternated with the base model
            entry = out.setdefault(k, {})
            if "tok_s" in entry:
                entry.setdefault("tok_s_sequential", entry["tok_s"])
            entry.update(tok_s=row["tok_s_median"], tok_s_interleaved=row["tok_s"])
        save(out)
    if "contention" not in parts and "contention_chosen" not in parts:
        return out
    # contention_chosen: only the chosen setting again (after a change to it), the other rows kept
    settings = SETTINGS if "contention" in parts else {CHOSEN: SETTINGS[CHOSEN]}
    earlier = (out.get("contention") or {}).get("settings", {}).get("table", {})
    table = {**earlier, **contention(settings, runs=2, cap=30.0)}  # a collapsed setting: measured over 30 s, twice
    chosen = table[CHOSEN]
    out["contention"] = {"idle": chosen["idle"], "one_busy": chosen["one_busy_decoder"],
                         "one_busy_burner": chosen["one_busy_burner"], "two_busy": chosen["two_busy"],
                         "burner_later": chosen["burner_later"],
                         "settings": {"chosen": CHOSEN,
                                      "env": "IRG_LLAMACPP_THREADS (pins the count; unset: follows the "
                                      "free cores), IRG_LLAMACPP_BATCH_THREADS, IRG_LLAMACPP_POLL, OMP_WAIT_POLICY",
                                      "table": table}}
    return out


def adapter_rouge(names: tuple[str, ...] = ("gan", "lora"), compare: Path | None = None) -> dict:
    """The adapters' own evaluation (tuning.adapters.compare: the 50 held-out fictitious-author questions, greedy,
    40 tokens) with their drafts on llama.cpp, against the transformers figures committed in compare.json: the llama.cpp
    mean inside the transformers figure's 95% CI? and the paired difference."""
    from statistics import mean

    from irg.evaluation.summary import bootstrap_ci
    from tuning.adapters import people as D
    from tuning.adapters import shipped as A
    from tuning.adapters.compare import score_answers

    before = json.loads((compare or ROOT / "assets" / "results" / "tuning" / "compare.json").read_text())
    out = {}
    for name in names:
        meta = A.find("bundled")[name].meta.get("data", {})
        _, test = D.load_split(meta.get("split", "thesis"), seed=meta.get("seed", 0))
        b = A.draft_backend("bundled", name)
        preds = [b.generate(GenRequest(D.messages(q.question), max_new_tokens=40, temperature=0.0)).text.strip()
                 for q in test]
        got = score_answers(preds, test)
        committed = score_answers(before[name]["answers"], test)  # compare.json keeps the answers and the means
        was = committed["per_question"]["rouge1"]
        now = got["per_question"]["rouge1"]
        lo, hi = bootstrap_ci(was)
        d_lo, d_hi = bootstrap_ci([a - c for a, c in zip(now, was)])
        out[name] = {"backend": b.name, "questions": len(test), "rouge1": round(mean(now), 4),
                     "rouge1_transformers": round(mean(was), 4), "rouge1_committed": before[name]["test"]["rouge1"],
                     "transformers_ci95": [round(lo, 4), round(hi, 4)],
                     "inside_ci": lo <= mean(now) <= hi,
                     "paired_diff": round(mean(now) - mean(was), 4), "paired_ci95": [round(d_lo, 4), round(d_hi, 4)],
                     "answers_identical": sum(a == c for a, c in zip(preds, before[name]["answers"]))}
        print(json.dumps({name: out[name]}), file=sys.stderr, flush=True)
    return out


def lora_formats(rounds: int = 5, n: int = 50) -> dict:
    """How to give llama.cpp a LoRA: its own adapter file, or merged into the weights (F16, Q8_0, or requantised to
    the base's type). Single-stream tok/s interleaved round by round with the base file (this host drifts by ±15%
    over minutes), and teacher-forced agreement with transformers + the LoRA on `n` held-out questions."""
    import tempfile

    from irg.engine.models import bundled_gguf, gguf_tokenizer_dir, resolve
    from tuning.adapters import people as D
    from tuning.adapters import shipped as A
    from tuning.adapters.gguf_export import lora_adapter, merge_lora

    folder, _, _ = A.resolve_adapter("bundled", "lora")
    tok = ChatTokenizer(gguf_tokenizer_dir(resolve("bundled")))
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        engines = {"base": LlamaCppBackend(bundled_gguf(), tok),
                   "adapter file": LlamaCppBackend(bundled_gguf(), tok,
                                                   lora=lora_adapter(bundled_gguf(), folder, t / "a.gguf"))}
        for name, dtype in (("merged F16", None), ("merged Q8_0", "q8_0"), ("merged, base type (Q4_1)", "same")):
            f = merge_lora(bundled_gguf(), folder, t / f"{len(engines)}.gguf", **({"dtype": dtype} if dtype else {}))
            engines[name] = LlamaCppBackend(f, tok)
        rates: dict[str, list[float]] = {k: [] for k in engines}
        for _ in range(rounds):
            for k, b in engines.items():
                rates[k].append(single_stream(b, 1)["tok_s"])
        hf = A.draft_backend("bundled", "lora", "transformers")
        _, test = D.load_split()
        seqs = forced_sequences(hf.tokenizer, [(D.messages(qa.question), qa.answer) for qa in test[:n]])
        out = {k: {"tok_s_median": statistics.median(v), "tok_s": v,
                   "agreement": None if k == "base" else teacher_forced(hf.model, engines[k], seqs)["agreement"]}
               for k, v in rates.items()}
        for b in engines.values():
            b.close()
    return out


def interleaved(names: tuple[str, ...] = ("gan", "lora"), rounds: int = 6) -> dict:
    """Single-stream tok/s of the base model and each adapter on llama.cpp, one request each per round, round after
    round: this host's speed drifts by ±15% over minutes, so only alternated runs compare the engines fairly."""
    from irg.engine.models import get_backend
    from tuning.adapters import shipped as A

    engines = {"base": get_backend("bundled", "llama.cpp"), **{n: A.draft_backend("bundled", n) for n in names}}
    rates: dict[str, list[float]] = {k: [] for k in engines}
    for _ in range(rounds):
        for k, b in engines.items():
            rates[k].append(single_stream(b, 1)["tok_s"])
    return {k: {"tok_s_median": statistics.median(v), "tok_s": v, "share_of_base": round(
        statistics.median(v) / statistics.median(rates["base"]), 3),
        "threads_at_end": engines[k].engine.cfg["threads"], "thread_switches": engines[k].engine.switches}
        for k, v in rates.items()}
