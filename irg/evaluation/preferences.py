"""Preference data from IRG trajectories: every time a revision raised the score, (prompt, worse, better).

    python -m irg.evaluation.preferences --data runs/quality/constraints-dev/results.jsonl --out runs/prefs/pairs.jsonl
    python -m irg.evaluation.preferences --bank --data <dev results> --out assets/prompts/preference_bank.jsonl

Each line is in the conversational preference format TRL's DPOTrainer reads:
    {"prompt": [system, user], "chosen": [{"role": "assistant", ...}], "rejected": [...], ...metadata}
The prompt is the engine's own first-draft prompt (irg.engine.loop.draft_messages), so a model trained on the pairs is
trained for the single pass. Pairs are consecutive drafts whose score rose (`--all-pairs`: any earlier draft with
a lower score); where the record has ground truth, `--gold` keeps only pairs the ground truth agrees with.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from irg.engine.jsonl import rows
from irg.engine.values import checked


def _truth(row: dict, text: str) -> float | None:
    if not row.get("task") or row["task"] == "open_qa" and not row.get("reference"):
        return None
    if row["task"] == "maths" and row.get("answer") is None:
        return None
    from irg.evaluation.summary import quality

    return quality(row, text)


def pairs_from_record(row: dict, all_pairs: bool = False, gold: bool = False, min_gain: float = 1e-9) -> list[dict]:
    from irg.engine.answers import detect_task
    from irg.engine.loop import draft_messages

    its = [it for it in row.get("iterations") or [] if (it.get("draft") or "").strip()]
    if len(its) < 2:
        return []
    task = "math" if detect_task(row["prompt"]) == "math" else "general"
    prompt = draft_messages(row["prompt"], task)
    out = []
    for j in range(1, len(its)):
        for i in (range(j) if all_pairs else [j - 1]):
            lo, hi = its[i], its[j]
            if hi.get("score", 0) - lo.get("score", 0) < min_gain or lo["draft"].strip() == hi["draft"].strip():
                continue
            rec = {"prompt": prompt, "chosen": [{"role": "assistant", "content": hi["draft"]}],
                   "rejected": [{"role": "assistant", "content": lo["draft"]}],
                   "score_chosen": hi.get("score"), "score_rejected": lo.get("score"),
                   "source": f"{row.get('id')}:{lo.get('iteration')}->{hi.get('iteration')}",
                   "strategy": row.get("strategy")}
            if gold:
                qc, qr = _truth(row, hi["draft"]), _truth(row, lo["draft"])
                if qc is None or qr is None or qc < qr:
                    continue
                rec.update(quality_chosen=qc, quality_rejected=qr)
            out.append(rec)
    return out


def _critical_kinds(it: dict) -> set[str]:
    return {checked(f)["check"] for f in it.get("findings") or [] if f.get("severity") == "critical"}


def bank(paths: list[str], out: Path, per_kind: int = 2, max_chars: int = 600) -> dict:
    """A small bank for the preference planner: per finding check, the shortest pairs in which a revision
    removed that critical finding and the ground truth agrees the revision is better."""
    by_kind: dict[str, list[dict]] = {}
    for p in paths:
        for row in rows(p):
            its = [it for it in row.get("iterations") or [] if (it.get("draft") or "").strip()]
            for lo, hi in zip(its, its[1:]):
                fixed = sorted(_critical_kinds(lo) - _critical_kinds(hi))
                if (not fixed or hi.get("score", 0) <= lo.get("score", 0)
                        or max(len(lo["draft"]), len(hi["draft"])) > max_chars):
                    continue
                qc, qr = _truth(row, hi["draft"]), _truth(row, lo["draft"])
                if qc is None or qr is None or qc <= qr:
                    continue
                entry = {"prompt": row["prompt"], "worse": lo["draft"], "better": hi["draft"], "fixed": fixed,
                         "source": f"{row.get('id')}:{lo.get('iteration')}->{hi.get('iteration')}"}
                for k in fixed:
                    by_kind.setdefault(k, []).append(entry)
    chosen: list[dict] = []
    for k in sorted(by_kind):
        for e in sorted(by_kind[k], key=lambda e: len(e["worse"]) + len(e["better"]))[:per_kind]:
            if e not in chosen:
                chosen.append(e)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(e) + "\n" for e in chosen), encoding="utf-8")
    return {"pairs": len(chosen), "kinds": sorted(by_kind)}


def export(paths: list[str], out: Path, all_pairs: bool = False, gold: bool = False) -> dict:
    n_runs, pairs = 0, []
    for p in paths:
        for row in rows(p):
            if str(row.get("strategy", "")).startswith("irg_"):
                n_runs += 1
                pairs += pairs_from_record(row, all_pairs, gold)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as fh:
        for r in pairs:
            fh.write(json.dumps(r) + "\n")
    return {"runs": n_runs, "pairs": len(pairs), "prompts": len({r["source"].split(":")[0] for r in pairs})}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m irg.evaluation.preferences", description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", nargs="+", required=True, help="results.jsonl files of `python -m irg.bench quality`")
    ap.add_argument("--out", required=True)
    ap.add_argument("--bank", action="store_true", help="write the preference planner's small bank instead "
                    "(assets/prompts/preference_bank.jsonl): per finding check, short pairs that fixed it")
    ap.add_argument("--all-pairs", action="store_true", help="pair every draft with every earlier, lower-scored one")
    ap.add_argument("--gold", action="store_true", help="keep only pairs the ground truth agrees with")
    args = ap.parse_args(argv)
    try:
        stats = (bank(args.data, Path(args.out)) if args.bank
                 else export(args.data, Path(args.out), args.all_pairs, args.gold))
    except (OSError, ValueError, KeyError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
