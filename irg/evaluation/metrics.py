"""Scoring finished runs against ground truth (not against the engine's own extraction)."""
from __future__ import annotations

import json
from statistics import mean

from irg.engine.constraints import from_dict


def constraints_met(text: str, gold: list[dict]) -> list[bool]:
    return [not from_dict(c).check(text) for c in gold]


def score_records(records: list[dict], gold: dict[str, list[dict]]) -> dict:
    """Prompt-level and constraint-level satisfaction of the final answers, mean tokens and seconds."""
    errors = sum(1 for r in records if "error" in r and str(r.get("id")) in gold)
    rows = [r for r in records if "error" not in r and str(r.get("id")) in gold]
    if not rows:
        return {"n": 0, "errors": errors}
    met = [constraints_met(r["final"], gold[str(r["id"])]) for r in rows]
    first = [constraints_met(r["iterations"][0]["draft"] if r["iterations"] else "", gold[str(r["id"])]) for r in rows]
    return {
        "strategy": rows[0].get("strategy"),
        "n": len(rows),
        "errors": errors,  # runs that ended in an error record: not scored, counted here
        "prompt_level": sum(all(m) for m in met) / len(rows),
        "constraint_level": sum(map(sum, met)) / sum(map(len, met)),
        "first_draft_prompt_level": sum(all(m) for m in first) / len(rows),
        "mean_tokens": mean(r["tokens_total"] for r in rows),
        "mean_seconds": mean(r["seconds"] for r in rows),
        "mean_iterations": mean(len(r["iterations"]) for r in rows),
        "extraction_exact": sum(r.get("constraints") == gold[str(r["id"])] or
                                sorted(map(json.dumps, r.get("constraints", []))) ==
                                sorted(map(json.dumps, gold[str(r["id"])]))
                                for r in rows) / len(rows),
    }
