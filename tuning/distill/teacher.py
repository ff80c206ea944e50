"""Distillation, stages 2 and 3 — the teacher and the three datasets made from what it wrote.

Stage 2 writes a worked solution for every train problem. Offline the teacher is the IRG loop itself on the
bundled model: irg_hybrid with the gold answer as one more rule (FinalAnswer), so a wrong answer gets another pass
whose plan names the right result (STaR's rationalization) and the arithmetic rules flag every wrong step. Online
any model can teach; an encoder–decoder model (flan-t5) writes one chain of thought per problem (no IRG loop: the
engine's backends are decoder-only). Solutions are appended to teacher.jsonl as they finish, so a killed run resumes.

Stage 3 turns the teacher's drafts into the students' training sets (baseline / cot / feedback). It lives beside
the teacher because it reads nothing but the teacher's records; the students only read the datasets it returns.
"""
from __future__ import annotations

import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

from irg.engine.answers import final_answer
from irg.engine.config import RunConfig
from irg.engine.constraints import FinalAnswer, extract_all
from irg.engine.models import get_backend
from irg.engine.record import Recorder
from irg.engine.strategies import run
from tuning.distill.feedback import feedback
from tuning.distill.models import generate, is_seq2seq, load_model
from tuning.distill.problems import VARIANTS, DistillConfig, _jsonl


# ---- 2. the teacher ---------------------------------------------------------------------------------
def teach_irg(item: dict, backend, cfg: DistillConfig) -> dict:
    """One problem through the IRG loop with the gold answer as a rule; every draft is kept."""
    rc = RunConfig(strategy="irg_hybrid", max_iters=cfg.teacher_iters, temperature=cfg.teacher_temperature,
                   seed=cfg.seed, include_previous_draft=not cfg.teacher_fresh)
    rules = extract_all(item["prompt"]) + [FinalAnswer(item["answer"], hint=cfg.teacher_hint)]
    rec = Recorder(item["id"])
    for _ in rec.wrap(run(item["prompt"], backend, rc, constraints=rules, task="math")):
        pass
    r = rec.record
    return {**item, "rationale": r["final"], "teacher_answer": final_answer(r["final"] or ""),
            "drafts": [it["draft"] for it in r["iterations"]], "iterations": len(r["iterations"]),
            "tokens": r["tokens_total"], "seconds": r["seconds"], "stop_reason": r["stop_reason"]}


def teach_direct(items: list[dict], model, tok, cfg: DistillConfig) -> list[dict]:
    """A teacher without the loop (e.g. flan-t5-large): one greedy chain of thought per problem."""
    t0 = time.perf_counter()
    texts = generate(model, tok, [it["prompt"] for it in items], cfg.max_new_tokens)
    sec = (time.perf_counter() - t0) / max(1, len(items))
    return [{**it, "rationale": t, "teacher_answer": final_answer(t), "drafts": [t], "iterations": 1,
             "tokens": None, "seconds": sec, "stop_reason": "single_pass"} for it, t in zip(items, texts)]


def teacher(train: list[dict], cfg: DistillConfig, path: Path, progress: bool = True) -> list[dict]:
    """Worked solutions for the train problems, appended to `path` as they finish (resumable)."""
    done = {r["id"]: r for r in _jsonl(path)}
    todo = [it for it in train if it["id"] not in done]
    if todo:
        path.parent.mkdir(parents=True, exist_ok=True)
        if is_seq2seq(cfg.teacher):
            model = load_model(cfg.teacher)
            for r in teach_direct(todo, model.model, model.tok, cfg):
                done[r["id"]] = r
                with open(path, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(r) + "\n")
        else:
            backend = get_backend(cfg.teacher)
            lock = threading.Lock()
            bar = None
            if progress:
                from tqdm import tqdm

                bar = tqdm(total=len(todo), desc="teacher", file=sys.stderr, mininterval=10)

            def one(it):
                r = teach_irg(it, backend, cfg)
                with lock:
                    done[r["id"]] = r
                    with open(path, "a", encoding="utf-8") as fh:
                        fh.write(json.dumps(r) + "\n")
                    if bar:
                        bar.update(1)
            with ThreadPoolExecutor(cfg.teacher_workers) as pool:
                list(pool.map(one, todo))
            if bar:
                bar.close()
    return [done[it["id"]] for it in train]


# ---- 3. the three datasets --------------------------------------------------------------------------
def datasets(taught: list[dict]) -> tuple[dict[str, list[dict]], list[dict]]:
    """{"baseline" | "cot" | "feedback": [{"id", "prompt", "answer", "target"}]} and the feedback log per problem."""
    out = {v: [] for v in VARIANTS}
    log = []
    for r in taught:
        base = {"id": r["id"], "prompt": r["prompt"], "answer": r["answer"]}
        out["baseline"].append({**base, "target": f"The answer is {r['answer']}."})
        if (r.get("rationale") or "").strip():
            out["cot"].append({**base, "target": r["rationale"].strip()})
        # the final answer first, then the other drafts: the shortest one the module accepts
        tried = [fb for d in dict.fromkeys([r.get("rationale") or "", *r.get("drafts", [])]) if d.strip()
                 for fb in [feedback(d, r["answer"])]]
        ok = [fb for fb in tried if fb.rationale]
        best = min(ok, key=lambda fb: len(fb.rationale)) if ok else None
        if best:
            out["feedback"].append({**base, "target": best.rationale})
        first = tried[0] if tried else None
        log.append({"id": r["id"], "accepted": best is not None,
                    "from_final": bool(first and first.rationale and best is not None
                                       and best.rationale == first.rationale),
                    "changes": [asdict(c) for c in best.changes] if best else [],
                    "reason": "" if best else (first.reason if first else "no rationale")})
    return out, log
