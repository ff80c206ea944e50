"""DPO (TRL, LoRA, CPU) on preference pairs from IRG trajectories: does the single pass get better?

    python -m irg.evaluation.preferences --data <dev results.jsonl> --out runs/dpo/pairs.jsonl
    python -m tuning.dpo --pairs runs/dpo/pairs.jsonl --out runs/dpo --suite constraints --split test --n 100

Trains a LoRA adapter on the bundled model with TRL's DPOTrainer (the reference model is the same model with
the adapter switched off, so no second copy), then scores one greedy pass of the base model and of the tuned
model on the same test prompts with the engine's own draft prompt, paired, with a bootstrap CI and a sign test.
Writes dpo.json, dpo.md and the adapter (adapter/).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from irg.engine.jsonl import read_objects


@dataclass
class DPOSettings:
    model: str = "bundled"
    steps: int = 60
    batch_size: int = 2
    grad_accum: int = 2
    lr: float = 5e-5
    beta: float = 0.1
    lora_r: int = 16
    lora_alpha: int = 32
    max_length: int = 768
    seed: int = 0

    def __post_init__(self):
        if self.steps < 1 or self.batch_size < 1 or self.grad_accum < 1 or self.lora_r < 1:
            raise ValueError("steps, batch size, grad accumulation and LoRA rank must be at least 1.")
        if self.lr <= 0 or self.beta <= 0:
            raise ValueError("The learning rate and beta must be positive.")


def read_pairs(path: Path) -> list[dict]:
    rows = []
    for line, r in read_objects(path):
        if not all(k in r for k in ("prompt", "chosen", "rejected")):
            raise ValueError(f"{path}:{line}: a preference pair needs prompt, chosen and rejected.")
        rows.append({k: r[k] for k in ("prompt", "chosen", "rejected")})
    if not rows:
        raise ValueError(f"{path} holds no preference pairs.")
    return rows


def train_dpo(model, tok, pairs: list[dict], s: DPOSettings, out: Path):
    """The model with a DPO-trained LoRA adapter (peft) and TRL's log."""
    import torch
    from datasets import Dataset
    from peft import LoraConfig
    from trl import DPOConfig, DPOTrainer

    args = DPOConfig(output_dir=str(out / "trainer"), max_steps=s.steps, per_device_train_batch_size=s.batch_size,
                     gradient_accumulation_steps=s.grad_accum, learning_rate=s.lr, beta=s.beta, max_length=s.max_length,
                     logging_steps=1, save_strategy="no", report_to="none", seed=s.seed, bf16=False,
                     use_cpu=not torch.cuda.is_available(), gradient_checkpointing=False, dataset_num_proc=None)
    lora = LoraConfig(r=s.lora_r, lora_alpha=s.lora_alpha, lora_dropout=0.0, target_modules="all-linear",
                      task_type="CAUSAL_LM")
    trainer = DPOTrainer(model=model, args=args, train_dataset=Dataset.from_list(pairs), processing_class=tok,
                         peft_config=lora)
    trainer.train()
    return trainer.model, [r for r in trainer.state.log_history if "loss" in r]


def single_pass(model, tok, prompts: list[str], max_new_tokens: int = 256, batch: int = 16) -> list[str]:
    """One greedy draft per prompt with the engine's first-draft prompt (what the single_pass strategy sends)."""
    from irg.engine.answers import detect_task
    from irg.engine.loop import draft_messages
    from tuning.adapters import train as T

    ids = []
    for p in prompts:
        ids.append(T.chat_ids(tok, draft_messages(p, detect_task(p))))
    gen = T.generate(model, tok, ids, max_new_tokens, sample=False, batch=batch)
    return [tok.decode(g, skip_special_tokens=True).strip() for g in gen]


def scores(items: list[dict], texts: list[str]) -> list[float]:
    from irg.evaluation.summary import Similarity, quality

    if items and items[0]["task"] == "open_qa":
        return Similarity.get().score(texts, [it["reference"] for it in items])
    return [quality(it, t) for it, t in zip(items, texts)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tuning.dpo", description=__doc__.split("\n\n")[0])
    ap.add_argument("--pairs", required=True)
    ap.add_argument("--out", default="runs/dpo")
    ap.add_argument("--suite", default="constraints")
    ap.add_argument("--split", default="test")
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--ship", action="store_true", help="if the tuned single pass beats the base one (paired 95%% CI "
                    "above 0), ship the adapter as the model 'bundled-dpo'")
    for k, v in asdict(DPOSettings()).items():
        ap.add_argument("--" + k.replace("_", "-"), type=type(v), default=v)
    args = ap.parse_args(argv)
    out = Path(args.out)
    try:
        s = DPOSettings(**{k: getattr(args, k) for k in asdict(DPOSettings())})
        pairs = read_pairs(Path(args.pairs))
        from irg.evaluation.suites import load

        items = load(args.suite, args.split, args.n)
        from irg.engine.models import load_hf

        model, tok = load_hf(s.model)
    except (OSError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    from irg.evaluation.summary import bootstrap_ci, sign_test
    from tuning.memory import peak_rss_mb

    out.mkdir(parents=True, exist_ok=True)
    prompts = [it["prompt"] for it in items]
    t0 = time.perf_counter()
    base_q = scores(items, single_pass(model, tok, prompts))
    base_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    tuned, log = train_dpo(model, tok, pairs, s, out)
    train_s = time.perf_counter() - t0
    tuned.save_pretrained(out / "adapter")
    tuned = tuned.merge_and_unload().eval()
    texts = single_pass(tuned, tok, prompts)
    dpo_q = scores(items, texts)
    d = [a - b for a, b in zip(dpo_q, base_q)]
    wins, losses = sum(x > 1e-9 for x in d), sum(x < -1e-9 for x in d)
    res = {"settings": asdict(s), "pairs": len(pairs), "suite": args.suite, "split": args.split, "n": len(items),
           "base": {"quality": round(sum(base_q) / len(base_q), 4), "ci": [round(v, 4) for v in bootstrap_ci(base_q)]},
           "dpo": {"quality": round(sum(dpo_q) / len(dpo_q), 4), "ci": [round(v, 4) for v in bootstrap_ci(dpo_q)]},
           "diff": round(sum(d) / len(d), 4), "diff_ci": [round(v, 4) for v in bootstrap_ci(d)], "wins": wins,
           "losses": losses, "p_sign_test": round(sign_test(wins, losses), 4), "train_seconds": round(train_s, 1),
           "score_seconds_base": round(base_s, 1), "peak_rss_mb": peak_rss_mb(), "loss": log,
           "command": "python -m tuning.dpo " + " ".join(argv if argv is not None else sys.argv[1:]),
           "samples": [{"prompt": p, "dpo": t, "quality": q} for p, t, q in list(zip(prompts, texts, dpo_q))[:5]]}
    (out / "dpo.json").write_text(json.dumps(res, indent=1))
    md = (f"Command: `{res['command']}`\n\n{len(pairs)} pairs; one greedy pass on {args.suite}/{args.split}, "
          f"n = {len(items)}.\n\n"
          "| model | quality [95% CI] |\n|---|---|\n"
          f"| bundled (base) | {res['base']['quality']:.1%} "
          f"[{res['base']['ci'][0]:.1%}, {res['base']['ci'][1]:.1%}] |\n"
          f"| bundled + DPO LoRA | {res['dpo']['quality']:.1%} "
          f"[{res['dpo']['ci'][0]:.1%}, {res['dpo']['ci'][1]:.1%}] |\n\n"
          f"Δ {res['diff']:+.1%} [{res['diff_ci'][0]:+.1%}, {res['diff_ci'][1]:+.1%}], {wins} wins / {losses} losses, "
          f"sign test p = {res['p_sign_test']:.2g}; training {train_s:.0f} s ({s.steps} steps), "
          f"peak RSS {res['peak_rss_mb'] / 1024:.2f} GB.\n")
    (out / "dpo.md").write_text(md)
    print(md)
    if args.ship:
        if res["diff_ci"][0] > 0:
            from tuning.adapters.shipped import ship_model_choice

            meta = {k: res[k] for k in ("settings", "pairs", "suite", "split", "n", "base", "dpo", "diff", "diff_ci",
                                        "command")}
            print(f"shipped: {ship_model_choice(out / 'adapter', 'smollm2-135m-dpo', 'bundled-dpo', s.model, meta)}")
        else:
            print("not shipped: the DPO single pass does not beat the base one (the paired 95% CI reaches 0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
