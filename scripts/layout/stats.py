"""Before/after numbers for issue 24: python /tmp/i24/stats.py OUT.json (run from /work/main with .venv/bin/python)."""
import json
import sys
import time
from pathlib import Path
from irg.evaluation import summary as S
from irg.evaluation import stopping_fit as F
from irg.engine.stopping import AdaptiveStopper

out = {}
t0 = time.time()
# 1. summary.py: every constraints / maths results file committed (open_qa needs the embedder: left out)
files = sorted(p for p in Path("assets/results/quality").glob("*/results.jsonl"))
out["summaries"] = {}
for f in files:
    rows = S.load_results(f)
    if any(r["task"] == "open_qa" for r in rows):
        continue
    s = S.summarize(rows)
    d = {}
    for name, v in s["strategies"].items():
        e = {"n": v["n"], "quality": v["quality"], "quality_ci": list(v["quality_ci"])}
        for key in ("vs_single_pass", "vs_best_of_n"):
            if key in v:
                p = v[key]
                e[key] = {"diff": p["diff"], "diff_ci": list(p["diff_ci"]), "wins": p["wins"], "losses": p["losses"],
                          "p_sign_test": p["p_sign_test"]}
        d[name] = e
    out["summaries"][f.parent.name] = d
# 2. a comparison with compare_files (irg.bench compare): live adaptive vs fixed-rule run
c = S.compare_files("assets/results/quality/constraints-test-adaptive", "assets/results/quality/constraints-test")
out["compare_files adaptive-vs-fixed"] = {k: (list(v) if isinstance(v, tuple) else v) for k, v in c.items()}
# 3. direct calls
out["direct"] = {"bootstrap_ci([0,1]*50)": list(S.bootstrap_ci([0.0, 1.0] * 50)),
                 "sign_test": {f"{w}/{n}": S.sign_test(w, n) for w, n in
                               [(10, 0), (3, 3), (0, 0), (0, 1), (0, 2), (0, 3), (0, 4), (0, 7), (0, 16), (1, 34),
                                (1, 36), (5, 0), (17, 4), (7, 5), (63, 0), (13, 2), (2, 13), (20, 25), (101, 99)]}}
# 4. stop rule: train (to /tmp), cv, compare (docs/results/stopping.md commands)
dev = ["assets/results/quality/constraints-dev-hybrid-when-rules-pass/results.jsonl"]
test = ["assets/results/quality/constraints-test/results.jsonl"]
label = Path(sys.argv[1]).stem
m = F.train(dev, f"/tmp/i24/adaptive-{label}.json")
out["train"] = {"weights": m.weights if hasattr(m, "weights") else None, "threshold": m.threshold, "meta": m.meta}
out["train_model_file"] = json.loads(Path(f"/tmp/i24/adaptive-{label}.json").read_text())
out["cv"] = {f"l2={l2}": F.cross_validate(dev, 5, 0.01, l2) for l2 in (3.0, 1.0)}
committed = AdaptiveStopper.load("assets/stopping/adaptive.json")
out["compare committed model"] = {"hybrid": F.compare(test, committed, "irg_hybrid"),
                                  "all-irg": F.compare(test, committed)}
out["compare committed model md"] = {
    "hybrid": F.markdown(out["compare committed model"]["hybrid"], "-", committed.meta),
    "all-irg": F.markdown(out["compare committed model"]["all-irg"], "-", committed.meta)}
fresh = AdaptiveStopper.load(f"/tmp/i24/adaptive-{label}.json")
out["compare refit model"] = {"hybrid": F.compare(test, fresh, "irg_hybrid")}
out["seconds"] = round(time.time() - t0, 1)
Path(sys.argv[1]).write_text(json.dumps(out, indent=1, default=float))
print("wrote", sys.argv[1], out["seconds"], "s")
