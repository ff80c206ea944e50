"""Distillation, stage 4 — the students: LoRA (peft) on the same student model for every variant, the same
problems offered and the same optimiser steps, then one greedy pass per problem on the three splits.

`run_student` is what one child process of `python -m tuning.distill` runs (a process per student, so each
peak-memory figure is that student's own); it reads the run folder the earlier stages wrote and leaves
students/<variant>.json (and the adapter) for the report.
"""
from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

import torch

from irg.evaluation.summary import exact_match
from tuning.adapters import train as T
from tuning.distill.models import generate, load_model, source_ids, target_ids
from tuning.distill.problems import DistillConfig
from tuning.memory import peak_rss_mb


def train_student(model, tok, seq2seq: bool, examples: list[dict], cfg: DistillConfig, on_log=None):
    """LoRA on every linear layer, mean token NLL of the targets; returns (peft model, loss log).
    Every variant gets `cfg.steps` optimiser steps of `cfg.batch_size` examples, drawn in shuffled epochs."""
    from peft import LoraConfig, get_peft_model

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
    texts = generate(model, tok, [it["prompt"] for it in items], cfg.max_new_tokens, seq2seq)
    return [{"id": it["id"], "correct": int(exact_match(t, it["answer"])),
             "tokens": len(tok.encode(t, add_special_tokens=False)), "text": t} for it, t in zip(items, texts)]


def run_student(variant: str, out: Path, cfg: DistillConfig) -> dict:
    """Train one variant (or none: "base") and score it on the three splits. Run in its own process by main()."""
    splits = json.loads((out / "problems.json").read_text())
    loaded = load_model(cfg.student)
    model, log, seconds = loaded.model, [], 0.0
    examples = json.loads((out / "datasets.json").read_text())[variant] if variant != "base" else []
    if variant != "base":
        t0 = time.perf_counter()
        model, log = train_student(model, loaded.tok, loaded.seq2seq, examples, cfg,
                                   on_log=lambda r: print(f"[{variant}] step {r['step']} loss {r['loss']:.3f}",
                                                          file=sys.stderr, flush=True))
        seconds = time.perf_counter() - t0
        model.save_pretrained(out / "students" / variant)
        model = model.merge_and_unload()  # scored at the base model's speed
    lengths = [len(loaded.tok.encode(e["target"], add_special_tokens=False)) for e in examples]
    result = {"variant": variant, "train_examples": len(examples), "train_seconds": round(seconds, 1), "loss": log,
              "target_tokens_mean": round(sum(lengths) / len(lengths), 1) if lengths else None, "scores": {}}
    for split in ("train", "val", "test"):
        items = splits[split][: cfg.n_train_eval] if split == "train" else splits[split]
        result["scores"][split] = score(model, loaded.tok, loaded.seq2seq, items, cfg)
        print(f"[{variant}] {split}: {sum(r['correct'] for r in result['scores'][split])}/{len(items)}",
              file=sys.stderr, flush=True)
    result["peak_rss_mb"] = peak_rss_mb()
    (out / "students").mkdir(parents=True, exist_ok=True)
    (out / "students" / f"{variant}.json").write_text(json.dumps(result))
    return result
