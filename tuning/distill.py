"""Distillation with feedback: teach a small student to do in one pass what a teacher does in many.

    python -m tuning.distill --out runs/distill            # teacher, datasets, three students, table
    python -m tuning.distill --data ../shared/data/gsm8k_train_500.jsonl --out runs/distill-gsm8k

Stages (each resumable, each writes into --out):
  1. problems   train / validation / test: the maths generator (test = the evaluation issue's test split,
                validation = its dev split, train = other problems from another seed), or a GSM8K-format file
                split by a hash of each question.
  2. teacher    for every train problem a worked solution. Offline the teacher is the IRG loop itself on the
                bundled model: irg_hybrid with the answer key as one more rule (FinalAnswer), so a wrong answer
                gets another pass whose plan names the right result (STaR's rationalization) and the arithmetic
                rules flag every wrong step. Online any model can teach; an encoder–decoder model (flan-t5)
                writes one chain of thought per problem (no IRG loop: the engine's backends are decoder-only).
  3. datasets   baseline  "The answer is N." only
                cot       the teacher's final answer as it wrote it
                feedback  the teacher's drafts through tuning.feedback (steps recomputed and repaired, repeats and
                          commentary dropped, wrong or unsupported final answers rejected), the shortest that passes
  4. students   LoRA (peft) on the same student model, the same problems offered, the same optimiser steps
  5. table      accuracy on train / validation / test for base and the three students (greedy, one pass,
                the engine's draft prompt), with bootstrap CIs and paired sign tests against base; rationale
                lengths, training time, peak RSS; plotly loss curves.

Why one file of ~600 lines: the five stages are one resumable pipeline read top to bottom, each a short
section sharing the run folder's layout; splitting it (teacher / student / report) is listed in ARCHITECTURE.md
as the next cut.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from irg.engine import paths

VARIANTS = ("baseline", "cot", "feedback")
ROOT = paths.ROOT


@dataclass
class DistillConfig:
    teacher: str = "bundled"
    student: str = "bundled"
    data: str = "maths"  # the maths generator, or a GSM8K-format JSONL file
    n_train: int = 240
    n_val: int = 50
    n_test: int = 100
    n_train_eval: int = 50  # train problems the students are scored on (a subset: scoring is the slow part)
    teacher_iters: int = 6
    teacher_hint: bool = False  # the answer key's value in the revision plan (rationalization; the 135M model parrots it)
    teacher_temperature: float = 0.7  # each pass samples: more different attempts for the feedback module to check
    teacher_fresh: bool = True  # each revision re-solves with the plan, not by editing the previous draft
    teacher_workers: int = 4
    steps: int = 150  # optimiser steps, the same for every variant
    batch_size: int = 4
    lr: float = 5e-4
    lora_r: int = 16
    lora_alpha: int = 32
    max_target_tokens: int = 256  # longer teacher solutions are cut (and then end without a final line)
    max_new_tokens: int = 256  # when scoring: the engine's draft length
    seed: int = 0

    def __post_init__(self):
        for name in ("n_train", "n_val", "n_test", "teacher_iters", "teacher_workers", "batch_size", "lora_r",
                     "max_target_tokens", "max_new_tokens"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name.replace('_', ' ')} must be at least 1 (got {getattr(self, name)}).")
        if self.steps < 0 or self.n_train_eval < 0:
            raise ValueError("steps and n_train_eval cannot be negative.")
        if self.lr <= 0:
            raise ValueError(f"The learning rate must be positive (got {self.lr}).")
        if self.data != "maths" and not Path(self.data).is_file():
            raise ValueError(f"--data must be 'maths' or a GSM8K-format JSONL file; '{self.data}' is not a file.")

    def to_dict(self) -> dict:
        return asdict(self)


# ---- 1. problems ----------------------------------------------------------------------------------
def _hash_split(text: str) -> str:
    h = int(hashlib.md5(text.encode()).hexdigest(), 16) % 10
    return "val" if h == 0 else "test" if h in (1, 2) else "train"


def problems(cfg: DistillConfig) -> dict[str, list[dict]]:
    """{"train", "val", "test"}: items {"id", "prompt", "answer"}; no prompt is in two splits."""
    from irg.evaluation.suites import maths

    if cfg.data == "maths":
        test = maths.generate(cfg.n_test, 0, "test")
        val = maths.generate(cfg.n_val, 0, "dev")
        held = {r["prompt"] for r in maths.generate(max(500, cfg.n_test), 0, "test") + maths.generate(max(200, cfg.n_val), 0, "dev")}
        pool = [r for r in maths.generate(cfg.n_train + 2 * len(held) // 5 + 50, 1, "test") if r["prompt"] not in held]
        train = [{**r, "id": f"m-train-{i:04d}"} for i, r in enumerate(pool[: cfg.n_train])]
        if len(train) < cfg.n_train:
            raise ValueError(f"Could only draw {len(train)} training problems; ask for fewer.")
        out = {"train": train, "val": val, "test": test}
    else:
        rows = maths.load_gsm8k(cfg.data)
        out = {"train": [], "val": [], "test": []}
        for r in rows:
            out[_hash_split(r["prompt"])].append(r)
        out = {"train": out["train"][: cfg.n_train], "val": out["val"][: cfg.n_val], "test": out["test"][: cfg.n_test]}
    return {k: [{"id": r["id"], "prompt": r["prompt"], "answer": str(r["answer"]), "template": r.get("template", "")}
                for r in v] for k, v in out.items()}


# ---- 2. the teacher ---------------------------------------------------------------------------------
def _jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a line cut by a kill: that problem is taught again
    return out


def teach_irg(item: dict, backend, cfg: DistillConfig) -> dict:
    """One problem through the IRG loop with the answer key as a rule; every draft is kept."""
    from irg.engine.analyze import final_answer
    from irg.engine.config import RunConfig
    from irg.engine.constraints import FinalAnswer, extract_all
    from irg.engine.record import Recorder
    from irg.engine.strategies import run

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
    from irg.engine.analyze import final_answer

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
            from irg.engine.models import get_backend

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


# ---- models: decoder-only and encoder–decoder alike ---------------------------------------------------
@dataclass
class Loaded:
    model: object
    tok: object
    seq2seq: bool


def is_seq2seq(name: str) -> bool:
    if name == "bundled":
        return False
    from transformers import AutoConfig

    try:
        return bool(AutoConfig.from_pretrained(name).is_encoder_decoder)
    except (OSError, ValueError):
        return False  # irg.engine.models says why it cannot be loaded, in one sentence


def load_model(name: str) -> Loaded:
    """The bundled model (transformers copy of the GGUF), a hub id or a local folder; T5-style models too."""
    if is_seq2seq(name):
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        from irg.engine.models import ModelError

        try:
            return Loaded(AutoModelForSeq2SeqLM.from_pretrained(name).eval(), AutoTokenizer.from_pretrained(name), True)
        except OSError as e:
            raise ModelError(f"The model '{name}' could not be loaded: {str(e).splitlines()[0]}") from e
    from irg.engine.models import load_hf

    model, tok = load_hf(name)
    return Loaded(model.eval(), tok, False)


def source_text(prompt: str) -> str:
    from irg.engine.analyze import MATH_HINT

    return f"{prompt}\n\n{MATH_HINT}"


def source_ids(tok, prompt: str, seq2seq: bool) -> list[int]:
    """What the student reads: the engine's own draft prompt (so a trained student drops into the app as is)."""
    if seq2seq or not getattr(tok, "chat_template", None):
        return tok.encode(source_text(prompt), add_special_tokens=seq2seq)
    from irg.engine.loop import draft_messages
    from tuning.train import chat_ids

    return chat_ids(tok, draft_messages(prompt, "math"))


def target_ids(tok, text: str, seq2seq: bool, limit: int) -> list[int]:
    from tuning.train import eos_id

    ids = tok.encode(text, add_special_tokens=False)[:limit]
    return ids + [tok.eos_token_id if seq2seq else eos_id(tok)]


def generate(model, tok, prompts: list[str], max_new_tokens: int, seq2seq: bool | None = None, batch: int = 16) -> list[str]:
    """Greedy answers, batched."""
    import torch

    from tuning import train as T

    seq2seq = bool(getattr(model.config, "is_encoder_decoder", False)) if seq2seq is None else seq2seq
    if not seq2seq:
        ids = T.generate(model, tok, [source_ids(tok, p, False) for p in prompts], max_new_tokens, sample=False, batch=batch)
        return [tok.decode(x, skip_special_tokens=True).strip() for x in ids]
    out = []
    with torch.no_grad():
        for k in range(0, len(prompts), batch):
            enc = tok([source_text(p) for p in prompts[k: k + batch]], return_tensors="pt", padding=True).to(T.device_of(model))
            gen = model.generate(**enc, max_new_tokens=max_new_tokens, do_sample=False)
            out += [t.strip() for t in tok.batch_decode(gen, skip_special_tokens=True)]
    return out


# ---- 3. the three datasets --------------------------------------------------------------------------
def datasets(taught: list[dict]) -> tuple[dict[str, list[dict]], list[dict]]:
    """{"baseline" | "cot" | "feedback": [{"id", "prompt", "answer", "target"}]} and the feedback log per problem."""
    from tuning.feedback import feedback

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
                    "from_final": bool(first and first.rationale and best is not None and best.rationale == first.rationale),
                    "changes": [asdict(c) for c in best.changes] if best else [],
                    "reason": "" if best else (first.reason if first else "no rationale")})
    return out, log


# ---- 4. the students ----------------------------------------------------------------------------------
def train_student(model, tok, seq2seq: bool, examples: list[dict], cfg: DistillConfig, on_log=None):
    """LoRA on every linear layer, mean token NLL of the targets; returns (peft model, loss log).
    Every variant gets `cfg.steps` optimiser steps of `cfg.batch_size` examples, drawn in shuffled epochs."""
    import torch
    from peft import LoraConfig, get_peft_model

    from tuning import train as T

    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    for p in model.parameters():
        p.requires_grad_(False)
    lcfg = LoraConfig(r=cfg.lora_r, lora_alpha=cfg.lora_alpha, lora_dropout=0.0, target_modules="all-linear",
                      task_type="SEQ_2_SEQ_LM" if seq2seq else "CAUSAL_LM")
    model = get_peft_model(model, lcfg)
    src = [source_ids(tok, e["prompt"], seq2seq) for e in examples]
    tgt = [target_ids(tok, e["target"], seq2seq, cfg.max_target_tokens) for e in examples]
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=cfg.lr)
    order: list[int] = []
    log = []
    model.train()
    pad = T.pad_id(tok)
    for step in range(1, cfg.steps + 1):
        if not examples:
            break
        idx = []
        while len(idx) < min(cfg.batch_size, len(examples)):
            if not order:
                order = rng.sample(range(len(examples)), len(examples))
            idx.append(order.pop())
        opt.zero_grad()
        n_tok = sum(len(tgt[i]) for i in idx)
        if seq2seq:
            enc = tok.pad({"input_ids": [src[i] for i in idx]}, return_tensors="pt").to(T.device_of(model))
            width = max(len(tgt[i]) for i in idx)
            labels = torch.tensor([tgt[i] + [-100] * (width - len(tgt[i])) for i in idx], device=T.device_of(model))
            out = model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"], labels=labels)
            loss = out.loss  # already the mean over target tokens
            loss.backward()
            value = loss.item()
        else:
            def loss_of(sub):
                lp, _ = T.batch_logprobs(model, [src[idx[j]] for j in sub], [tgt[idx[j]] for j in sub], pad)
                return -lp.sum() / n_tok * len(idx) / len(sub)
            value = T.backward_in_chunks(loss_of, len(idx), T.CHUNK)
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        log.append({"step": step, "loss": round(value, 5)})
        if on_log and (step % 10 == 0 or step == cfg.steps):
            on_log(log[-1])
    model.eval()
    return model, log


def score(model, tok, seq2seq: bool, items: list[dict], cfg: DistillConfig) -> list[dict]:
    """One greedy pass per problem with the engine's draft prompt; exact match of the final answer."""
    from irg.evaluation.summary import exact_match

    texts = generate(model, tok, [it["prompt"] for it in items], cfg.max_new_tokens, seq2seq)
    return [{"id": it["id"], "correct": int(exact_match(t, it["answer"])), "tokens": len(tok.encode(t, add_special_tokens=False)),
             "text": t} for it, t in zip(items, texts)]


def run_student(variant: str, out: Path, cfg: DistillConfig) -> dict:
    """Train one variant (or none: "base") and score it on the three splits. Run in its own process by main()."""
    from tuning.train import peak_rss_mb

    splits = json.loads((out / "problems.json").read_text())
    loaded = load_model(cfg.student)
    model, log, seconds = loaded.model, [], 0.0
    examples = json.loads((out / "datasets.json").read_text())[variant] if variant != "base" else []
    if variant != "base":
        t0 = time.perf_counter()
        model, log = train_student(model, loaded.tok, loaded.seq2seq, examples, cfg,
                                   on_log=lambda r: print(f"[{variant}] step {r['step']} loss {r['loss']:.3f}", file=sys.stderr, flush=True))
        seconds = time.perf_counter() - t0
        model.save_pretrained(out / "students" / variant)
        model = model.merge_and_unload()  # scored at the base model's speed
    lengths = [len(loaded.tok.encode(e["target"], add_special_tokens=False)) for e in examples]
    result = {"variant": variant, "train_examples": len(examples), "train_seconds": round(seconds, 1), "loss": log,
              "target_tokens_mean": round(sum(lengths) / len(lengths), 1) if lengths else None, "scores": {}}
    for split in ("train", "val", "test"):
        items = splits[split][: cfg.n_train_eval] if split == "train" else splits[split]
        result["scores"][split] = score(model, loaded.tok, loaded.seq2seq, items, cfg)
        print(f"[{variant}] {split}: {sum(r['correct'] for r in result['scores'][split])}/{len(items)}", file=sys.stderr, flush=True)
    result["peak_rss_mb"] = peak_rss_mb()
    (out / "students").mkdir(parents=True, exist_ok=True)
    (out / "students" / f"{variant}.json").write_text(json.dumps(result))
    return result


# ---- 5. the table --------------------------------------------------------------------------------------
def paired(a: list[int], b: list[int], seed: int = 0) -> dict:
    """Variant minus base on the same problems: mean difference, bootstrap 95% CI, exact sign test."""
    from irg.evaluation.summary import bootstrap_ci, sign_test

    d = [x - y for x, y in zip(a, b)]
    wins, losses = sum(x > 0 for x in d), sum(x < 0 for x in d)
    lo, hi = bootstrap_ci(d, seed=seed)
    return {"n": len(d), "diff": round(sum(d) / len(d), 4) if d else None, "ci": [round(lo, 4), round(hi, 4)],
            "wins": wins, "losses": losses, "p_sign_test": round(sign_test(wins, losses), 4)}


def summarise(out: Path, cfg: DistillConfig) -> dict:
    from irg.evaluation.summary import bootstrap_ci

    taught = _jsonl(out / "teacher.jsonl")
    fb_log = _jsonl(out / "feedback_log.jsonl")
    results = {v: json.loads((out / "students" / f"{v}.json").read_text()) for v in ("base", *VARIANTS)
               if (out / "students" / f"{v}.json").exists()}
    actions: dict[str, int] = {}
    for r in fb_log:
        for c in r["changes"]:
            actions[c["action"]] = actions.get(c["action"], 0) + 1
    reasons: dict[str, int] = {}
    for r in fb_log:
        if not r["accepted"]:
            key = r["reason"].split(":")[0].split(" ")[0:2]
            reasons[" ".join(key)] = reasons.get(" ".join(key), 0) + 1
    n = max(1, len(taught))
    summary = {"config": cfg.to_dict(),
               "teacher": {"problems": len(taught),
                           "final_answer_correct": round(sum(r["teacher_answer"] == r["answer"] for r in taught) / n, 4),
                           "mean_iterations": round(sum(r["iterations"] for r in taught) / n, 2),
                           "mean_tokens": round(sum(r["tokens"] or 0 for r in taught) / n, 1),
                           "mean_seconds": round(sum(r["seconds"] or 0 for r in taught) / n, 2)},
               "feedback": {"accepted": sum(r["accepted"] for r in fb_log), "of": len(fb_log),
                            "accepted_from_final_answer": sum(r["from_final"] for r in fb_log),
                            "changes": actions, "rejected_because": reasons},
               "models": {}}
    # A separate peak-memory measurement, if one was made (runs before VmHWM was used inherited the parent's peak)
    rss_file = out / "peak_rss.jsonl"
    rss = {r["variant"]: r["peak_rss_mb"] for r in _jsonl(rss_file)}
    summary["peak_rss_source"] = (f"{rss_file.name}: a fresh process per model, 30 training steps + scoring 16 problems"
                                  if rss else "each student's own process (VmHWM)")
    base = results.get("base")
    templates = {r["id"]: r.get("template", "") for split in problems(cfg).values() for r in split}
    for v, r in results.items():
        row = {"train_examples": r["train_examples"], "train_seconds": r["train_seconds"], "peak_rss_mb": rss.get(v, r["peak_rss_mb"]),
               "target_tokens_mean": r["target_tokens_mean"], "final_loss": r["loss"][-1]["loss"] if r["loss"] else None}
        for split, sc in r["scores"].items():
            vals = [x["correct"] for x in sc]
            lo, hi = bootstrap_ci(vals)
            row[split] = {"n": len(vals), "accuracy": round(sum(vals) / max(1, len(vals)), 4), "ci": [round(lo, 4), round(hi, 4)]}
            if base is not None and v != "base":
                row[split]["vs_base"] = paired(vals, [x["correct"] for x in base["scores"][split]])
        row["generated_tokens_mean_test"] = round(sum(x["tokens"] for x in r["scores"]["test"]) / max(1, len(r["scores"]["test"])), 1)
        by_t: dict[str, list[int]] = {}
        for x in r["scores"]["test"]:
            by_t.setdefault(templates.get(x["id"], ""), []).append(x["correct"])
        row["test_by_template"] = {t: f"{sum(c)}/{len(c)}" for t, c in sorted(by_t.items())}
        summary["models"][v] = row
    return summary


def markdown(s: dict, command: str) -> str:
    def acc(cell):
        return f"{cell['accuracy']:.1%} [{cell['ci'][0]:.1%}, {cell['ci'][1]:.1%}]"

    def delta(cell):
        d = cell.get("vs_base")
        return "—" if not d else f"{d['diff']:+.1%} [{d['ci'][0]:+.1%}, {d['ci'][1]:+.1%}], p={d['p_sign_test']:.2g}"

    names = {"base": "base model (no training)", "baseline": "baseline student (answers only)",
             "cot": "CoT student (teacher rationales)", "feedback": "feedback student (checked rationales)"}
    t, f, cfg = s["teacher"], s["feedback"], s["config"]
    ms = s["models"]
    any_row = next(iter(ms.values()), None)
    n = {k: any_row[k]["n"] for k in ("train", "val", "test")} if any_row else {}
    lines = [f"# Distillation with feedback — {cfg['student']} student, teacher: IRG loop on {cfg['teacher']}", "",
             f"Command: `{command}`", "",
             f"Accuracy of one greedy pass (exact final answer), n = {n.get('train')} train / {n.get('val')} validation / "
             f"{n.get('test')} test problems, bootstrap 95% CIs; Δ is paired against the base model on the same problems "
             "(sign test on the discordant ones).", "",
             "| model | train | validation | test | Δ test vs base | training examples | mean target tokens | "
             "mean generated tokens (test) | training time | peak RSS |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for v in ("base", *VARIANTS):
        if v not in ms:
            continue
        r = ms[v]
        lines.append(f"| {names[v]} | {acc(r['train'])} | {acc(r['val'])} | {acc(r['test'])} | {delta(r['test'])} | "
                     f"{r['train_examples'] or '—'} | {r['target_tokens_mean'] or '—'} | {r['generated_tokens_mean_test']} | "
                     f"{r['train_seconds']:.0f} s | {r['peak_rss_mb'] / 1024:.2f} GB |")
    lines += ["", f"Teacher: {t['problems']} training problems, final answer right on {t['final_answer_correct']:.1%} "
              f"(with the answer key as a rule), {t['mean_iterations']} iterations and {t['mean_tokens']:.0f} tokens "
              f"({t['mean_seconds']:.1f} s) per problem.",
              f"Feedback module: accepted {f['accepted']} of {f['of']} problems ({f['accepted_from_final_answer']} from the "
              f"teacher's final answer, the rest from an earlier draft); changes in the accepted rationales: "
              + (", ".join(f"{k} {v}" for k, v in sorted(f["changes"].items())) or "none")
              + "; rejected because: " + (", ".join(f"{k} {v}" for k, v in sorted(f["rejected_because"].items(), key=lambda kv: -kv[1])) or "—") + ".",
              f"Every student: LoRA r={cfg['lora_r']} on every linear layer, {cfg['steps']} steps × {cfg['batch_size']} examples, "
              f"lr {cfg['lr']}, the engine's draft prompt as input. Peak RSS: {s.get('peak_rss_source', '')}."]
    tmpl = sorted({t for r in ms.values() for t in r.get("test_by_template", {})})
    if any(tmpl):
        lines += ["", "Test problems solved, by problem template:", "",
                  "| model | " + " | ".join(tmpl) + " |", "|---|" + "---|" * len(tmpl)]
        for v in ("base", *VARIANTS):
            if v in ms:
                lines.append(f"| {v} | " + " | ".join(ms[v]["test_by_template"].get(t, "—") for t in tmpl) + " |")
    return "\n".join(lines) + "\n"


def loss_figure(s_out: Path):
    import plotly.graph_objects as go

    fig = go.Figure()
    for v in VARIANTS:
        p = s_out / "students" / f"{v}.json"
        if p.exists():
            log = json.loads(p.read_text())["loss"]
            fig.add_trace(go.Scatter(x=[r["step"] for r in log], y=[r["loss"] for r in log], mode="lines", name=v))
    fig.update_layout(title="Student training loss (mean token NLL of the targets)", xaxis_title="optimiser step",
                      yaxis_title="loss", template="plotly_white")
    return fig


# ---- shipping the student -----------------------------------------------------------------------------
STUDENT_NAME = "bundled-maths-student"


def best_student(s: dict) -> tuple[str | None, str]:
    """The variant to ship: the best on the test split among those whose paired 95% CI against base is above 0."""
    ok = [(r["test"]["accuracy"], v) for v, r in s["models"].items()
          if v != "base" and r["test"].get("vs_base") and r["test"]["vs_base"]["ci"][0] > 0]
    if not ok:
        return None, "no student beats the base model on the test split (every paired 95% CI reaches 0 or below)"
    acc, v = max(ok)
    return v, f"the {v} student: test accuracy {acc:.1%}, {s['models'][v]['test']['vs_base']['diff']:+.1%} against base"


def ship_student(out: Path, variant: str, s: dict, dest: Path | None = None, name: str = STUDENT_NAME) -> Path:
    """Copy a trained student into assets/adapters as a model choice (irg.engine.models resolves `name` to it)."""
    from tuning.adapters import ship_model_choice

    meta = {"variant": variant, "made_by": s.get("command", "python -m tuning.distill"), "config": s["config"],
            "results": {v: {k: r[k] for k in ("train", "val", "test") if k in r} for v, r in s["models"].items()}}
    return ship_model_choice(out / "students" / variant, "smollm2-135m-maths-student", name, s["config"]["student"], meta, dest)


# ---- the command -----------------------------------------------------------------------------------------
def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m tuning.distill", description=__doc__.split("\n\n")[0])
    for f in fields(DistillConfig):
        flag = "--" + f.name.replace("_", "-")
        if f.type in ("bool", bool):
            ap.add_argument(flag, type=lambda x: x.lower() in ("1", "true", "yes"), default=None, metavar="true|false")
        else:
            ap.add_argument(flag, type={"int": int, "float": float}.get(str(f.type), str), default=None)
    ap.add_argument("--out", default="runs/distill")
    ap.add_argument("--variants", default="base," + ",".join(VARIANTS), help="which students to train and score")
    ap.add_argument("--reuse", action="store_true", help="keep students already trained and scored in --out")
    ap.add_argument("--ship", action="store_true", help=f"if a student beats the base model, ship it as the model '{STUDENT_NAME}'")
    ap.add_argument("--stage", choices=("all", "student"), default="all", help=argparse.SUPPRESS)
    ap.add_argument("--variant", default=None, help=argparse.SUPPRESS)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    out = Path(args.out)
    if args.stage == "student":  # the child process of one student
        cfg = DistillConfig(**json.loads((out / "config.json").read_text()))
        run_student(args.variant, out, cfg)
        return 0
    given = {f.name: getattr(args, f.name) for f in fields(DistillConfig) if getattr(args, f.name) is not None}
    try:
        cfg = DistillConfig(**given)
        variants = [v for v in args.variants.split(",") if v]
        bad = [v for v in variants if v not in ("base", *VARIANTS)]
        if bad:
            raise ValueError(f"Unknown variant(s) {', '.join(bad)}: choose from base, {', '.join(VARIANTS)}.")
        out.mkdir(parents=True, exist_ok=True)
        (out / "config.json").write_text(json.dumps(cfg.to_dict(), indent=1))
        splits = problems(cfg)
        (out / "problems.json").write_text(json.dumps(splits))
        taught = teacher(splits["train"], cfg, out / "teacher.jsonl")
    except (ValueError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    data, fb_log = datasets(taught)
    (out / "datasets.json").write_text(json.dumps(data))
    (out / "feedback_log.jsonl").write_text("".join(json.dumps(r) + "\n" for r in fb_log))
    print(f"datasets: {', '.join(f'{k} {len(v)}' for k, v in data.items())}", file=sys.stderr)
    for v in variants:
        if args.reuse and (out / "students" / f"{v}.json").exists():
            continue
        code = subprocess.call([sys.executable, "-m", "tuning.distill", "--stage", "student", "--variant", v, "--out", str(out)],
                               env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=str(ROOT))
        if code:
            print(f"error: the {v} student failed (exit {code})", file=sys.stderr)
            return code
    s = summarise(out, cfg)
    command = "python -m tuning.distill " + " ".join(argv if argv is not None else sys.argv[1:])
    s["command"] = command
    (out / "distill.json").write_text(json.dumps(s, indent=1))
    (out / "distill.md").write_text(markdown(s, command))
    loss_figure(out).write_html(out / "losses.html", include_plotlyjs="cdn")
    print((out / "distill.md").read_text())
    if args.ship:
        variant, why = best_student(s)
        print(f"ship: {why}" + (f" -> {ship_student(out, variant, s)}" if variant else "; nothing shipped"), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
