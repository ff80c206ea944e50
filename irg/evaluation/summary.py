"""Scoring a results file against ground truth, with paired statistics, and its HTML report.

Quality of one answer, by task:
  constraints  1 if every ground-truth constraint is met, else 0 (and per constraint, per type)
  maths        1 if the final answer equals the exact result, else 0
  open_qa      semantic similarity to the reference (all-MiniLM-L6-v2 cosine); ROUGE-1/2/L alongside
Against single pass, per strategy: the paired difference with a bootstrap 95% CI, an exact sign
test (= exact McNemar for 0/1 outcomes) on the discordant prompts, the harm rate (some iteration
was right, the final answer is wrong), and the Anytime Index (quality gained per 1,000 tokens).
"""
from __future__ import annotations

import json
import math
import random
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from statistics import mean

from irg.engine.answers import final_answer, parse_number
from irg.engine.degenerate import degeneration
from irg.engine.embed import Embedder, EmbedderMissing
from irg.engine.jsonl import rows
from irg.evaluation.anytime import anytime_index
from irg.evaluation.metrics import constraints_met

METRIC_DIR = Path(__file__).resolve().parent / "metric_modules"
BUDGET_GRID = (100, 200, 300, 400, 500, 600, 800, 1000, 1200, 1500, 2000, 3000)


# ---- per-answer metrics ----------------------------------------------------------------------
def exact_match(text: str, answer: str) -> bool:
    want, got = parse_number(answer), final_answer(text or "")
    if want is None or got is None:
        return False
    return abs(float(got) - want) < 1e-6


@lru_cache(maxsize=1)
def rouge_metric():
    import evaluate  # a local module: evaluate.load cannot reach the hub here

    return evaluate.load(str(METRIC_DIR / "rouge"))


def rouge(preds: list[str], refs: list[str]) -> dict[str, list[float]]:
    return rouge_metric().compute(predictions=[p or "" for p in preds], references=refs, use_aggregator=False)


class Similarity:
    """all-MiniLM-L6-v2 cosine similarity between answers and references (the engine's shared embedder)."""

    _instance = None

    def __init__(self):
        try:
            self.embedder = Embedder.get()
        except EmbedderMissing as e:
            raise RuntimeError(str(e)) from None
        self.embed = self.embedder.embed

    @classmethod
    def get(cls) -> "Similarity":
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance

    def score(self, preds: list[str], refs: list[str]) -> list[float]:
        a, b = self.embed(preds), self.embed(refs)
        return [round(float(x), 4) for x in (a * b).sum(-1)]


def quality(row: dict, text: str) -> float:
    """The primary quality of one answer to this row's item (open_qa needs similarity: see quality_batch).
    A degenerate answer (irg/engine/degenerate.py) scores 0 whatever the checkers say."""
    if degeneration(text or ""):
        return 0.0
    if row["task"] == "maths":
        return float(exact_match(text, row["answer"]))
    if row["task"] == "constraints":
        return float(all(constraints_met(text or "", row["gold_constraints"])))
    return Similarity.get().score([text], [row["reference"]])[0]


# ---- what a run would have returned at a smaller budget / after fewer iterations -------------
def chosen_at(row: dict, tokens: float = math.inf, iterations: int = 10**9) -> str | None:
    """The draft the run returns if stopped after `iterations` or when `tokens` are spent: the best by the
    run's own score among the iterations that fit (the first of equals), or None if none fits."""
    its = [it for it in row["iterations"] if it.get("tokens_cum", 0) <= tokens and it["iteration"] <= iterations]
    if not its:
        return None
    best = max(its, key=lambda it: it.get("score", 0.0))
    return best["draft"]


# ---- statistics ------------------------------------------------------------------------------
def bootstrap_ci(values: list[float], n: int = 2000, seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap 95% CI of the mean. Kept by hand (Python's random, seed 0) rather than
    scipy.stats.bootstrap: numpy's generator draws other resamples, which moves 59 of the 240 CI endpoints
    in the summaries of the committed results by one or two points on 0/1 outcomes (n = 100): beyond how
    they are reported (issue 24)."""
    if not values:
        return (math.nan, math.nan)
    r = random.Random(seed)
    means = sorted(mean(r.choices(values, k=len(values))) for _ in range(n))
    return means[int(0.025 * n)], means[int(0.975 * n) - 1]


def sign_test(wins: int, losses: int) -> float:
    """Two-sided exact binomial test on the discordant pairs (exact McNemar): scipy's binomtest, p = 1/2."""
    from scipy.stats import binomtest

    if wins + losses == 0:
        return 1.0
    return float(binomtest(wins, wins + losses, 0.5).pvalue)


# ---- the whole file ----------------------------------------------------------------------------
def load_results(path: Path) -> list[dict]:
    """The complete records, the last one of each (prompt, strategy): a line cut by a kill, or a run that failed, is
    left out; a run repeated after a "retry" record counts once."""
    last = {}
    for r in rows(path, quiet=True):
        last[(str(r.get("id")), r.get("strategy"))] = r
    return [r for r in last.values() if "error" not in r]


def score_rows(rows: list[dict]) -> None:
    """Adds r['q'] (final), r['q_iters'] (each iteration's draft), r['rouge'] for open_qa, in place."""
    by_task = defaultdict(list)
    for r in rows:
        by_task[r["task"]].append(r)
    for task, rs in by_task.items():
        if task == "open_qa":
            sim = Similarity.get()
            finals = sim.score([r["final"] for r in rs], [r["reference"] for r in rs])
            rg = rouge([r["final"] for r in rs], [r["reference"] for r in rs])
            for i, r in enumerate(rs):
                r["q"] = 0.0 if degeneration(r["final"] or "") else finals[i]
                r["rouge"] = {k: v[i] for k, v in rg.items()}
                drafts = [it["draft"] for it in r["iterations"]]
                sims = sim.score(drafts, [r["reference"]] * len(drafts)) if drafts else []
                r["q_iters"] = [0.0 if degeneration(d) else q for d, q in zip(drafts, sims)]
        else:
            for r in rs:
                r["q"] = quality(r, r["final"])
                r["q_iters"] = [quality(r, it["draft"]) for it in r["iterations"]]


def _model_share(row: dict) -> float:
    """The share of the final answer's characters the model wrote (scaffold literals and rendering aside)."""
    for it in row["iterations"]:
        if it["draft"] == row.get("final"):
            return it.get("model_share", 1.0)
    return 1.0


def _q_of(row: dict, text: str | None, cache: dict) -> float:
    if text is None:
        return 0.0
    for it, q in zip(row["iterations"], row["q_iters"]):
        if it["draft"] == text:
            return q
    return cache.setdefault(text, quality(row, text))


def paired(rs: dict, base: dict) -> dict | None:
    """Strategy vs a baseline on the prompts both ran: mean difference, bootstrap CI, sign test, Anytime Index."""
    ids = [i for i in rs if i in base]
    if not ids:
        return None
    diffs = [rs[i]["q"] - base[i]["q"] for i in ids]
    wins, losses = sum(x > 0 for x in diffs), sum(x < 0 for x in diffs)
    q0, t0 = mean(base[i]["q"] for i in ids), mean(base[i]["tokens_total"] for i in ids)
    q1, t1 = mean(rs[i]["q"] for i in ids), mean(rs[i]["tokens_total"] for i in ids)
    return {"n": len(ids), "diff": mean(diffs), "diff_ci": bootstrap_ci(diffs), "wins": wins, "losses": losses,
            "p_sign_test": sign_test(wins, losses), "ratio": (q1 / q0) if q0 else None,
            "anytime_index": anytime_index(q0, t0, q1, t1)}


def compare_files(a: str | Path, b: str | Path, strategy: str = "irg_hybrid") -> dict:
    """`strategy` in results file a against the same strategy in b, paired on the prompts both ran: quality
    (bootstrap CI, sign test), tokens, and a's quality per token against b's."""
    def rows(p):
        p = Path(p)
        rs = [r for r in load_results(p / "results.jsonl" if p.is_dir() else p) if r["strategy"] == strategy]
        if not rs:
            raise ValueError(f"No {strategy} runs in {p}.")
        score_rows(rs)
        return {str(r["id"]): r for r in rs}
    ra, rb = rows(a), rows(b)
    res = paired(ra, rb)
    if res is None:
        raise ValueError("The two files share no prompts.")
    ids = [i for i in ra if i in rb]
    tok_a, tok_b = [ra[i]["tokens_total"] for i in ids], [rb[i]["tokens_total"] for i in ids]
    return {"strategy": strategy, "a": str(a), "b": str(b), **res,
            "quality_a": mean(ra[i]["q"] for i in ids), "quality_b": mean(rb[i]["q"] for i in ids),
            "quality_a_ci": bootstrap_ci([ra[i]["q"] for i in ids]),
            "quality_b_ci": bootstrap_ci([rb[i]["q"] for i in ids]),
            "mean_tokens_a": mean(tok_a), "mean_tokens_b": mean(tok_b),
            "tokens_diff_ci": bootstrap_ci([x - y for x, y in zip(tok_a, tok_b)])}


def summarize(rows: list[dict]) -> dict:
    score_rows(rows)
    by = defaultdict(dict)
    for r in rows:
        by[r["strategy"]][str(r["id"])] = r
    strategies = list(by)
    base = by.get("single_pass", {})
    binary = all(r["task"] != "open_qa" for r in rows)
    out: dict = {"n_rows": len(rows), "tasks": sorted({r["task"] for r in rows}), "strategies": {}}
    cache: dict = {}
    for s in strategies:
        rs = by[s]
        qs = [r["q"] for r in rs.values()]
        toks = [r["tokens_total"] for r in rs.values()]
        d: dict = {"n": len(rs), "quality": mean(qs), "quality_ci": bootstrap_ci(qs), "mean_tokens": mean(toks),
                   "mean_seconds": mean(r["seconds"] for r in rs.values()),
                   "mean_iterations": mean(len(r["iterations"]) for r in rs.values()),
                   "degenerate_share": mean(float(bool(degeneration(r.get("final") or ""))) for r in rs.values()),
                   "model_share": mean(_model_share(r) for r in rs.values())}
        if binary:  # harm: some iteration was right, the final answer is not
            d["harm_rate"] = mean(float(max(r["q_iters"], default=0) >= 1 and r["q"] < 1) for r in rs.values())
        else:
            d["harm_rate"] = mean(float(r["q_iters"] and r["q"] < r["q_iters"][0] - 0.05) for r in rs.values())
        if rs and all("rouge" in r for r in rs.values()):
            d["rouge"] = {k: mean(r["rouge"][k] for r in rs.values()) for k in ("rouge1", "rouge2", "rougeL")}
        if s != "single_pass" and base and (v := paired(rs, base)):
            d["vs_single_pass"] = v
        if s not in ("single_pass", "best_of_n") and by.get("best_of_n") and (v := paired(rs, by["best_of_n"])):
            d["vs_best_of_n"] = v  # the baseline given the same budget
        iters = max((len(r["iterations"]) for r in rs.values()), default=0)
        d["by_iteration"] = [mean(_q_of(r, chosen_at(r, iterations=k), cache) for r in rs.values())
                             for k in range(1, iters + 1)]
        d["by_budget"] = {b: mean(_q_of(r, chosen_at(r, tokens=b), cache) for r in rs.values()) for b in BUDGET_GRID}
        if rows[0]["task"] == "constraints":
            per, share = defaultdict(list), defaultdict(list)
            for r in rs.values():
                for c, ok in zip(r["gold_constraints"], constraints_met(r["final"], r["gold_constraints"])):
                    per[c["kind"]].append(ok)
                    share[c["kind"]].append(_model_share(r))  # of the answers asked for this type: what the model wrote
            d["by_constraint_type"] = {k: {"n": len(v), "met": mean(v), "model_share": round(mean(share[k]), 4)}
                                       for k, v in sorted(per.items())}
            d["constraint_level"] = mean(x for v in per.values() for x in v)
        out["strategies"][s] = d
    if rows and rows[0]["task"] == "constraints":
        out["extraction"] = extraction(list(next(iter(by.values())).values()))
    return out


def extraction(rows: list[dict]) -> dict:
    """The engine's own extraction (recorded in each run) against the ground-truth constraints."""
    tp = fp = fn = 0
    per = defaultdict(lambda: [0, 0, 0])
    for r in rows:
        got = {json.dumps(c, sort_keys=True) for c in r.get("constraints", [])}
        gold = {json.dumps(c, sort_keys=True) for c in r["gold_constraints"]}
        for c in got & gold:
            tp += 1
            per[json.loads(c)["kind"]][0] += 1
        for c in got - gold:
            fp += 1
            per[json.loads(c)["kind"]][1] += 1
        for c in gold - got:
            fn += 1
            per[json.loads(c)["kind"]][2] += 1
    return {"precision": tp / (tp + fp) if tp + fp else None, "recall": tp / (tp + fn) if tp + fn else None,
            "prompts_exact": mean(float({json.dumps(c, sort_keys=True) for c in r.get("constraints", [])} ==
                                        {json.dumps(c, sort_keys=True) for c in r["gold_constraints"]}) for r in rows),
            "by_type": {k: {"tp": v[0], "fp": v[1], "fn": v[2]} for k, v in sorted(per.items())}}


def report(results: Path, out_dir: Path) -> dict:
    from irg.evaluation.summary_html import write_html

    summary = summarize(load_results(results))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=1))
    write_html(summary, out_dir / "report.html", title=f"IRG Lab quality report: {results}")
    return summary


def print_summary(summary: dict) -> None:
    print(f"{'strategy':18} {'n':>4} {'quality':>8} {'95% CI':>15} {'vs single':>10} {'p':>8} {'harm':>6} {'tokens':>7}"
          f" {'AI/1k':>7} {'degen':>6} {'model':>6}")
    for s, d in summary["strategies"].items():
        v = d.get("vs_single_pass")
        lo, hi = d["quality_ci"]
        diff = f"{v['diff']:+.3f}" if v else ""
        p = f"{v['p_sign_test']:.2g}" if v else ""
        ai = f"{v['anytime_index']:+.3f}" if v and v["anytime_index"] is not None else ""
        ci = f"[{lo:.3f}, {hi:.3f}]"
        print(f"{s:18} {d['n']:>4} {d['quality']:>8.3f} {ci:>15} {diff:>10} {p:>8} {d['harm_rate']:>6.1%} "
              f"{d['mean_tokens']:>7.0f} {ai:>7} {d.get('degenerate_share', 0):>6.1%} {d.get('model_share', 1):>6.1%}")
    for s, d in summary["strategies"].items():
        if v := d.get("vs_best_of_n"):
            lo, hi = v["diff_ci"]
            print(f"{s} vs best_of_n (same budget): {v['diff']:+.3f} [{lo:+.3f}, {hi:+.3f}], "
                  f"{v['wins']}/{v['losses']}, p = {v['p_sign_test']:.2g}")
    if "extraction" in summary:
        e = summary["extraction"]
        print(f"extraction vs ground truth: precision {e['precision']:.3f}, recall {e['recall']:.3f}, "
              f"prompts exact {e['prompts_exact']:.3f}")
