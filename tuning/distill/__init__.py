"""Distillation with feedback: teach a small student to do in one pass what a teacher does in many.

    python -m tuning.distill --out runs/distill            # teacher, datasets, three students, table
    python -m tuning.distill --data ../shared/data/gsm8k_train_500.jsonl --out runs/distill-gsm8k

Stages (each resumable, each writes into --out):
  1. problems   train / validation / test: the maths generator (test = the evaluation issue's test split,
                validation = its dev split, train = other problems from another seed), or a GSM8K-format file
                split by a hash of each question.
  2. teacher    for every train problem a worked solution. Offline the teacher is the IRG loop itself on the
                bundled model: irg_hybrid with the gold answer as one more rule (FinalAnswer), so a wrong answer
                gets another pass whose plan names the right result (STaR's rationalization) and the arithmetic
                rules flag every wrong step. Online any model can teach; an encoder–decoder model (flan-t5)
                writes one chain of thought per problem (no IRG loop: the engine's backends are decoder-only).
  3. datasets   baseline  "The answer is N." only
                cot       the teacher's final answer as it wrote it
                feedback  the teacher's drafts through tuning.distill.feedback (steps recomputed and repaired, repeats
                          and commentary dropped, wrong or unsupported final answers rejected), the shortest that passes
  4. students   LoRA (peft) on the same student model, the same problems offered, the same optimiser steps
  5. table      accuracy on train / validation / test for base and the three students (greedy, one pass,
                the engine's draft prompt), with bootstrap CIs and paired sign tests against base; rationale
                lengths, training time, peak RSS; plotly loss curves.

This module is the command that runs the stages in order; each stage is its own module, one per stage:
  tuning/distill/problems.py   1. the problems, and the configuration every stage takes
  tuning/distill/teacher.py    2. the teacher and 3. the datasets made from its drafts
  tuning/distill/models.py     loading, prompting and greedy generation, shared by the teacher and the students
  tuning/distill/student.py    4. training and scoring one student (a child process of this command each)
  tuning/distill/table.py     5. the table, the loss curves and shipping the best student
The stages' public names are importable from here as before (`from tuning import distill as DS; DS.problems`).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

from irg.engine import paths
from tuning.distill.models import (  # noqa: F401 — re-exported: the stages' names import from here as before
    Loaded,
    generate,
    is_seq2seq,
    load_model,
    source_ids,
    source_text,
    target_ids,
)
from tuning.distill.problems import VARIANTS, DistillConfig, _hash_split, _jsonl, problems  # noqa: F401 — re-exported
from tuning.distill.student import run_student, score, train_student  # noqa: F401 — re-exported
from tuning.distill.table import (  # noqa: F401 — re-exported
    STUDENT_NAME,
    best_student,
    loss_figure,
    markdown,
    paired,
    ship_student,
    summarise,
)
from tuning.distill.teacher import datasets, teach_direct, teach_irg, teacher  # noqa: F401 — re-exported

ROOT = paths.ROOT


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
    ap.add_argument("--ship", action="store_true",
                    help=f"if a student beats the base model, ship it as the model '{STUDENT_NAME}'")
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
        code = subprocess.call([sys.executable, "-m", "tuning.distill", "--stage", "student", "--variant", v,
                                "--out", str(out)], env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=str(ROOT))
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
        print(f"ship: {why}" + (f" -> {ship_student(out, variant, s)}" if variant else "; nothing shipped"),
              file=sys.stderr)
    return 0

