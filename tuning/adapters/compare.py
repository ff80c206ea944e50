"""`python -m tuning.adapters.compare`: base vs GAN-faithful vs GAN vs LoRA on the fictitious-people questions.

Each method trains in its own process (so its peak RSS is its own), with the same data and the
same number of optimiser steps, then answers the held-out questions greedily. Written to --out:
  METHOD.json        metrics, every answer, the training log and weight trajectory
  adapters/          the trained adapters (safetensors + JSON)
  compare.json/.md   the thesis' tables 4.1-4.3 on our data: quality, cost, sample answers
  trajectories.html  adapter weights over training (the thesis' figures 3.3-3.4) and the losses
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

METRICS = ("rouge1", "rouge2", "rougeL", "rougeLsum", "similarity", "fact", "distinct2")


def evaluate_answers(model, tok, qas, max_new_tokens: int = 40) -> dict:
    """Greedy answers to `qas` and their scores (mean and per question)."""
    from tuning.adapters.train import generate, prompt_ids

    ids = generate(model, tok, [prompt_ids(tok, q.question) for q in qas], max_new_tokens, sample=False)
    return score_answers([tok.decode(i, skip_special_tokens=True).strip() for i in ids], qas)


def score_answers(preds: list[str], qas) -> dict:
    """The scores of answers to `qas` (mean and per question), however they were generated."""
    from irg.evaluation.summary import Similarity, rouge_metric
    from tuning.adapters.train import distinct_n

    refs = [q.answer for q in qas]
    per = rouge_metric().compute(predictions=preds, references=refs, use_aggregator=False,
                                 rouge_types=["rouge1", "rouge2", "rougeL", "rougeLsum"])
    per |= {"similarity": Similarity.get().score(preds, refs),
            "fact": [float(q.value.lower() in p.lower()) for q, p in zip(qas, preds)]}
    means = {k: round(sum(v) / len(v), 4) for k, v in per.items()}
    means["distinct2"] = round(distinct_n(preds), 4)
    return {"mean": means, "per_question": per, "answers": preds}


def fingerprint(model) -> dict[str, str]:
    """A SHA-256 of every weight tensor's bytes: proves the frozen model unchanged without holding a copy
    (a copy would add the model's size to the peak RSS we report). peft renames wrapped layers `base_layer`."""
    import hashlib

    import torch

    return {k.replace(".base_layer", ""):
            hashlib.sha256(v.detach().cpu().contiguous().view(-1).view(torch.uint8).numpy()).hexdigest()
            for k, v in model.state_dict().items() if "lora_" not in k}


# ---- one method, in a child process --------------------------------------------------------------
def run_one(args) -> dict:
    import torch

    from irg.engine.models import load_hf, resolve
    from tuning.adapters import gan as G
    from tuning.adapters import people as D
    from tuning.adapters.train import TrainConfig, Trainer
    from tuning.memory import peak_rss_mb

    t_all = time.perf_counter()
    torch.set_num_threads(max(1, args.threads)) if args.threads else None
    model, tok = load_hf(args.model)
    model = model.float()  # train and compare in float32 whatever the device's default
    train, test = D.load_split(args.split, seed=args.data_seed)
    before = fingerprint(model)
    cfg = TrainConfig(method=args.child, steps=args.steps if args.child != "base" else 0,
                      warmup_steps=args.warmup if args.child == "gan" else 0, batch_size=args.batch,
                      group_size=args.group, lr=args.lr_lora if args.child == "lora" else args.lr, seed=args.seed,
                      split=args.split)

    def show(rec):
        print(f"[{args.child}] " + " ".join(f"{k}={v}" for k, v in rec.items()), flush=True)
    adapter, log = Trainer(model, tok, cfg, train, on_log=show).run()
    out = Path(args.out)
    handle = None
    if args.child in ("gan", "gan_faithful", "adapter_mle"):
        handle = G.attach(model, adapter)
        eval_model = model
    else:
        eval_model = adapter if adapter is not None else model
    t_eval = time.perf_counter()
    res_test = evaluate_answers(eval_model, tok, test)
    res_train = evaluate_answers(eval_model, tok, train)
    eval_seconds = round(time.perf_counter() - t_eval, 1)
    if handle:
        handle.remove()
    frozen = fingerprint(adapter.get_base_model() if args.child == "lora" else model) == before
    spec = resolve(args.model)
    meta = {"base_model": args.model, "base_model_file": spec.gguf_file or spec.path,
            "embed_dim": model.get_input_embeddings().embedding_dim,
            "vocab_size": model.get_input_embeddings().num_embeddings,
            "data": {"generator": "tuning.adapters.people", "split": args.split, "seed": args.data_seed,
                     "train": len(train), "test": len(test)},
            "steps": cfg.steps, "train_config": log["config"], "train_seconds": log["seconds"],
            "test_metrics": res_test["mean"], "train_metrics": res_train["mean"]}
    if args.child in ("gan", "gan_faithful", "adapter_mle"):
        G.save(adapter, out / "adapters" / args.child, meta)
    elif args.child == "lora":
        adapter.save_pretrained(out / "adapters" / "lora", safe_serialization=True)
        (out / "adapters" / "lora" / "irg_meta.json").write_text(json.dumps({"method": "lora", **meta}, indent=1))
    result = {"method": args.child, "model": args.model, "frozen_weights_unchanged": frozen,
              "train_seconds": log["seconds"], "eval_seconds": eval_seconds,
              "total_seconds": round(time.perf_counter() - t_all, 1), "peak_rss_mb": peak_rss_mb(),
              "threads": torch.get_num_threads(), "test": res_test, "train": res_train, "log": log["log"],
              "trajectory": log["trajectory"], "config": log["config"], "questions": [q.to_dict() for q in test]}
    (out / f"{args.child}.json").write_text(json.dumps(result))
    print(f"[{args.child}] test {res_test['mean']} · train {res_train['mean']['rouge1']} · {log['seconds']} s · "
          f"{result['peak_rss_mb']} MB", flush=True)
    return result


# ---- the comparison ----------------------------------------------------------------------------
def table(results: dict, base: dict | None) -> tuple[str, dict]:
    from irg.evaluation.summary import bootstrap_ci

    lines = ["| method | ROUGE-1 | ROUGE-2 | ROUGE-L | ROUGE-Lsum | similarity | fact recalled | distinct-2 | "
             "ROUGE-1 vs base [95% CI] |",
             "|---|---|---|---|---|---|---|---|---|"]
    stats = {}
    for m, r in results.items():
        mean = r["test"]["mean"]
        delta = ""
        if base and m != "base":
            d = [a - b for a, b in zip(r["test"]["per_question"]["rouge1"], base["test"]["per_question"]["rouge1"])]
            lo, hi = bootstrap_ci(d)
            stats[m] = {"rouge1_delta": round(sum(d) / len(d), 4), "ci95": [round(lo, 4), round(hi, 4)]}
            delta = f"{stats[m]['rouge1_delta']:+.3f} [{lo:+.3f}, {hi:+.3f}]"
        lines.append(f"| {m} | {mean['rouge1']:.3f} | {mean['rouge2']:.3f} | {mean['rougeL']:.3f} | "
                     f"{mean['rougeLsum']:.3f} | "
                     f"{mean['similarity']:.3f} | {mean['fact']:.0%} | {mean['distinct2']:.3f} | {delta} |")
    return "\n".join(lines), stats


def sample_tensors(trajectory: list[dict], k: int = 12) -> list[dict]:
    """At most k weight tensors, spread over the layers (LoRA has 4 per layer): enough to plot, small to commit."""
    if not trajectory:
        return trajectory
    names = list(trajectory[0]["weights"])
    keep = names[:: max(1, len(names) // k)][:k]
    return [{"step": t["step"], "weights": {n: t["weights"][n] for n in keep}} for t in trajectory]


def ablation(results: dict) -> str:
    """Is it the adversarial part? gan against the same adapter trained by MLE alone, paired per question."""
    from irg.evaluation.summary import bootstrap_ci

    if "gan" not in results or "adapter_mle" not in results:
        return ""
    a, b = (results[m]["test"]["per_question"]["rouge1"] for m in ("gan", "adapter_mle"))
    d = [x - y for x, y in zip(a, b)]
    lo, hi = bootstrap_ci(d)
    return (f"gan vs adapter_mle (the same adapter, MLE only): ROUGE-1 {sum(d) / len(d):+.3f} [{lo:+.3f}, {hi:+.3f}], "
            f"better on {sum(x > 0 for x in d)} questions, worse on {sum(x < 0 for x in d)}.\n\n")


def markdown(results: dict, args) -> tuple[str, dict]:
    quality, stats = table(results, results.get("base"))
    cost = ["| method | training time | peak RSS | steps | frozen weights bit-identical |", "|---|---|---|---|---|"]
    for m, r in results.items():
        cost.append(f"| {m} | {r['train_seconds'] / 60:.1f} min | {r['peak_rss_mb'] / 1024:.2f} GB | "
                    f"{r['config']['steps']} | "
                    f"{'yes' if r['frozen_weights_unchanged'] else 'NO'} |")
    any_r = next(iter(results.values()))
    qs = any_r["questions"]
    samples = ["| question (held out) | reference | " + " | ".join(results) + " |", "|---|---|" + "---|" * len(results)]
    for i in range(0, len(qs), max(1, len(qs) // 4))[:4]:
        cells = [results[m]["test"]["answers"][i].replace("|", "/").replace("\n", " ") for m in results]
        samples.append(f"| {qs[i]['question']} | {qs[i]['answer']} | " + " | ".join(cells) + " |")
    text = (f"# GAN-tuned adapter vs LoRA on fictitious-people questions\n\n"
            f"Model `{args.model}`, split `{args.split}` (data seed {args.data_seed}: "
            f"{len(qs)} held-out questions, the same facts asked another way than in training), "
            f"{args.steps} optimiser steps per method, batch {args.batch}, seed {args.seed}.\n\n"
            f"Command: `"
            f"{' '.join(['python -m tuning.adapters.compare', *[a for a in sys.argv[1:] if a != '--reuse']])}`\n\n"
            f"## Quality on the held-out questions (thesis table 4.1)\n\n{quality}\n\n{ablation(results)}"
            f"## Cost on this machine (thesis tables 4.2-4.3)\n\n" + "\n".join(cost) +
            "\n\n## Sample answers\n\n" + "\n".join(samples) + "\n")
    return text, stats


def trajectories_html(results: dict, path: Path) -> None:
    from tuning.adapters.compare_view import trajectory_figure

    fig = trajectory_figure(results)
    if fig is not None:
        fig.write_html(path, include_plotlyjs=True)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m tuning.adapters.compare", description=__doc__.splitlines()[0])
    p.add_argument("--model", default="bundled")
    p.add_argument("--methods", default="base,gan_faithful,gan,adapter_mle,lora")
    p.add_argument("--split", default="thesis")
    p.add_argument("--data-seed", type=int, default=0)
    p.add_argument("--steps", type=int, default=120)
    p.add_argument("--warmup", type=int, default=60, help="MLE warm-start steps of the gan method (part of --steps)")
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--group", type=int, default=4)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--lr-lora", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--out", default="runs/tuning/compare")
    p.add_argument("--reuse", action="store_true", help="keep methods whose METHOD.json is already in --out")
    p.add_argument("--child", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.child:
        run_one(args)
        return 0
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    from tuning.adapters.train import METHODS
    bad = [m for m in methods if m not in METHODS]
    if bad:
        p.error(f"unknown method(s) {', '.join(bad)}: choose from {', '.join(METHODS)}")
    results = {}
    for m in methods:
        if args.reuse and (out / f"{m}.json").exists():
            results[m] = json.loads((out / f"{m}.json").read_text())
            continue
        cmd = [sys.executable, "-m", "tuning.adapters.compare", *(argv if argv is not None else sys.argv[1:]),
               "--child", m]
        if subprocess.run(cmd).returncode != 0:
            print(f"{m} failed; see above", file=sys.stderr)
            return 1
        results[m] = json.loads((out / f"{m}.json").read_text())
    text, stats = markdown(results, args)
    (out / "compare.md").write_text(text)
    (out / "compare.json").write_text(json.dumps({m: {k: r[k] for k in ("train_seconds", "peak_rss_mb", "total_seconds",
                                                                         "frozen_weights_unchanged", "config", "log")}
                                                   | {"trajectory": sample_tensors(r["trajectory"])}
                                                   | {"answers": r["test"]["answers"]}
                                                   | {"test": r["test"]["mean"], "train": r["train"]["mean"]}
                                                   | ({"vs_base": stats[m]} if m in stats else {})
                                                   for m, r in results.items()}, indent=1))
    trajectories_html(results, out / "trajectories.html")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
