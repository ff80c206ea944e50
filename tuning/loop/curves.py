"""Learning curves for the loop's students (issue 40): a recipe trained for several epochs, scored every half epoch.

    python -m tuning.loop curve --rank 16 --targets all --lr 3e-4 --epochs 2 [--background]

The first attempt (students.py) stopped after 60 optimiser steps, 0.6 of an epoch, and "the loss barely moved".
Here a recipe (LoRA rank, target modules, learning rate, epochs) trains on the kept answers and, every half epoch:
  - the LoRA so far is merged into a GGUF copy of the bundled model (tuning/adapters/gguf_export.py);
  - the benchmark runs it for one pass (single_pass, the headline's settings) on the first `dev_n` prompts of the
    constraints suite's dev split, on llama.cpp;
  - dev quality, degenerate share, the mean training loss since the last point and the loss on a few kept answers set
    aside (never trained on) go into runs/distill_loop/curves/<recipe>/curve.json.
Point 0 is the base model itself (run once per dev subset, shared by all recipes). The recipe is chosen on dev
quality, not on loss. Early stopping: after `patience` points without a new best dev quality; the best point's
adapter is kept in <recipe>/best/. A stopped or killed run resumes from its last point when started again with the
same recipe (the adapter, the optimiser and the step are saved at every point; each epoch's order derives from the
seed and the epoch, so a resumed run sees the same batches).
"""
from __future__ import annotations

import json
import math
import os
import random
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from irg.engine import paths
from tuning.loop import keep
from tuning.loop.learners import (METHODS, STUDENTS, TARGETS, EmbeddingStudent, FullStudent,  # noqa: F401
                                  LoraStudent, block_matrices)

CURVES = paths.ROOT / "runs" / "distill_loop" / "curves"
DATA = keep.KEPT.with_name("kept-r2.jsonl")  # both rounds' kept answers: the default data of every recipe
HELD_OUT = 48  # kept answers set aside for the held-out loss (the same ones for every recipe)




@dataclass
class Recipe:
    method: str = "lora"
    rank: int = 16  # lora only
    targets: str = "all"  # "qv": query and value projections (the first attempt); "all": every linear projection
    lr: float = 3e-4
    epochs: float = 2.0  # at most; early stopping may end sooner
    batch_size: int = 8
    evals_per_epoch: int = 2
    patience: int = 2  # points without a new best dev quality before stopping
    warmup_steps: int = 10  # then cosine decay to 10% of lr at `epochs`
    dev_n: int = 60
    data: str = str(DATA)
    data_share: float = 1.0  # of the train rows, by a fixed draw: does more data help? (the same held-out rows)
    max_answer_tokens: int = 320
    chunk: int = 2  # sequences per forward/backward pass: memory, not maths
    checkpointing: bool = False  # recompute each block's activations in the backward pass: memory, not maths
    seed: int = 0

    def __post_init__(self):
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}, not '{self.method}'.")
        if self.targets not in TARGETS:
            raise ValueError(f"targets must be one of {', '.join(TARGETS)}, not '{self.targets}'.")
        if self.rank < 1 or self.batch_size < 1 or self.chunk < 1 or self.evals_per_epoch < 1 or self.dev_n < 1:
            raise ValueError("rank, batch size, chunk, evals per epoch and dev n must be at least 1.")
        if not 0 < self.lr < 1:
            raise ValueError(f"lr must be between 0 and 1, not {self.lr}.")
        if not 0 < self.epochs <= 20:
            raise ValueError(f"epochs must be above 0 and at most 20, not {self.epochs}.")
        if not 0 < self.data_share <= 1:
            raise ValueError(f"data share must be above 0 and at most 1, not {self.data_share}.")
        if self.patience < 1 or self.warmup_steps < 0:
            raise ValueError("patience must be at least 1 and warmup steps not negative.")

    @property
    def name(self) -> str:
        share = f"-share{self.data_share:g}" if self.data_share < 1 else ""
        if Path(self.data).resolve() != DATA.resolve():  # another kept set (a later round): a curve of its own
            share += "-" + Path(self.data).stem
        if self.method != "lora":  # no rank or target modules of its own
            stem = "mle" if self.method == "adapter_mle" else self.method
            return f"{stem}-lr{self.lr:g}-b{self.batch_size}-s{self.seed}{share}"
        return f"r{self.rank}-{self.targets}-lr{self.lr:g}-b{self.batch_size}-s{self.seed}{share}"

    def same_as(self, stored: dict) -> bool:
        """Is a curve.json's recipe this one? (curves written before `method` existed were LoRA recipes; the
        embedding adapter and full fine-tuning have no rank or target modules, so they are not compared, as their
        names leave them out)"""
        a, b = {"method": "lora", "data_share": 1.0, **stored}, asdict(self)
        a.pop("checkpointing", None), b.pop("checkpointing", None)  # memory, not maths: a run may resume either way
        if self.method != "lora":
            for k in ("rank", "targets"):
                a.pop(k, None), b.pop(k, None)
        return a == b


def split_rows(rows: list[dict], seed: int = 0) -> tuple[list[dict], list[dict]]:
    """(train, held out): HELD_OUT rows chosen by a fixed draw, whatever the recipe."""
    order = sorted(range(len(rows)), key=lambda i: random.Random(f"{seed}:{rows[i]['id']}").random())
    out = set(order[:HELD_OUT])
    return [r for i, r in enumerate(rows) if i not in out], [rows[i] for i in sorted(out)]


def share_of(rows: list[dict], share: float, seed: int = 0) -> list[dict]:
    """The first `share` of the rows in a fixed draw by id, in their order (a smaller share is inside a larger)."""
    if share >= 1:
        return rows
    order = sorted(range(len(rows)), key=lambda i: random.Random(f"share:{seed}:{rows[i]['id']}").random())
    keep_ = set(order[:max(1, round(share * len(rows)))])
    return [r for i, r in enumerate(rows) if i in keep_]


def epoch_batches(lengths: list[int], batch_size: int, seed: int, epoch: int) -> list[list[int]]:
    """One epoch's batches: similar lengths together (little padding on a CPU), each example once, the order of
    batches drawn from (seed, epoch) so that a resumed run sees the batches it would have seen."""
    rng = random.Random(seed * 1009 + epoch)
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], rng.random()))
    batches = [order[k: k + batch_size] for k in range(0, len(order), batch_size)]
    rng.shuffle(batches)
    return batches


def lr_at(step: int, total: int, recipe: Recipe) -> float:
    """Linear warm-up, then cosine decay to a tenth of the rate at the last planned step."""
    if step < recipe.warmup_steps:
        return recipe.lr * (step + 1) / recipe.warmup_steps
    t = (step - recipe.warmup_steps) / max(1, total - recipe.warmup_steps)
    return recipe.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, t))))


def dev_run(model_arg: str, out: Path, n: int) -> dict:
    """One pass of `model_arg` (a GGUF path or 'bundled') on the first n dev prompts, through the benchmark."""
    from tuning.loop.table import _figures, _rows

    done = _rows(out).get("single_pass", {}) if (out / "results.jsonl").exists() else {}
    if len(done) < n:  # a dev run cut short is run again (the benchmark resumes its own results file)
        _run(["-m", "irg.bench", "quality", "--suite", "constraints", "--split", "dev", "--n", str(n), "--strategies",
              "single_pass", "--budget", "1500", "--workers", "2", "--model", model_arg, "--out", str(out)],
             f"The dev run of {model_arg}")
        done = _rows(out)["single_pass"]
    return _figures(done)


def _run(args: list[str], what: str) -> None:
    """A step in a process of its own (python ARGS); ModelError with its last line of errors if it fails."""
    from irg.engine.errors import ModelError

    done = subprocess.run([sys.executable, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise ModelError(f"{what} failed: {(done.stderr.strip().splitlines() or ['no output'])[-1]}")


def dev_figures(adapter: Path | None, out: Path, n: int) -> dict:
    """Dev figures of the base model (adapter None) or of the base with a LoRA folder merged in (llama.cpp speed)."""
    if adapter is None:
        return dev_run("bundled", out, n)
    # the merge runs in a process of its own: in the training process its dequantised weights and the mapped model
    # file raised the peak resident memory point after point (4.8 -> 7.0 GB in the first recipe; training alone ~3 GB)
    gguf = out.with_suffix(".gguf")
    _run(["-m", "tuning.loop", "merge", "--lora", str(adapter), "--out", str(gguf)], f"Merging {adapter}")
    try:
        return dev_run(str(gguf), out, n)
    finally:
        gguf.unlink(missing_ok=True)  # 270 MB each; the adapter folder is what is kept


class Curve:
    """One recipe's training with its points; `run()` trains from the last saved point to the end or an early stop."""

    def __init__(self, recipe: Recipe, root: Path = CURVES, model=None, tok=None, rows: list[dict] | None = None,
                 evaluate=dev_figures):
        self.recipe, self.folder, self.evaluate = recipe, root / recipe.name, evaluate
        self.model, self.tok, self.rows = model, tok, rows
        self.root = root

    def state(self) -> dict:
        f = self.folder / "curve.json"
        return json.loads(f.read_text()) if f.exists() else {"recipe": asdict(self.recipe), "points": []}

    def save_state(self, st: dict) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / "curve.json.tmp"
        tmp.write_text(json.dumps(st, indent=1))
        tmp.replace(self.folder / "curve.json")

    def point(self, adapter_dir: Path | None, tag: str) -> dict:
        """Dev figures of the base model (adapter_dir None: run once, shared by every recipe) or of a LoRA folder."""
        out = self.root / f"base-dev{self.recipe.dev_n}" if adapter_dir is None else self.folder / f"dev-{tag}"
        return self.evaluate(adapter_dir, out, self.recipe.dev_n)

    def run(self, on_log=print) -> dict:
        import torch
        from tqdm.auto import tqdm

        from irg.engine.models import load_hf
        r = self.recipe
        st = self.state()
        if not r.same_as(st["recipe"]):
            raise ValueError(f"{self.folder} holds another recipe's curve; remove it or change the seed.")
        if self.model is None:
            if r.method == "full":  # from the file's own weights, not a bfloat16 copy of them (learners.FullStudent)
                os.environ.setdefault("IRG_DTYPE", "float32")
            self.model, self.tok = load_hf("bundled")
        rows = keep.load(Path(r.data)) if self.rows is None else self.rows
        train_rows, held_rows = split_rows(rows, r.seed)
        pairs, _ = keep.examples(self.tok, share_of(train_rows, r.data_share, r.seed), r.max_answer_tokens)
        held, _ = keep.examples(self.tok, held_rows, r.max_answer_tokens)
        if not pairs:
            raise ValueError(f"No kept answers to learn from in {r.data}.")
        torch.manual_seed(r.seed)
        for p in self.model.parameters():
            p.requires_grad_(False)
        student = STUDENTS[r.method](self.model, r)
        model = student.model
        if r.checkpointing:  # the same gradients; the blocks' activations are not all held at once
            self.model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        opt = torch.optim.AdamW(student.params, lr=r.lr, weight_decay=0.0)
        per_epoch = math.ceil(len(pairs) / r.batch_size)
        total = round(per_epoch * r.epochs)
        every = max(1, per_epoch // r.evals_per_epoch)
        step = 0
        if not st["points"]:
            st["points"].append({"step": 0, "epoch": 0.0, **self.point(None, "base"), "held_out_loss":
                                 self.held_loss(student, held), "train_loss": None})
            st.update(examples=len(pairs), held_out=len(held), steps_per_epoch=per_epoch, planned_steps=total)
            self.save_state(st)
        else:
            self.settle(st)
        if (self.folder / "last" / "step.json").exists():
            student.load(self.folder / "last")
            opt.load_state_dict(torch.load(self.folder / "last" / "optimizer.pt"))
            step = json.loads((self.folder / "last" / "step.json").read_text())["step"]
            on_log({"resumed_at_step": step})
        lengths = [len(p) + len(a) for p, a in pairs]
        losses: list[float] = []
        t0 = time.perf_counter()
        bar = tqdm(total=total, initial=step, desc=r.name, unit="step")
        while step < total and not st.get("stopped"):
            epoch, k = divmod(step, per_epoch)
            batches = epoch_batches(lengths, r.batch_size, r.seed, epoch)
            idx = batches[k] if k < len(batches) else batches[-1]
            for g in opt.param_groups:
                g["lr"] = lr_at(step, total, r)
            student.train(True)
            torch.manual_seed(r.seed * 1_000_003 + step)  # the adapter's noise: a resumed run draws the same
            opt.zero_grad()
            losses.append(self.mle(model, pairs, idx))
            opt.step()
            step += 1
            bar.update(1)
            if step % every == 0 or step == total:
                self.checkpoint(student, opt, st, step, per_epoch, losses, held, time.perf_counter() - t0, on_log)
                losses, t0 = [], time.perf_counter()
        bar.close()
        return st

    def settle(self, st: dict) -> None:
        """A run killed between recording a point and making its weights "last" finishes that move now."""
        pending = self.folder / "pending" / "step.json"
        if pending.exists() and json.loads(pending.read_text())["step"] == st["points"][-1]["step"]:
            shutil.rmtree(self.folder / "last", ignore_errors=True)
            pending.parent.replace(self.folder / "last")

    def mle(self, model, pairs, idx: list[int]) -> float:
        from tuning.adapters.train import backward_in_chunks, batch_logprobs, pad_id

        pad, n_tok = pad_id(self.tok), sum(len(pairs[i][1]) for i in idx)

        def loss_of(sub):
            lp, _ = batch_logprobs(model, [pairs[idx[j]][0] for j in sub], [pairs[idx[j]][1] for j in sub], pad)
            return -lp.sum() / n_tok * len(idx) / len(sub)
        return backward_in_chunks(loss_of, len(idx), self.recipe.chunk)

    def held_loss(self, student, held) -> float:
        """Mean token NLL of the set-aside answers (no gradients)."""
        import torch

        from tuning.adapters.train import batch_logprobs, pad_id

        student.train(False)
        model = student.model
        total = count = 0.0
        with torch.no_grad():
            for k in range(0, len(held), self.recipe.chunk):
                part = held[k: k + self.recipe.chunk]
                lp, n = batch_logprobs(model, [p for p, _ in part], [a for _, a in part], pad_id(self.tok))
                total, count = total - lp.sum().item(), count + n.sum().item()
        return round(total / max(count, 1), 4)

    def checkpoint(self, student, opt, st, step, per_epoch, losses, held, seconds, on_log) -> None:
        import torch

        from tuning.memory import peak_rss_mb

        # saved as "pending" and made "last" only once its point is recorded: a run killed while scoring resumes
        # from the point before, with the weights of that point
        pending, last = self.folder / "pending", self.folder / "last"
        shutil.rmtree(pending, ignore_errors=True)
        student.save(pending)
        torch.save(opt.state_dict(), pending / "optimizer.pt")
        (pending / "step.json").write_text(json.dumps({"step": step}))
        figs = self.point(pending, f"step{step}")
        pt = {"step": step, "epoch": round(step / per_epoch, 3), **figs, "held_out_loss": self.held_loss(student, held),
              "train_loss": round(sum(losses) / max(1, len(losses)), 4), "train_seconds": round(seconds, 1),
              "peak_rss_mb": peak_rss_mb()}
        st["points"].append(pt)
        best = max(st["points"], key=lambda p: (p["quality"], -p["step"]))
        if best is pt:
            # the optimiser stays in "last" only (850 MB for full fine-tuning): no run resumes from "best"
            shutil.copytree(pending, self.folder / "best", dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("optimizer.pt"))
        st["best"] = {"step": best["step"], "quality": best["quality"]}
        since = [p for p in st["points"] if p["step"] > best["step"]]
        if len(since) >= self.recipe.patience:
            st["stopped"] = f"no new best dev quality for {len(since)} points"
        self.save_state(st)
        shutil.rmtree(last, ignore_errors=True)
        pending.replace(last)
        on_log(pt)
