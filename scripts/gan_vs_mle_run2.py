"""Issue 40, the embedding adapter run to convergence: its MLE curve's best point and the adversarial phase after it,
paired on the same 60 dev prompts with the base model (scripts/gan_vs_mle.py pairs the first run with the LoRA):

    python scripts/gan_vs_mle_run2.py assets/results/distill_loop/gan_vs_mle-run2.json
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tuning.loop.table import _figures, _paired, _rows  # noqa: E402
root = Path("runs/distill_loop/curves")
mle = json.loads((root / "mle-lr0.001-b8-s0/curve.json").read_text())
best = mle["best"]["step"]
runs = {"base model": root / "base-dev60",
        f"MLE, best point ({best} steps)": root / f"mle-lr0.001-b8-s0/dev-step{best}"}
for p in json.loads((root / "mle-lr0.001-b8-s0-adv20/curve.json").read_text())["points"][1:]:
    runs[f"MLE + {p['adversarial_steps']} adversarial steps"] = \
        root / f"mle-lr0.001-b8-s0-adv20/dev-step{p['adversarial_steps']}"
rows = {k: _rows(v)["single_pass"] for k, v in runs.items()}
out = {k: {**_figures(r), **{f"vs {o}": _paired(r, rows[o]) for o in rows if o != k}} for k, r in rows.items()}
out["command"] = ("python -m tuning.loop curve --method adapter_mle --lr 1e-3 --epochs 4 --patience 3; "
                  "python -m tuning.loop adversarial --start mle-lr0.001-b8-s0 --steps 20 --every 10")
json.dump(out, open(sys.argv[1], "w"), indent=1)
for k, v in out.items():
    if k != "command":
        print(k, v["quality"], v["quality_ci"], "degenerate", v.get("degenerate_share"),
              {o: (x["diff"], x["ci"]) for o, x in v.items() if o.startswith("vs") and x})
