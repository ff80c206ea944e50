"""Issue 38's contradiction trial: how many of an outside author's impossible prompts the reader names, and how many
near misses it names falsely (assets/trials/contradictions/; heldout2.jsonl is held out, the rest are worked on):

    python scripts/contradictions.py [--out assets/results/contradictions-heldout2.json]
    python scripts/contradictions.py --data assets/trials/contradictions/dev.jsonl --show

A prompt is "named" when the instructions read from it include a pair `base.conflicts` says no answer can meet, or the
reading itself says a clause cannot hold ("a haiku in five lines"): the notices a run starts with. No model runs: this
is the reading alone.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from irg.engine.constraints.base import conflicts  # noqa: E402
from irg.engine.constraints.detect import read_prompt  # noqa: E402
from irg.engine.jsonl import rows  # noqa: E402

SAYS = re.compile(r"cannot (?:all|both) hold|no answer can meet")
DATA = Path(__file__).resolve().parent.parent / "assets" / "trials" / "contradictions" / "heldout2.jsonl"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", help="write the figures as JSON here")
    ap.add_argument("--data", default=str(DATA), help="the set (default: the held-out set; dev.jsonl, dev2.jsonl and "
                    "the retired prompts.jsonl beside it are sets to work on)")
    ap.add_argument("--show", action="store_true", help="print each prompt's verdict (not for the held-out set)")
    args = ap.parse_args()
    if args.show and Path(args.data).resolve() == DATA:
        ap.error("--show prints the prompts of the held-out set, which stays unread; use a development set")
    named = {True: 0, False: 0}
    total = {True: 0, False: 0}
    for r in rows(Path(args.data)):
        total[r["contradictory"]] += 1
        reading = read_prompt(r["prompt"])
        said = conflicts(reading.constraints) + [n for n in reading.notices if SAYS.search(n)]
        named[r["contradictory"]] += bool(said)
        if args.show:
            mark = ("named" if said else "MISSED") if r["contradictory"] else ("FALSE ALARM" if said else "quiet")
            print(f"{r['id']} {mark} | {r['prompt']}\n    read: {[c.instruction() for c in reading.constraints]}"
                  f"\n    why: {r['why']}" + (f"\n    said: {said}" if said else ""))
    res = {"contradictory": total[True], "named": named[True], "near_misses": total[False],
           "false_alarms": named[False]}
    print(f"named {named[True]} of {total[True]} contradictory prompts; false alarms on {named[False]} of "
          f"{total[False]} near misses")
    if args.out:
        Path(args.out).write_text(json.dumps(res, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
