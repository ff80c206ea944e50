"""A working set for issue 38: constraints prompts from the dev/test generator with another seed, never a result.

    python scripts/working_set.py --out runs/working/dev2.jsonl
    python -m irg.bench quality --suite constraints --split all --data runs/working/dev2.jsonl --n 100 \
        --budget 1500 --workers 2 --strategies irg_hybrid --out runs/quality/dev2

The dev and test splits are drawn from one generator (the same requests and constraint sentences,
`constraint_suite.build`). Drawn again with another seed, it gives new combinations of them: a larger dev set to read
failures in, while the test split stays unread. Any prompt that is word for word a dev or test prompt is left out.
The set is the first 60 prompts holding a keyword frequency or a sentence count (the weak types of the test
split), then others holding neither, drawn at random: `--n` in all.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from irg.evaluation.suites.constraint_suite import build  # noqa: E402

SUITE = Path(__file__).resolve().parent.parent / "assets" / "suites" / "constraints.jsonl"


def working_set(n: int = 100, seed: int = 777, focus: tuple[str, ...] = ("keyword_frequency", "sentence_count"),
                focus_n: int = 60, pool: int = 0, exclude: tuple[Path, ...] = ()) -> list[dict]:
    known = {json.loads(line)["prompt"] for f in (SUITE, *exclude) for line in f.read_text().splitlines()
             if line.strip()}
    prefix = "d2_" if seed == 777 else f"d{seed}_"  # 777: the ids of the first working set
    rows = [{**r, "split": "dev"} for r in build(pool or 4 * n, seed=seed, dev_share=1.0, prefix=prefix)
            if r["prompt"] not in known]
    held = [any(g["kind"] in focus for g in r["gold_constraints"]) for r in rows]
    first = [r for r, h in zip(rows, held) if h][:focus_n]
    rest = [r for r, h in zip(rows, held) if not h]
    random.Random(1).shuffle(rest)
    return first + rest[:n - len(first)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=777)
    ap.add_argument("--focus", default="keyword_frequency,sentence_count", help="the kinds drawn first")
    ap.add_argument("--focus-n", type=int, default=60)
    ap.add_argument("--pool", type=int, default=0, help="prompts generated to draw from (default 4 × n)")
    ap.add_argument("--exclude", nargs="*", default=[], help="sets whose prompts are left out (earlier draws)")
    args = ap.parse_args(argv)
    rows = working_set(args.n, args.seed, tuple(args.focus.split(",")), args.focus_n, args.pool,
                       tuple(Path(f) for f in args.exclude))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("".join(json.dumps(r) + "\n" for r in rows))
    print(f"{len(rows)} prompts -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
