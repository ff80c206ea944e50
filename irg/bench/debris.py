"""What the stricter degeneration guard changes (issue 35): `python -m irg.bench debris --run NAME=DIR ... [--out F]`.

Each DIR is a quality run (`python -m irg.bench quality ... --out DIR`). For every run and strategy this prints
quality and the degenerate share of the finals under the guard before issue 35 (`degeneration(loops=False)`) and
under today's guard — the same finals, judged twice — and, paired with the first run named `before` (by prompt id,
per strategy), the quality difference with its CI and sign test. For the IRG strategies it counts the drafts the
guard sent back for another draft (a degenerate finding on an iteration that was not the last), how many of those
the older guard would have passed, and what the runs spent.
"""
from __future__ import annotations

import json
from pathlib import Path
from statistics import mean

from irg.engine.degenerate import degeneration
from irg.engine.values import checked
from irg.evaluation.metrics import constraints_met
from irg.evaluation.summary import load_results, paired, score_rows


def _by_strategy(path: Path) -> dict[str, dict[str, dict]]:
    rows = load_results(path / "results.jsonl")
    score_rows(rows)  # quality today: a degenerate final scores 0
    out: dict[str, dict[str, dict]] = {}
    for r in rows:
        out.setdefault(r["strategy"], {})[str(r["id"])] = r
    return out


def _old_quality(r: dict) -> float:
    """The row's quality as the guard before issue 35 scored it (constraint prompts: all gold constraints met)."""
    text = r["final"] or ""
    if r["task"] != "constraints" or not degeneration(text) or degeneration(text, loops=False):
        return r["q"]
    return float(all(constraints_met(text, r["gold_constraints"])))


def sent_back(rs: dict[str, dict]) -> dict:
    """Drafts the guard sent back (a degenerate finding on an iteration that was not the last) and their cost."""
    sent = [(i, k) for i, r in rs.items() for k, it in enumerate(r["iterations"][:-1])
            if any(checked(f)["check"] == "degenerate" for f in it.get("findings") or [])]
    newly = [(i, k) for i, k in sent if not degeneration(rs[i]["iterations"][k]["draft"] or "", loops=False)]
    runs = sorted({i for i, _ in sent})
    first = {i: min(k for j, k in sent if j == i) for i in runs}
    after = [sum(it.get("tokens", 0) for it in rs[i]["iterations"][first[i] + 1:]) for i in runs]
    return {"drafts_sent_back": len(sent), "runs_with_one": len(runs), "of_them_the_old_guard_passed": len(newly),
            "runs_with_one_the_old_guard_passed": len({i for i, _ in newly}),
            "tokens_after_the_first_sent_back_mean": round(mean(after), 1) if after else 0.0}


def measure(runs: dict[str, Path]) -> dict:
    loaded = {name: _by_strategy(path) for name, path in runs.items()}
    base = loaded.get("before", {})
    out: dict = {}
    for name, by in loaded.items():
        for strategy, rs in by.items():
            finals = [r["final"] or "" for r in rs.values()]
            d = {"n": len(rs), "quality": round(mean(r["q"] for r in rs.values()), 3),
                 "quality_old_guard": round(mean(_old_quality(r) for r in rs.values()), 3),
                 "degenerate": round(mean(bool(degeneration(t)) for t in finals), 3),
                 "degenerate_old_guard": round(mean(bool(degeneration(t, loops=False)) for t in finals), 3),
                 "unusable_marked": sum(bool(r.get("unusable")) for r in rs.values()),
                 "stopped_no_critical_on_debris": sum(r["stop_reason"] == "no_critical"
                                                      and bool(degeneration(r["final"] or ""))
                                                      for r in rs.values()),
                 "tokens": round(mean(r["tokens_total"] for r in rs.values()), 1),
                 "iterations": round(mean(len(r["iterations"]) for r in rs.values()), 2)}
            if name != "before" and (b := base.get(strategy)) and (v := paired(rs, b)):
                d["vs_before"] = {k: v[k] for k in ("n", "diff", "diff_ci", "wins", "losses", "p_sign_test")}
                ids = set(rs) & set(b)
                d["tokens_vs_before"] = round(mean(rs[i]["tokens_total"] - b[i]["tokens_total"] for i in ids), 1)
            if strategy.startswith("irg_"):
                d["sent_back"] = sent_back(rs)
            out[f"{name}/{strategy}"] = d
    return out


def add_parser(sub) -> None:
    p = sub.add_parser("debris", help="quality and degenerate finals under the old and the new guard (issue 35)")
    p.add_argument("--run", action="append", required=True, metavar="NAME=DIR",
                   help="a quality run's folder; NAME 'before' is the one the others are paired with (repeat)")
    p.add_argument("--out", help="also write the table as JSON here")
    p.set_defaults(func=main)


def main(args) -> int:
    runs = {}
    for spec in args.run:
        name, _, path = spec.partition("=")
        if not path or not (Path(path) / "results.jsonl").exists():
            print(f"error: --run wants NAME=DIR with DIR/results.jsonl (got {spec!r})")
            return 2
        runs[name] = Path(path)
    res = measure(runs)
    for k, d in res.items():
        vs = d.get("vs_before")
        print(f"{k:>40}: quality {d['quality']:.3f} (old guard {d['quality_old_guard']:.3f})"
              f"  degenerate {d['degenerate']:.0%} (old guard {d['degenerate_old_guard']:.0%})"
              f"  tokens {d['tokens']:.0f}"
              + (f"  vs before {vs['diff']:+.3f} {vs['diff_ci']} {vs['wins']}/{vs['losses']}"
                 f" p={vs['p_sign_test']:.3g}" if vs else ""))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(res, indent=1))
    return 0
