"""The loop, taught to the model (issue 23): three students learn in one pass what irg_hybrid and the rules did.

    python -m tuning.loop keep  --gen runs/distill_loop/gen                # -> assets/distill_loop/kept.jsonl
    python -m tuning.loop train --student lora                            # -> assets/adapters/...
    python -m tuning.loop export --student lora                           # -> a GGUF llama.cpp runs
    python -m tuning.loop report                                          # -> assets/results/distill_loop/
    python -m tuning.loop curve --targets all --lr 3e-4 --epochs 2        # -> runs/distill_loop/curves/ (issue 40)
    python -m tuning.loop adversarial --start mle-lr0.001-b8-s0           # the GAN's phase after the MLE curve

Students, all on the same kept answers (prompt -> the loop's verified, rendered final), the same optimiser steps,
the same batches:
  lora  supervised fine-tuning of a peft LoRA (q, v projections)
  gan   the thesis' embedding adapter (tuning/adapters/gan.py): MLE warm-start, then adversarial, SeqGAN-style, with
        real = the loop's verified finals and fake = the model's own one-pass drafts (the recorded first drafts of
        the base model and fresh samples of the adapter being trained); the reward is the discriminator's score
  mle   the same adapter trained with the MLE phase only: what the adversarial phase adds is gan minus mle

The student is prompted exactly as a one-pass draft is (irg.engine.loop.draft_messages), so "single pass" with the
student is the same call as with the base model.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from irg.engine import paths
from irg.engine.errors import AdapterError, ModelError
from tuning.loop import keep

STUDENTS = ("lora", "gan", "mle")
METHOD = {"lora": "lora", "gan": "gan", "mle": "adapter_mle"}  # tuning.adapters.train's names
ADAPTERS, PREFIX = keep.ADAPTERS, keep.PREFIX


@dataclass
class LoopStudentConfig:
    student: str = "lora"
    data: str = str(keep.KEPT)
    round: int = 1
    steps: int = 60  # optimiser steps, the same for every student
    batch_size: int = 8  # kept answers per step
    lr: float = 0.0  # 0 = the student's default (LORA_LR / ADAPTER_LR)
    warmup_steps: int = 40  # gan: MLE steps before the adversarial ones (mle: all steps are MLE)
    group_size: int = 2  # gan: samples per prompt in an adversarial step
    sample_tokens: int = 128  # gan: length of a sample, and of what the discriminator sees of every answer
    max_answer_tokens: int = 320  # longer finals are left out (the engine drafts at most 256 tokens)
    lora_r: int = 16
    lora_alpha: int = 32
    chunk: int = 2  # sequences per forward/backward pass (gradients accumulate): memory, not maths
    seed: int = 0
    threads: int = 0  # torch threads (0 = torch's default)

    LORA_LR = 5e-4
    ADAPTER_LR = 1e-3

    def __post_init__(self):
        if self.student not in STUDENTS:
            raise ValueError(f"student must be one of {', '.join(STUDENTS)}, not '{self.student}'.")
        if min(self.steps, self.batch_size, self.group_size, self.chunk) < 1 or self.sample_tokens < 8:
            raise ValueError("steps, batch size, group size and chunk must be at least 1, sample tokens at least 8.")
        if self.student == "gan" and not 0 <= self.warmup_steps <= self.steps:
            raise ValueError(f"warmup steps must be between 0 and steps ({self.steps}).")
        if self.lr < 0:
            raise ValueError("lr cannot be negative.")
        if self.round not in (1, 2):  # the app names (and labels) rounds 1 and 2
            raise ValueError(f"round must be 1 or 2 (got {self.round}).")

    @property
    def learning_rate(self) -> float:
        return self.lr or (self.LORA_LR if self.student == "lora" else self.ADAPTER_LR)

    @property
    def name(self) -> str:
        """The adapter's name in the app and on the CLI (--adapter loop_lora)."""
        return f"loop_{self.student}" + (f"_r{self.round}" if self.round > 1 else "")


def train(cfg: LoopStudentConfig, model=None, tok=None, rows: list[dict] | None = None, on_log=print):
    """Train one student; returns (the trained adapter object, a log dict). `model`/`rows` for tests."""
    import torch

    from irg.engine.models import load_hf
    from tuning.adapters.train import TrainConfig, Trainer
    from tuning.memory import peak_rss_mb

    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    if model is None:
        model, tok = load_hf("bundled")
    rows = keep.load(Path(cfg.data)) if rows is None else rows
    pairs, drafts = keep.examples(tok, rows, cfg.max_answer_tokens)
    if not pairs:
        raise ValueError(f"No kept answers to learn from in {cfg.data}.")
    tcfg = TrainConfig(method=METHOD[cfg.student], steps=cfg.steps, batch_size=cfg.batch_size,
                       group_size=cfg.group_size,
                       lr=cfg.learning_rate, d_lr=1e-3, warmup_steps=cfg.warmup_steps if cfg.student == "gan" else 0,
                       max_new_tokens=cfg.sample_tokens, temperature=1.0, lora_r=cfg.lora_r, lora_alpha=cfg.lora_alpha,
                       seed=cfg.seed, log_every=5)
    t0 = time.perf_counter()
    trainer = Trainer(model, tok, tcfg, None, on_log=on_log, pairs=pairs, drafts=drafts)
    trainer.chunk = cfg.chunk
    adapter, log = trainer.run()
    log.update(seconds=round(time.perf_counter() - t0, 1), peak_rss_mb=peak_rss_mb(), examples=len(pairs),
               answer_tokens=sum(len(a) for _, a in pairs))
    return adapter, log


def save(cfg: LoopStudentConfig, adapter, log: dict, dest: Path = ADAPTERS) -> Path:
    """Write the student where tuning.adapters.shipped finds it, with its meta (config, data, time, memory)."""
    meta = {"adapter_name": cfg.name, "base_model": "bundled",
            "trained_on": "the IRG loop's verified answers (issue 23)",
            "data": paths.relative(cfg.data),
            "examples": log["examples"], "config": asdict(cfg), "train_seconds": log["seconds"],
            "peak_rss_mb": log["peak_rss_mb"]}
    if cfg.student == "lora":
        target = dest / f"{PREFIX}-{cfg.student}" if cfg.round == 1 else dest / f"{PREFIX}-{cfg.student}-r{cfg.round}"
        from tuning.adapters.shipped import settle_lora

        adapter.save_pretrained(str(target))
        return settle_lora(target, {"method": "lora", **meta})
    from tuning.adapters.gan import save as save_gan

    target = dest / (f"{PREFIX}-{cfg.student}" + (f"-r{cfg.round}" if cfg.round > 1 else ""))
    save_gan(adapter, target, {**meta, "embed_dim": adapter.embed_dim})
    return target.with_suffix(".safetensors")


def export(name: str, out_dir: Path) -> Path:
    """The student as a GGUF file llama.cpp runs (folded / merged into a copy of the bundled model)."""
    from irg.engine.models import bundled_gguf
    from tuning.adapters import shipped as adapters
    from tuning.adapters.gguf_export import merged

    shipped = adapters.find("bundled").get(name)
    if shipped is None:
        raise ValueError(f"No adapter named '{name}': {', '.join(adapters.find('bundled'))}.")
    out = out_dir / f"{name}.gguf"
    t0 = time.perf_counter()
    merged(bundled_gguf(), shipped.path, out)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.1f} s")
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tuning.loop", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    k = sub.add_parser("keep", help="the loop's runs -> the answers a student may learn from")
    k.add_argument("--round", type=int, choices=(1, 2, 3), default=1,
                   help="which round these runs are (2: the loop ran with a student; 3: with a student taught "
                        "on rounds 1 and 2; the files get an -r2 / -r3 suffix)")
    k.add_argument("--gen", help="the generation run's folder or results.jsonl (default: runs/distill_loop/gen, "
                   "round 2: runs/distill_loop/gen-r2)")
    k.add_argument("--out", help=f"the kept set (default: {paths.relative(keep.KEPT)}, "
                   f"round 2: kept-r2.jsonl)")
    k.add_argument("--earlier", action="append", default=[], help="an earlier round's kept set to learn from too")
    k.add_argument("--drop-repetitive", action="store_true",
                   help="also leave out finals that repeat a sentence or many 4-word runs "
                        "(worse on dev; see tuning/loop/keep.py)")
    k.add_argument("--record", help="where the counts are recorded, its other fields kept (default: "
                   "assets/results/distill_loop/generation[-r2].json; '' = nowhere)")
    t = sub.add_parser("train", help="train one student on the kept answers")
    for f in LoopStudentConfig.__dataclass_fields__.values():
        if f.name.isupper():
            continue
        t.add_argument("--" + f.name.replace("_", "-"), type=type(f.default), default=f.default)
    e = sub.add_parser("export", help="write a student into a GGUF copy of the bundled model (llama.cpp speed)")
    e.add_argument("--student", required=True, help="the adapter's name, e.g. loop_lora")
    e.add_argument("--out", default="runs/distill_loop/gguf")
    m = sub.add_parser("merge", help="a LoRA folder merged into (an embedding adapter's folder folded into) a GGUF "
                       "copy of the bundled model: curves.py's dev points")
    m.add_argument("--lora", "--adapter", dest="lora", required=True,
                   help="a peft LoRA folder, or an embedding adapter (a folder holding adapter.safetensors/.json)")
    m.add_argument("--out", required=True, help="the GGUF file to write")
    r = sub.add_parser("report", help="the table: base and students, one pass and with the loop")
    r.add_argument("--runs", default="runs/distill_loop/eval", help="<runs>/<suite>/<model>/results.jsonl")
    r.add_argument("--out", default="assets/results/distill_loop")
    r.add_argument("--carry", help="a committed summary.json: students with no run under --runs keep its figures")
    r.add_argument("--best", choices=("lora", "gan", "mle"),
                   help="the student chosen on the dev split (default: the best single pass on each suite itself)")
    for suite in ("constraints", "heldout2", "open_qa"):
        r.add_argument(f"--base-{suite.replace('_', '-')}", help=f"an existing base-model run folder for {suite}")
    c = sub.add_parser("curve", help="train a LoRA recipe for epochs, one pass on dev every half epoch (curves.py)")
    from tuning.loop.curves import Recipe

    for fld in Recipe.__dataclass_fields__.values():
        if isinstance(fld.default, bool):  # a switch: "--checkpointing" / "--no-checkpointing", not "… True"
            c.add_argument("--" + fld.name.replace("_", "-"), action=argparse.BooleanOptionalAction,
                           default=fld.default)
            continue
        c.add_argument("--" + fld.name.replace("_", "-"), type=type(fld.default), default=fld.default)
    c.add_argument("--background", action="store_true", help="run detached, logging to the recipe's run.log")
    a = sub.add_parser("adversarial",
                       help="the GAN's adversarial phase from an MLE curve's best point (adversarial.py)")
    a.add_argument("--start", default="mle-lr0.001-b8-s0", help="the MLE curve under runs/distill_loop/curves")
    a.add_argument("--steps", type=int, default=20, help="adversarial steps")
    a.add_argument("--every", type=int, default=10, help="a dev point every this many steps")
    a.add_argument("--lr", type=float, default=1e-3)
    a.add_argument("--group-size", type=int, default=2, help="samples per prompt in a step")
    sh = sub.add_parser("ship", help="a recipe's best point becomes the shipped student (assets/adapters; curves.py)")
    sh.add_argument("--recipe", required=True,
                    help="a folder under runs/distill_loop/curves, e.g. r16-all-lr0.001-b8-s0")
    ch = sub.add_parser("chart", help="the recipes' learning curves: collect them into assets/, draw a PNG (chart.py)")
    ch.add_argument("--collect", action="store_true", help="copy runs/distill_loop/curves/*/curve.json into assets/")
    ch.add_argument("--runs", default="runs/distill_loop/curves")
    ch.add_argument("--png", help="write the chart as a picture here (Chromium through Playwright)")
    ch.add_argument("--chromium", default="/usr/bin/chromium")
    f = sub.add_parser("fictitious",
                       help="issue 6's adapters on their own test questions, with the students beside them")
    f.add_argument("--out", default="assets/results/distill_loop")
    args = p.parse_args(argv)

    try:
        return run_command(args)
    except (ValueError, AdapterError, ModelError, OSError) as e:  # a sentence, not a traceback
        print(f"error: {e}", file=sys.stderr)
        return 2


def run_command(args) -> int:
    if args.cmd == "report":
        from tuning.loop.table import build

        base = {s: Path(v) for s in ("constraints", "heldout2", "open_qa") if (v := getattr(args, f"base_{s}"))}
        summary = build(Path(args.runs), Path(args.out), base, best=args.best,
                        carry=Path(args.carry) if args.carry else None)
        print((Path(args.out) / "summary.md").read_text())
        return 0 if summary.get("models") else 1
    if args.cmd == "curve":
        return curve_command(args)
    if args.cmd == "adversarial":
        from tuning.loop.adversarial import run
        from tuning.memory import steady_malloc

        steady_malloc()
        curve = run(args.start, args.steps, args.every, args.lr, args.group_size,
                    on_log=lambda rec: print(json.dumps(rec), flush=True))
        print(json.dumps({"best": curve["best"], "points": [(p["step"], p["quality"]) for p in curve["points"]]}))
        return 0
    if args.cmd == "ship":
        from tuning.loop.ship import ship

        print(f"shipped {args.recipe} as {ship(args.recipe)}")
        return 0
    if args.cmd == "chart":
        from tuning.loop.chart import main_chart

        return main_chart(args)
    if args.cmd == "fictitious":
        from tuning.loop.table import fictitious

        print(json.dumps(fictitious(Path(args.out)), indent=1))
        return 0
    if args.cmd == "keep":
        suffix = "" if args.round == 1 else f"-r{args.round}"
        gen = Path(args.gen or f"runs/distill_loop/gen{suffix}")
        out = Path(args.out or keep.KEPT.with_name(f"kept{suffix}.jsonl"))
        record = (paths.ASSETS / "results" / "distill_loop" / f"generation{suffix}.json" if args.record is None
                  else args.record)
        if out.resolve() in {Path(e).resolve() for e in args.earlier}:
            raise ValueError("--out is one of the --earlier kept sets: write this round's set to a file of its own.")
        counts = keep.keep(gen, out, drop_repetitive=args.drop_repetitive, round_no=args.round,
                                earlier=[Path(e) for e in args.earlier])
        print(json.dumps(counts))
        if record:
            rec = Path(record)
            old = json.loads(rec.read_text()) if rec.exists() else {}
            old.update(keep=counts, kept=keep.describe(keep.load(out)))
            rec.parent.mkdir(parents=True, exist_ok=True)
            rec.write_text(json.dumps(old, indent=1) + "\n")
        return 0
    if args.cmd == "merge":
        from irg.engine.models import bundled_gguf
        from tuning.adapters.gguf_export import merged

        merged(bundled_gguf(), Path(args.lora), Path(args.out))
        return 0
    if args.cmd == "export":
        export(args.student, Path(args.out))
        return 0
    cfg = LoopStudentConfig(**{k2: v for k2, v in vars(args).items() if k2 in LoopStudentConfig.__dataclass_fields__})
    adapter, log = train(cfg, on_log=lambda rec: print(json.dumps(rec), flush=True))
    target = save(cfg, adapter, log)
    print(f"saved {cfg.name} to {target} ({log['seconds']} s, peak RSS {log['peak_rss_mb']} MB, "
          f"{log['examples']} answers)")
    Path("runs/distill_loop").mkdir(parents=True, exist_ok=True)
    Path(f"runs/distill_loop/{cfg.name}.log.json").write_text(json.dumps(log))
    return 0


def curve_command(args) -> int:
    from irg.evaluation.runner import background
    from tuning.loop.curves import CURVES, Curve, Recipe
    from tuning.memory import steady_malloc

    recipe = Recipe(**{k: v for k, v in vars(args).items() if k in Recipe.__dataclass_fields__})
    if args.background:
        log = CURVES / recipe.name / "run.log"
        pid = background(sys.argv[1:], log, module="tuning.loop")
        print(f"started {recipe.name} (pid {pid}); log: {log}")
        return 0
    steady_malloc()  # before the model is loaded: the peak stays near what one step needs (see its docstring)
    st = Curve(recipe).run(on_log=lambda rec: print(json.dumps(rec), flush=True))
    print(json.dumps({"recipe": recipe.name, "best": st.get("best"), "stopped": st.get("stopped")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
