"""Issue 20's trials: the held-out robustness set (assets/trials/robustness/, written by someone who had not read the
code) through the batch CLI of a checkout, resuming after every crash, counting what was lost.

    .venv/bin/python scripts/robustness_trials.py --checkout . --out runs/trials/after
    .venv/bin/python scripts/robustness_trials.py --checkout /tmp/before --out runs/trials/before

For each file: process crashes (a run that ended by a signal or a non-zero code), the resumes it took, valid lines
with no record at the end (lost), tracebacks printed, seconds. A line counts as valid when the set's own expectation
file says it should run (for prompts.jsonl: every line).
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

SET = Path(__file__).resolve().parent.parent / "assets" / "trials" / "robustness"
RUN = ["--strategy", "irg_hybrid", "--max-iters", "3", "--budget", "1500", "--n-jobs", "2"]


def expected_ids(name: str) -> set[str]:
    if name == "prompts.jsonl":
        return {json.loads(line)["id"] for line in (SET / name).read_text().splitlines() if line.strip()}
    if name == "constraints.jsonl":
        exp = json.loads((SET / "constraints_expected.json").read_text())
        return {k for k, v in exp.items() if v["category"] != "invalid"}
    exp = json.loads((SET / "odd_lines_expected.json").read_text())
    return {v["id"] for v in exp.values() if v["category"] == "valid"}


def trial(checkout: Path, name: str, out_dir: Path, max_runs: int = 6) -> dict:
    out = out_dir / f"{name}.out.jsonl"
    log = out_dir / f"{name}.stderr.txt"
    out.unlink(missing_ok=True)
    py = checkout / ".venv" / "bin" / "python"
    runs, crashes, tracebacks, codes = 0, 0, 0, []
    t0 = time.perf_counter()
    with open(log, "w") as err:
        while runs < max_runs:
            runs += 1
            p = subprocess.run([str(py), "-m", "irg", "batch", "--in", str(SET / name), "--out", str(out), *RUN],
                               cwd=checkout, capture_output=True, text=True, errors="replace")
            err.write(f"=== run {runs}: rc {p.returncode}\n{p.stderr}\n")
            tracebacks += p.stderr.count("Traceback (most recent call last)")
            codes.append(p.returncode)
            if p.returncode == 0:
                break
            crashes += 1
    return {"file": name, "runs": runs, "crashes": crashes, "return_codes": codes, "tracebacks": tracebacks,
            "seconds": round(time.perf_counter() - t0, 1), **count(name, out, log)}


def count(name: str, out: Path, log: Path) -> dict:
    """Records written, lines refused with a sentence (`…:N: why; line skipped`), and valid lines with neither."""
    rows = []
    for line in (out.read_bytes().splitlines() if out.exists() else []):
        try:
            rows.append(json.loads(line))
        except ValueError:
            pass
    got = {str(r.get("id")) for r in rows}
    skipped = {int(m.group(1)) for m in re.finditer(rf"{re.escape(name)}:(\d+): .*; line skipped",
                                                    log.read_text(errors="replace"))}
    line_ids = {}
    for n, raw in enumerate((SET / name).read_bytes().split(b"\n"), start=1):
        try:
            line_ids[n] = str(json.loads(raw.removeprefix(b"\xef\xbb\xbf"))["id"])
        except (ValueError, KeyError, TypeError):
            pass
    refused = {line_ids[n] for n in skipped if n in line_ids}
    want = expected_ids(name)
    lost = want - got - refused
    return {"valid_lines": len(want), "records": len(rows), "refused_with_a_sentence": len(skipped),
            "valid_lines_lost": len(lost), "lost_ids": sorted(lost)[:20],
            "error_records": sum("error" in r for r in rows),
            "stop_error": sum(r.get("stop_reason") == "error" for r in rows),
            "runs_with_conflict_notice": sum(any("cannot both hold" in x for x in r.get("notices", [])) for r in rows),
            "plans_letting_a_ban_go": sum(bool((it.get("plan") or {}).get("conflicts")) for r in rows
                                          for it in r.get("iterations", [])),
            "largest_record_kb": round(max((len(json.dumps(r)) for r in rows), default=0) / 1024, 1)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkout", default=".")
    ap.add_argument("--out", required=True)
    ap.add_argument("--files", default="prompts.jsonl,constraints.jsonl,odd_lines.jsonl")
    ap.add_argument("--recount", action="store_true", help="count the outputs already in --out again; run nothing")
    args = ap.parse_args()
    out_dir = Path(args.out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    results = []
    old = {r["file"]: r for r in json.loads((out_dir / "summary.json").read_text())} if args.recount else {}
    for name in args.files.split(","):
        if args.recount:
            keep = {k: old[name][k] for k in ("runs", "crashes", "return_codes", "tracebacks", "seconds")}
            r = {"file": name, **keep, **count(name, out_dir / f"{name}.out.jsonl", out_dir / f"{name}.stderr.txt")}
        else:
            r = trial(Path(args.checkout).resolve(), name, out_dir)
        print(json.dumps(r), flush=True)
        results.append(r)
    (out_dir / "summary.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
