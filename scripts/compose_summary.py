"""Issue 37's summary, in the issue's schema, from the two committed runs beside it:

    python scripts/compose_summary.py   # reads reading.json and quality.json, writes summary.json

    {"coverage": share of the held-out set's expressible beyond-type instructions read right,
     "wrong_reading": share of its beyond-type instructions read wrong,
     "agreement": the checker's agreement with the author's verdicts on the triples it judges,
     "n_triples": triples judged, "n": prompts in the quality run,
     "quality": {"single_pass": q, "best_of_n": q, "irg_hybrid": q}}   # q: share of scored instructions met
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent.parent / "assets" / "results" / "compose"


def summary(reading: dict, quality: dict) -> dict:
    held, triples, q = reading["heldout"], reading["triples"], quality["summary"]
    return {"coverage": held["coverage"], "wrong_reading": held["wrong_reading"], "agreement": triples["agreement"],
            "n_triples": triples["judged"], "n": q["n_prompts"],
            "quality": {s: q[s]["programs_met"] for s in ("single_pass", "best_of_n", "irg_hybrid")},
            "prompts_all_met": {s: q[s]["prompts_all_met"] for s in ("single_pass", "best_of_n", "irg_hybrid")},
            "degenerate": {s: q[s]["degenerate"] for s in ("single_pass", "best_of_n", "irg_hybrid")},
            "harm_vs_single_pass": q["harm_vs_single_pass"],
            "commands": ["python scripts/compose_reading.py --out assets/results/compose/reading.json",
                         quality["command"], *([quality["rescored"]] if quality.get("rescored") else []),
                         "python scripts/compose_summary.py"]}


def main() -> int:
    out = summary(json.loads((RESULTS / "reading.json").read_text()),
                  json.loads((RESULTS / "quality.json").read_text()))
    (RESULTS / "summary.json").write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
