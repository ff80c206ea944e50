"""The GAN's adversarial phase, from the best point of its MLE curve (issue 40: GAN vs its MLE ablation, same data).

    python -m tuning.loop adversarial --start mle-lr0.001-b8-s0 --steps 20 --every 10

The embedding adapter trained by likelihood alone to its best dev point (curves.py, `--method adapter_mle`) is where
the generator starts. Adversarial steps follow, SeqGAN-style, as tuning/adapters/train.py runs them for the thesis'
adapter: real = the loop's verified finals, fake = the model's own first drafts and fresh samples of the adapter;
group-relative REINFORCE with the discriminator's score as the reward, and the MLE anchor. The data are the MLE
curve's: the same kept answers, the same held-out rows left out. Every `every` steps the generator is saved; after
training, each saved point gets the curve's dev figures (one pass on the same dev prompts, merged into a GGUF for
llama.cpp), so the adversarial steps are judged exactly as the MLE ones were.

Written to runs/distill_loop/curves/<start>-adv<steps>/curve.json in the curve's format, its first point the MLE
point it starts from: `python -m tuning.loop chart --collect` draws it beside the MLE curve. Not resumable: a run of
20 steps takes about half an hour on 2 cores; an interrupted one starts again.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

from tuning.loop import keep
from tuning.loop.curves import CURVES, dev_figures, share_of, split_rows

SAMPLE_TOKENS = 128  # a sample's length, and what the discriminator sees of every answer (issue 23's students)


def run(start: str, steps: int, every: int, lr: float = 1e-3, group_size: int = 2, sample_tokens: int = SAMPLE_TOKENS,
        root: Path = CURVES, model=None, tok=None, rows: list[dict] | None = None, evaluate=dev_figures,
        on_log=print) -> dict:
    """Train, then evaluate each saved point; returns the curve written. `model`, `rows`, `evaluate`: for tests."""
    from safetensors.torch import load_file

    from irg.engine.models import load_hf
    from tuning.adapters.gan import save
    from tuning.adapters.train import TrainConfig, Trainer
    from tuning.memory import peak_rss_mb

    if steps < 1 or not 1 <= every <= steps:
        raise ValueError("steps must be at least 1, and every between 1 and steps.")
    mle = json.loads((root / start / "curve.json").read_text())
    if mle["recipe"].get("method") != "adapter_mle" or not mle.get("best", {}).get("step"):
        raise ValueError(f"'{start}' is not an MLE curve of the embedding adapter with a trained best point.")
    r = mle["recipe"]
    folder = root / f"{start}-adv{steps}"
    folder.mkdir(parents=True, exist_ok=True)
    if model is None:
        model, tok = load_hf("bundled")
    train_rows, _ = split_rows(keep.load(Path(r["data"])) if rows is None else rows, r["seed"])
    train_rows = share_of(train_rows, r.get("data_share", 1.0), r["seed"])  # the rows its MLE start was trained on
    pairs, drafts = keep.examples(tok, train_rows, r["max_answer_tokens"])
    cfg = TrainConfig(method="gan", steps=steps, batch_size=r["batch_size"], group_size=group_size, lr=lr, d_lr=1e-3,
                      warmup_steps=0, max_new_tokens=sample_tokens, temperature=1.0, seed=r["seed"], log_every=1)
    trainer = Trainer(model, tok, cfg, None, on_log=on_log, pairs=pairs, drafts=drafts)
    trainer.chunk = r["chunk"]
    trainer.init_state = load_file(str(root / start / "best" / "adapter.safetensors"))  # the MLE point

    def keep_point(step: int, gen) -> None:
        if step % every == 0 or step == steps:
            save(gen, folder / f"step{step}" / "adapter", {"adapter_name": "loop_gan", "base_model": "bundled",
                                                           "trained_on": f"{start} + {step} adversarial steps"})

    trainer.on_step = keep_point
    t0 = time.perf_counter()
    _, log = trainer.run()  # seeded from the recipe's seed by the Trainer
    seconds, rss = round(time.perf_counter() - t0, 1), peak_rss_mb()
    (folder / "train_log.json").write_text(json.dumps(log["log"]))
    start_point = next(p for p in mle["points"] if p["step"] == mle["best"]["step"])
    points = [{**start_point, "adversarial_steps": 0}]
    for k in sorted({*range(every, steps + 1, every), steps}):
        figures = evaluate(folder / f"step{k}", folder / f"dev-step{k}", r["dev_n"])
        step = start_point["step"] + k
        points.append({"step": step, "epoch": round(step / mle["steps_per_epoch"], 3), "adversarial_steps": k,
                       **figures, "train_seconds": round(seconds * k / steps, 1), "peak_rss_mb": rss})
        on_log(points[-1])
    best = max(points, key=lambda p: (p["quality"], -p["step"]))
    curve = {"recipe": {**r, "method": "gan", "lr": lr, "group_size": group_size, "sample_tokens": sample_tokens,
                        "start": start, "adversarial_steps": steps},
             "examples": len(pairs), "steps_per_epoch": mle["steps_per_epoch"], "points": points,
             "best": {"step": best["step"], "quality": best["quality"]}, "train_seconds": seconds,
             "peak_rss_mb": rss}
    (folder / "curve.json").write_text(json.dumps(curve, indent=1) + "\n")
    return curve
