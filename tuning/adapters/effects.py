"""What each shipped adapter does, in a few words, and its measured effect, read from the committed results.

The app offers an adapter by default only if its measured effect is positive (irg/views/session.py): the loop-taught
LoRA trained to its best dev point (issue 40) meets 21 points more constraint prompts than no adapter in one pass; the
60-step GAN and MLE students and the round-2 LoRA were not measured better (assets/results/distill_loop/summary.json),
so they sit behind the "experimental adapters" setting, as does a listed adapter whose measurement cannot be read.
An adapter this table does not list (one a user adds) is offered and says it was not measured.
"""
from __future__ import annotations

import json
from functools import lru_cache

from irg.engine import paths

RESULTS = paths.ASSETS / "results"
FACTS = "questions on invented authors"
LOOP = "the loop's answers in one pass"
# adapter name -> (what it does, where its effect is measured: (file, keys to the paired difference), unit)
MEASURED = {
    "gan": (FACTS, ("tuning/compare.json", ("gan", "vs_base")), "ROUGE-1"),
    "lora": (FACTS, ("tuning/compare.json", ("lora", "vs_base")), "ROUGE-1"),
    "loop_lora": (LOOP, ("distill_loop/summary.json", ("students_vs_base_single", "lora")), "constraint prompts met"),
    "loop_gan": (LOOP, ("distill_loop/summary.json", ("students_vs_base_single", "gan")), "constraint prompts met"),
    "loop_mle": (LOOP, ("distill_loop/summary.json", ("students_vs_base_single", "mle")), "constraint prompts met"),
    "loop_lora_r2": (LOOP, ("distill_loop/summary.json", ("round_2", "vs_base_single")), "constraint prompts met"),
}


@lru_cache(maxsize=None)
def _read(name: str) -> dict:
    try:
        return json.loads((RESULTS / name).read_text())
    except (OSError, ValueError):
        return {}


def measured(name: str) -> tuple[float, list[float]] | None:
    """The adapter's paired difference from the base model and its 95% CI, or None if it was not measured."""
    if name not in MEASURED:
        return None
    d = _read(MEASURED[name][1][0])
    for key in MEASURED[name][1][1]:
        d = d.get(key) if isinstance(d, dict) else None
    if not isinstance(d, dict):
        return None
    diff, ci = d.get("rouge1_delta", d.get("diff")), d.get("ci95", d.get("ci"))
    try:
        lo, hi = (float(x) for x in ci)
        return float(diff), [lo, hi]
    except (TypeError, ValueError):  # no figure, or not a pair of numbers: not measured
        return None


def helps(name: str) -> bool:
    """Offered by default: measured better than the base model, or an adapter this table does not know."""
    if name not in MEASURED:
        return True
    m = measured(name)
    return m is not None and m[0] > 0


def describe(name: str) -> str:
    """A few words: what it does and its measured effect vs no adapter, e.g. "facts of invented authors: ROUGE-1 +0.20
    [+0.15, +0.26]" (the CI is 95%, paired on the same questions or prompts)."""
    if name not in MEASURED:
        return "not measured"
    what, _, unit = MEASURED[name]
    m = measured(name)
    if m is None:
        return f"{what}: not measured"
    diff, (lo, hi) = m
    if "met" in unit:  # shares of prompts fully met: in points
        return f"{what}: {unit} {diff * 100:+.0f} points [{lo * 100:+.0f}, {hi * 100:+.0f}]"
    return f"{what}: {unit} {diff:+.2f} [{lo:+.2f}, {hi:+.2f}]"
