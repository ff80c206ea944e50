"""The feedback module of distillation with feedback: check a teacher's rationale step by step,
repair what can be repaired, drop what is redundant, reject what is wrong — and say what it did.

It reuses the engine's own analysis (irg.engine.analyze): every stated `a op b = c` is recomputed, the
final answer is read the same way the evaluation reads it, and compared with the gold answer.

    fb = feedback("12 * 4 = 46\\n46 + 3 = 49\\nThe answer is 49.", gold="51")
    fb.rationale   # "12 * 4 = 48\\n48 + 3 = 51\\nThe answer is 51."  (two repairs, recorded in fb.changes)
"""
from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field

from irg.engine.answers import ARITH, eval_expression, final_answer, parse_number

FILLER = re.compile(r"^(?:sure|okay|ok|great|let'?s (?:think|solve|see|break)|step by step|here'?s|first,? let'?s|"
                    r"to solve this)\b",
                    re.I)


@dataclass
class Change:
    step: int  # index of the step in the teacher's rationale
    action: str  # repaired | dropped | added
    before: str
    after: str
    why: str


@dataclass
class Feedback:
    rationale: str | None  # None: rejected, not fit to teach
    changes: list[Change] = field(default_factory=list)
    reason: str = ""  # why it was rejected, if it was
    steps_in: int = 0
    steps_out: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


def split_steps(text: str) -> list[str]:
    """Lines; a one-line rationale is split into sentences (not at decimal points)."""
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
    if len(lines) == 1:
        lines = [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", lines[0]) if s.strip()]
    return lines


def _fmt(x: float) -> str:
    return str(int(round(x))) if math.isclose(x, round(x), abs_tol=1e-9) else f"{x:.2f}".rstrip("0").rstrip(".")


def repair_arithmetic(step: str, carry: dict[str, str]) -> tuple[str, list[tuple[str, str]]]:
    """Recompute each `a op b = c`; a wrong c becomes the right value, and later uses of the wrong value in this
    rationale (`carry`: wrong -> right) follow, so a chain built on one slip is repaired whole."""
    for wrong, right in carry.items():
        step = re.sub(rf"(?<![\d.]){re.escape(wrong)}(?![\d]|\.\d)", right, step)
    fixes, pos = [], 0
    while (m := ARITH.search(step, pos)) is not None:
        want, got = eval_expression(m.group(1)), parse_number(m.group("rhs"))
        pos = m.start("rhs") + 1
        if want is None or got is None or math.isclose(want, got, rel_tol=1e-3, abs_tol=0.011):
            continue
        old = m.group("rhs")
        new = _fmt(want)
        step = step[: m.start("rhs")] + new + step[m.end("rhs"):]
        carry[old.replace("$", "").replace(",", "")] = new
        fixes.append((old, new))
        pos = m.start("rhs") + len(new)
    return step, fixes


def _norm(s: str) -> str:
    return re.sub(r"\W+", " ", s.lower()).strip()


def grounded(steps: list[str], value: float) -> bool:
    """Some step computes the final answer: it is the result of a stated calculation (`... = value`).
    A right number under unrelated steps (a lucky guess, or a copied answer) is not a rationale."""
    for step in steps:
        for m in ARITH.finditer(step):
            if (v := parse_number(m.group("rhs"))) is not None and math.isclose(v, value, abs_tol=1e-6):
                return True
    return False


def _calculations(step: str) -> list[str]:
    return [re.sub(r"\s+", "", m.group(0)) for m in ARITH.finditer(step)]


def feedback(rationale: str, gold: str, drop_commentary: bool = True) -> Feedback:
    """Check, repair and shorten a teacher's rationale for a problem whose exact answer is `gold`."""
    steps = split_steps(rationale)
    fb = Feedback(None, steps_in=len(steps))
    if not steps:
        fb.reason = "empty rationale"
        return fb
    out: list[str] = []
    seen: set[str] = set()
    done_calcs: set[str] = set()
    carry: dict[str, str] = {}
    for i, step in enumerate(steps):
        fixed, fixes = repair_arithmetic(step, carry)
        if fixed != step:
            fb.changes.append(Change(i, "repaired", step, fixed,
                                     "; ".join(f"{a} -> {b}" for a, b in fixes) or "carried a repaired value"))
        key = _norm(fixed)
        is_final = final_answer(fixed) is not None
        calcs = _calculations(fixed)
        if key in seen:
            fb.changes.append(Change(i, "dropped", fixed, "", "repeats an earlier step"))
            continue
        if calcs and not is_final and set(calcs) <= done_calcs:
            fb.changes.append(Change(i, "dropped", fixed, "", "repeats an earlier calculation"))
            continue
        if drop_commentary and not is_final and (FILLER.match(fixed) or not re.search(r"\d", fixed)):
            fb.changes.append(Change(i, "dropped", fixed, "", "no quantity in it: commentary, not a step"))
            continue
        seen.add(key)
        done_calcs.update(calcs)
        out.append(fixed)
    want = parse_number(gold)
    got = final_answer("\n".join(out))
    if got is None and out:  # no final line: the last computed value may still be the answer
        nums = re.findall(r"-?\d[\d,]*(?:\.\d+)?", out[-1])
        last = parse_number(nums[-1]) if nums else None
        if last is not None and want is not None and math.isclose(last, want, abs_tol=1e-6):
            line = f"The answer is {_fmt(want)}."
            out.append(line)
            fb.changes.append(Change(len(steps), "added", "", line, "the final line was missing"))
            got = _fmt(want)
    if want is None:
        fb.reason = f"the gold answer '{gold}' is not a number"
    elif got is None:
        fb.reason = "no final answer"
    elif not math.isclose(float(got), want, abs_tol=1e-6):
        fb.reason = f"final answer {got}, gold {_fmt(want)}"
    elif not grounded(out, want):
        fb.reason = f"no step computes {_fmt(want)}: the final answer does not follow from the steps"
    else:
        fb.rationale = "\n".join(out)
        fb.steps_out = len(out)
    return fb
