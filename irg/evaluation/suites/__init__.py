"""Task suites for measuring IRG: items with ground truth, loaded by name.

An item is {"id", "prompt", "gold_constraints": [...], "answer": str | None, "reference": str | None,
"task": "constraints" | "maths" | "open_qa"}. Suites:
  constraints  assets/suites/constraints.jsonl (240 prompts, 25 constraint types, dev/test split); split "train":
               the composer on requests dev/test never use, interleaved with the dev phrasing sets' prompts
               (never the held-out ones): the loop's teaching data (tuning/loop/keep.py)
  maths        generated word problems with exact answers (irg/evaluation/suites/maths.py), any n, dev/test seeds apart
  gsm8k        a GSM8K-format JSONL file (--data PATH), or the hub's test set when online (--data hub)
  open_qa      assets/suites/open_qa.jsonl (60 short questions with reference answers, dev/test split)
  phrasings    assets/phrasings/heldout.jsonl (or --data dev.jsonl): instructions as people write them, the prompts
               that state at least one (the extraction set, irg/evaluation/phrasings.py, scored as a constraints suite)
"""
from __future__ import annotations

import re
from pathlib import Path

from irg.engine import paths
from irg.engine.errors import UserError
from irg.engine.jsonl import rows
from irg.engine.registry import Registry
from irg.evaluation.suites import maths

ASSETS = paths.ASSETS / "suites"
SUITES: Registry = Registry("suite", error=ValueError)  # name -> (split, n, data, seed) -> items
PHRASINGS = ASSETS.parent / "phrasings" / "heldout.jsonl"
TRAIN_PHRASINGS = ("dev", "dev2", "dev3")  # people's wordings for training; heldout*.jsonl are never trained on
HELD_OUT = ("heldout", "heldout2")
SPLITS = ("dev", "test", "all", "train")


def _jsonl(path: Path) -> list[dict]:
    return rows(path)


def _item(row: dict, task: str) -> dict:
    return {"id": row["id"], "prompt": row["prompt"], "gold_constraints": row.get("gold_constraints", []),
            "answer": row.get("answer"), "reference": row.get("reference"), "task": task}


def load(suite: str, split: str = "test", n: int | None = None, data: str | None = None, seed: int = 0) -> list[dict]:
    loader = SUITES.get(suite)
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}.")
    if split == "train" and suite != "constraints":
        raise ValueError("Only the constraints suite has a train split.")
    if split == "train":
        return [_item(r, "constraints") for r in train_rows()[:n]]
    return loader(split, n, data, seed)


# ---- the suites: (split, n, data, seed) -> items ---------------------------------------------------------------
def _file_suite(name: str):
    def load_file(split: str, n: int | None, data: str | None, seed: int) -> list[dict]:
        rows = _jsonl(Path(data) if data else ASSETS / f"{name}.jsonl")
        rows = [r for r in rows if split == "all" or r.get("split", "test") == split]
        return [_item(r, name) for r in rows[:n] if r]
    return load_file


SUITES.register("constraints", _file_suite("constraints"))


@SUITES.register("maths")
def _maths(split: str, n: int | None, data: str | None, seed: int) -> list[dict]:
    rows = maths.generate(n or 100, seed, "test" if split == "all" else split)
    return [_item(r, "maths") for r in rows]


@SUITES.register("gsm8k")
def _gsm8k(split: str, n: int | None, data: str | None, seed: int) -> list[dict]:
    if not data:
        raise ValueError("The gsm8k suite needs --data: a GSM8K-format JSONL file, or 'hub' when online.")
    rows = maths.load_gsm8k_hub(n) if data == "hub" else maths.load_gsm8k(data, n)
    return [_item(r, "maths") for r in rows]


SUITES.register("open_qa", _file_suite("open_qa"))


@SUITES.register("phrasings")
def _phrasings(split: str, n: int | None, data: str | None, seed: int) -> list[dict]:
    rows = [{**r, "gold_constraints": r["gold"]} for r in _jsonl(Path(data) if data else PHRASINGS) if r["gold"]]
    return [_item(r, "constraints") for r in rows[:n]]


def train_rows() -> list[dict]:
    """The train split: 800 composer prompts with the dev phrasing sets' prompts (those that state a constraint)
    spread evenly among them, so any prefix mixes both. Ids: tr### (composer), dev3:t001 (a phrasing set's row)."""
    from irg.evaluation.suites.constraint_suite import build_train

    composed = build_train()
    held = {request_of(r["prompt"]) for name in HELD_OUT for r in _jsonl(ASSETS.parent / "phrasings" / f"{name}.jsonl")}
    people = [{"id": f"{name}:{r['id']}", "prompt": r["prompt"], "gold_constraints": r["gold"], "split": "train"}
              for name in TRAIN_PHRASINGS for r in _jsonl(ASSETS.parent / "phrasings" / f"{name}.jsonl")
              if r["gold"] and _checkable(r["gold"]) and request_of(r["prompt"]) not in held]
    out, step = [], len(composed) / max(1, len(people))
    for i, r in enumerate(composed):
        out.append(r)
        while people and len(out) - i - 1 < (i + 1) / step:  # one phrasing row after every ~`step` composed ones
            out.append(people.pop(0))
    seen: set[str] = set()  # the composer repeats some whole-prompt rows (10 questions for ~67 of them): once each
    return [r for r in out + people if not (r["prompt"] in seen or seen.add(r["prompt"]))]


def request_of(prompt: str) -> str:
    """A prompt's first sentence, lowercased: the request a near copy would share ("Write a toast for my sister's
    wedding." with other constraints). A dev row that shares it with a held-out one is not trained on."""
    return re.split(r"(?<=[.?!])\s", prompt.strip(), maxsplit=1)[0].strip().lower()


def _checkable(gold: list[dict]) -> bool:
    """A gold list every checker can be built from (one phrasing row repeats a request the gold leaves empty)."""
    from irg.engine.constraints import from_dict

    try:
        [from_dict(c) for c in gold]
        return True
    except (UserError, ValueError, KeyError, TypeError):
        return False
