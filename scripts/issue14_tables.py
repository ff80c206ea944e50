"""Markdown tables for issue 14 from the saved summaries (python scripts/issue14_tables.py RESULTS_DIR...)."""
import json
import sys
from pathlib import Path


def row(name, d):
    v = d.get("vs_single_pass") or {}
    b = d.get("vs_best_of_n") or {}
    lo, hi = d["quality_ci"]
    vs = (f"{v['diff'] * 100:+.1f} [{v['diff_ci'][0] * 100:+.0f}, {v['diff_ci'][1] * 100:+.0f}], "
          f"{v['wins']}/{v['losses']}, p={v['p_sign_test']:.2g}" if v else "—")
    vb = (f"{b['diff'] * 100:+.1f} [{b['diff_ci'][0] * 100:+.0f}, {b['diff_ci'][1] * 100:+.0f}], "
          f"p={b['p_sign_test']:.2g}" if b else "—")
    return (f"| {name} | {d['quality'] * 100:.1f}% [{lo * 100:.0f}, {hi * 100:.0f}] | "
            f"{d.get('constraint_level', 0) * 100:.1f}% | {vs} | {vb} | "
            f"{d['harm_rate'] * 100:.0f}% | {d.get('degenerate_share', 0) * 100:.0f}% | "
            f"{d.get('model_share', 1) * 100:.1f}% | {d['mean_tokens']:,.0f} |")


print("| strategy | prompt-level (95% CI) | per constraint | vs single pass | vs best-of-N (same budget) | harm | "
      "degenerate finals | model-written share | mean tokens |")
print("|---|---|---|---|---|---|---|---|---|")
for path in sys.argv[1:]:
    s = json.loads((Path(path) / "summary.json").read_text())
    for name, d in s["strategies"].items():
        print(row(f"{name} ({Path(path).name})" if len(sys.argv) > 2 else name, d))
