"""Distillation, stage 1 — the problems — and what every later stage shares: the run's configuration.

The train / validation / test splits come from the maths generator (test = the evaluation issue's test split,
validation = its dev split, train = other problems from another seed) or a GSM8K-format file split by a hash of
each question. The teacher, the students and the report all take a `DistillConfig` and these splits, so both
live here, below every other distillation module (tuning/distill/__init__.py is the command that runs the stages).
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path

from irg.engine.jsonl import rows
from irg.evaluation.suites import maths

VARIANTS = ("baseline", "cot", "feedback")


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
    # the gold answer's value in the revision plan (rationalization; the 135M model parrots it)
    teacher_hint: bool = False
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


def _jsonl(path: Path) -> list[dict]:
    """The rows of a run folder's JSONL file (teacher.jsonl, feedback_log.jsonl, ...); none if it is missing."""
    return rows(path, quiet=True) if path.exists() else []  # a line cut by a kill: that problem is taught again


def _hash_split(text: str) -> str:
    h = int(hashlib.md5(text.encode()).hexdigest(), 16) % 10
    return "val" if h == 0 else "test" if h in (1, 2) else "train"


def problems(cfg: DistillConfig) -> dict[str, list[dict]]:
    """{"train", "val", "test"}: items {"id", "prompt", "answer"}; no prompt is in two splits."""
    if cfg.data == "maths":
        test = maths.generate(cfg.n_test, 0, "test")
        val = maths.generate(cfg.n_val, 0, "dev")
        held = {r["prompt"] for r in maths.generate(max(500, cfg.n_test), 0, "test")
                + maths.generate(max(200, cfg.n_val), 0, "dev")}
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
