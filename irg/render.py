"""Lossless rendering: pure-form constraints applied by the program to the model's own words.

Letter case, quotation wrapping, commas and JSON wrapping are form, not content. A micro model asked for them
either ignores the instruction or, under a hard decoding mask, writes debris ("I,\\nA\\nL\\nI"). The program can do
them exactly and without loss: the model writes freely and each step is shown as its own labelled step
("rendered: uppercase"), never hidden, with the characters the program added counted so the share of the answer
the model wrote can be reported.

A step runs only if it leaves every constraint that was met still met (lowercasing would break "SECTION 1"; removing
commas would break JSON), so rendering can only help.
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Callable

from irg.constraints import Constraint, strip_fences
from irg.degenerate import degeneration


@dataclass
class RenderStep:
    kind: str  # the constraint kind it serves
    label: str  # what the UI and the record show, e.g. "rendered: uppercase"
    added: int  # characters the program added (quotes, JSON wrapper)
    changed: int  # characters it changed or removed

    def to_dict(self) -> dict:
        return asdict(self)


def _commas(text: str) -> str:
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # 1,000 -> 1000: nothing lost
    return re.sub(r"\s*,\s*", " ", text).replace(" \n", "\n")  # a pause, not a word: prose keeps its words


def _quote(text: str) -> str:
    t = text.strip()
    return t if len(t) >= 2 and t[0] in "\"“" and t[-1] in "\"”" else f'"{t}"'


def _json(text: str) -> str:
    try:
        json.loads(strip_fences(text))
        return text
    except ValueError:
        return json.dumps({"answer": text.strip()}, ensure_ascii=False)


# kind -> (label, function); applied in this order (commas before case before wrapping, wrapping last)
RENDERERS: dict[str, tuple[str, Callable[[str], str]]] = {
    "no_commas": ("rendered: commas removed", _commas),
    "lowercase": ("rendered: lowercase", str.lower),
    "uppercase": ("rendered: uppercase", str.upper),
    "json_format": ("rendered: wrapped as JSON", _json),
    "quotation": ("rendered: wrapped in quotes", _quote),
}


def _met(text: str, constraints: list[Constraint]) -> set[int]:
    return {i for i, c in enumerate(constraints) if not c.check(text)}


def render(text: str, constraints: list[Constraint]) -> tuple[str, list[RenderStep]]:
    """The text with every applicable pure-form constraint applied, and the steps taken (empty if none)."""
    steps: list[RenderStep] = []
    if not text.strip() or degeneration(text):
        return text, steps  # debris rendered is still debris: the guard, not the renderer, deals with it
    kinds = {c.kind for c in constraints}
    for kind, (label, fn) in RENDERERS.items():
        if kind not in kinds:
            continue
        before = _met(text, constraints)
        if any(constraints[i].kind == kind for i in before):
            continue  # already met: nothing to do
        out = fn(text)
        if out == text or not before <= _met(out, constraints) or not re.search(r"\w", out):
            continue  # no change, it would break something that was met, or nothing would be left
        added = max(0, len(out) - len(text))
        changed = sum(a != b for a, b in zip(text, out)) + max(0, len(text) - len(out))
        steps.append(RenderStep(kind, label, added, changed))
        text = out
    return text, steps


def model_share(text: str, program_chars: int) -> float:
    """The share of the answer's characters the model wrote (the rest: scaffolds and rendering)."""
    return 1.0 if not text else round(max(0.0, 1 - program_chars / len(text)), 4)
