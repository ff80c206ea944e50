"""`python -m irg.evaluation.suites build [--check]`: rewrite assets/suites/constraints.jsonl from the seeded
composer (byte for byte the committed file), or with --check only say whether it still matches."""
import argparse
import json
import sys

from irg.evaluation.suites import ASSETS
from irg.evaluation.suites.constraint_suite import build


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m irg.evaluation.suites", description=__doc__.split("\n")[0])
    p.add_argument("cmd", choices=["build"])
    p.add_argument("--check", action="store_true", help="compare with the committed file, write nothing")
    args = p.parse_args(argv)
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in build())
    path = ASSETS / "constraints.jsonl"
    if args.check:
        same = path.exists() and path.read_text() == text
        print(f"{path}: {'matches' if same else 'differs from'} the composer's output")
        return 0 if same else 1
    path.write_text(text)
    print(f"wrote {path} ({text.count(chr(10))} prompts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
