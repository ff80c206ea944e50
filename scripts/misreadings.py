"""Issue 38's misreading probes: wordings whose readings a reviewer wrote down as regexes over a summary of what is
read (assets/trials/misreadings/review-cases.txt; "P:" a prompt for read_prompt, "R:" a clause for the program
reader, "+" a regex that must match, "-" one that must not). A development set: it was read and worked on.

    python scripts/misreadings.py [--show] [--cases assets/trials/misreadings/review2-cases.txt]
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from irg.engine.compose.reader import read  # noqa: E402
from irg.engine.constraints.detect import read_prompt  # noqa: E402

CASES = Path(__file__).resolve().parent.parent / "assets" / "trials" / "misreadings" / "review-cases.txt"


def summary(c) -> str:
    if c.kind == "composed":
        return "composed: " + c.says()
    d = c.to_dict()
    d.pop("kind", None)
    return c.kind + " " + " ".join(f"{k}={v}" for k, v in d.items())


def cases(path: Path = CASES) -> list[dict]:
    out: list[dict] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        if line[:3] in ("P: ", "R: "):
            out.append({"mode": line[0], "text": line[3:], "want": [], "avoid": []})
        elif line.startswith("+ "):
            out[-1]["want"].append(line[2:])
        elif line.startswith("- "):
            out[-1]["avoid"].append(line[2:])
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", action="store_true", help="print each wording that fails, with what was read")
    ap.add_argument("--cases", default=str(CASES), help="a file of cases (default: the first review's; the second "
                    "review's: assets/trials/misreadings/review2-cases.txt)")
    args = ap.parse_args()
    all_cases, ok = cases(Path(args.cases)), 0
    for c in all_cases:
        got = ([summary(x) for x in read_prompt(c["text"]).constraints] if c["mode"] == "P"
               else [p.describe() for p in read(c["text"])])
        s = "\n".join(got)
        bad = [w for w in c["want"] if not re.search(w, s, re.M)] + \
              ["NOT " + a for a in c["avoid"] if re.search(a, s, re.M)]
        ok += not bad
        if bad and args.show:
            print(f"{c['text']}\n    read: {got}\n    fails: {bad}")
    print(f"{ok} of {len(all_cases)} wordings read as the reviewer wrote")
    return 0


if __name__ == "__main__":
    sys.exit(main())
