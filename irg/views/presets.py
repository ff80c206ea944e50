"""Classroom presets: prompts with ground truth a run can be checked against.

Each preset has the constraints a reader finds in its prompt (the engine extracts its own;
the test suite checks the two agree), and where there is one an exact result (a number,
or a word such as a city) and/or a reference answer to compare with. The check here is
independent of the run's own analysis: it is the teacher's answer key.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from irg.engine import paths
from irg.engine.answers import parse_number
from irg.engine.compose.constraint import said
from irg.engine.degenerate import degeneration
from irg.evaluation.metrics import constraints_met
from irg.evaluation.summary import exact_match

PRESETS_FILE = paths.ASSETS / "presets.json"


@dataclass
class Preset:
    id: str
    title: str
    prompt: str
    constraints: list[dict] = field(default_factory=list)
    answer: str | None = None  # exact result: a number, or a word that must appear
    reference: str | None = None  # a model answer to compare with (shown, not scored here)
    note: str = ""
    strategy: str = "irg_hybrid"  # picking the example also picks this strategy ...
    adapter: str | None = None  # ... and this tuned adapter (its name, e.g. "lora"), where the model has it
    # True for the examples that exist to show the key rejecting what the rules accept (a wrong sum, stated
    # correctly step by step): their card says so, and the browser test does not ask them to meet the key
    key_may_fail: bool = False

    def answer_ok(self, text: str) -> bool | None:
        """None without an exact result; numbers compare as numbers, words as whole words."""
        if self.answer is None:
            return None
        if parse_number(self.answer) is not None:
            return exact_match(text, self.answer)
        return re.search(r"\b" + re.escape(self.answer) + r"\b", text, re.I) is not None

    def check(self, text: str) -> dict:
        """{'met': k, 'total': n, 'quality': k/n, 'items': [(label, ok), ...], 'debris': why or ""} over every
        checkable item. Debris (irg/engine/degenerate.py) meets nothing, whatever its form: "PIZZA IS LIFE" four
        times is not a slogan in capitals, and "Yes, I can do that." does not start an answer with 'Yes'."""
        debris = degeneration(text) or ""
        items = [(said(c), ok and not debris)
                 for c, ok in zip(self.constraints, constraints_met(text, self.constraints))]
        ok = self.answer_ok(text)
        if ok is not None:
            items.append((f"exact result {self.answer}", ok and not debris))
        met = sum(ok for _, ok in items)
        return {"met": met, "total": len(items), "quality": met / len(items) if items else None, "items": items,
                "debris": debris}


@lru_cache(maxsize=1)
def load(path: Path = PRESETS_FILE) -> tuple[Preset, ...]:
    return tuple(Preset(**p) for p in json.loads(path.read_text())) if path.exists() else ()


KEY_MAY_FAIL = ("This example is here to show the answer key rejecting what the rules accept: the rules check every "
                "step the model writes, not whether the final number answers the question, so a run may end "
                "\u201cdone\u201d with a wrong result.")


def titles() -> list[str]:
    return [p.title for p in load()]


def by_title(title: str | None) -> Preset | None:
    return next((p for p in load() if p.title == title), None)


def matching(prompt: str, title: str | None) -> Preset | None:
    """The selected preset, if the prompt is still its prompt (an edited prompt has no answer key)."""
    p = by_title(title)
    return p if p is not None and p.prompt.strip() == (prompt or "").strip() else None
