"""Issue 40's GAN vs its MLE ablation vs LoRA, on the same data, paired on the same 60 dev prompts:

    python scripts/gan_vs_mle.py [--out assets/results/distill_loop/gan_vs_mle.json]
    python scripts/gan_vs_mle.py --test   # the same students on the constraints test split (gan_vs_mle_test.json)

Reads the learning curves' dev runs (runs/distill_loop/curves/<curve>/dev-step<N>/): the embedding adapter by MLE
at its best point, the adversarial phase's points after it (tuning/loop/adversarial.py), the LoRA at the same epoch
(rank 16, every projection, lr 1e-3) and the base model; pairs each with the MLE start (the question: what does the
adversarial phase add?) and with the LoRA (the same data and epoch, another adapter).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tuning.loop.curves import CURVES  # noqa: E402
from tuning.loop.table import _figures, _paired, _rows  # noqa: E402

MLE, LORA = "mle-lr0.001-b8-s0", "r16-all-lr0.001-b8-s0"


def points(root: Path = CURVES) -> dict[str, Path]:
    """{label: dev run folder}: the base, the MLE start, every adversarial point found, the LoRA at 1.5 epochs."""
    mle = json.loads((root / MLE / "curve.json").read_text())
    out = {"base model": root / "base-dev60", f"MLE, {mle['best']['step']} steps": root / MLE /
           f"dev-step{mle['best']['step']}"}
    for curve in sorted(root.glob(f"{MLE}-adv*/curve.json"), key=lambda f: int(f.parent.name.rsplit("adv", 1)[1])):
        for p in json.loads(curve.read_text())["points"][1:]:
            out[f"MLE + {p['adversarial_steps']} adversarial steps ({curve.parent.name.rsplit('-', 1)[1]})"] = \
                curve.parent / f"dev-step{p['adversarial_steps']}"
    out["LoRA r16, 177 steps"] = root / LORA / "dev-step177"
    return out


TEST = Path(__file__).resolve().parent.parent / "assets/results/distill_loop/converged"  # test split, one pass
TEST_RUNS = {"base model": "constraints-base-one", "MLE, 177 steps": "constraints-mle-one",
             "MLE + 40 adversarial steps": "constraints-gan-one",
             "LoRA r16, 295 steps (shipped)": "constraints-student-one"}


def test_table(root: Path = TEST) -> dict:
    """The same students on the test split: the embedding adapter by MLE and after its best adversarial dev point
    (scripts/gan_vs_mle_test.sh made the runs), the shipped LoRA and the base model, each paired with the others."""
    missing = [v for v in TEST_RUNS.values() if not (root / v / "results.jsonl").exists()]
    if missing:
        raise SystemExit(f"No test run in {root} for: {', '.join(missing)} (scripts/gan_vs_mle_test.sh makes them).")
    runs = {k: _rows(root / v)["single_pass"] for k, v in TEST_RUNS.items()}
    return {k: {**_figures(r), **{f"vs {o}": _paired(r, runs[o]) for o in runs if o != k}} for k, r in runs.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="assets/results/distill_loop/gan_vs_mle.json")
    ap.add_argument("--test", action="store_true", help="the test-split runs instead (gan_vs_mle_test.json)")
    args = ap.parse_args(argv)
    if args.test:
        table = test_table()
        out = args.out.replace("gan_vs_mle.json", "gan_vs_mle_test.json")
        Path(out).write_text(json.dumps({"command": "python scripts/gan_vs_mle.py --test", "test_prompts": 100,
                                         "students": table}, indent=1) + "\n")
        for k, t in table.items():
            print(f"{k}: {t['quality']:.1%} (degenerate {t['degenerate_share']:.1%})")
        return 0
    runs = {k: _rows(v)["single_pass"] for k, v in points().items() if (v / "results.jsonl").exists()}
    start = next(k for k in runs if k.startswith("MLE,"))
    lora = next(k for k in runs if k.startswith("LoRA"))
    table = {k: {**_figures(r), "vs_mle_start": None if k == start else _paired(r, runs[start]),
                 "vs_lora": None if k == lora else _paired(r, runs[lora])} for k, r in runs.items()}
    Path(args.out).write_text(json.dumps({"command": "python scripts/gan_vs_mle.py", "dev_prompts": 60,
                                          "points": table}, indent=1) + "\n")
    for k, t in table.items():
        d = t["vs_mle_start"]
        print(f"{k}: {t['quality']:.1%} (degenerate {t['degenerate_share']:.1%})"
              + (f"; vs MLE start {d['diff']:+.1%} [{d['ci'][0]:+.1%}, {d['ci'][1]:+.1%}], {d['wins']}/{d['losses']}"
                 if d else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
