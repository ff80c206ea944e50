"""What a maths answer is: the task type of a prompt, the final number of a draft, a stated sum recomputed.

Shared by the analyzers (the maths checks), the gold-answer constraint, self-consistency's vote and the scoring of
maths suites; it imports nothing of the project, so anything may import it.
"""
from __future__ import annotations

import re

# ---- task type --------------------------------------------------------------------------
MATH_HINT = ("Solve the problem step by step, then finish with a final line of the form 'The answer is N.' "
             "where N is a number.")


def detect_task(prompt: str) -> str:
    """'math' for a word problem asking for a number, else 'general'."""
    numbers = re.findall(r"\d+(?:[.,]\d+)?", prompt)
    asks = re.search(r"\b(how many|how much|how far|how long|how old|"
                     r"what is the (?:total|sum|difference|product|cost|price|number|value)|"
                     r"calculate|compute|what percent|find the)\b", prompt, re.I)
    return "math" if len(numbers) >= 2 and asks else "general"


_NUM = r"-?\$?\d[\d,]*(?:\.\d+)?"


def parse_number(s: str) -> float | None:
    s = s.replace("$", "").replace(",", "").strip().rstrip(".")
    try:
        return float(s)
    except ValueError:
        return None


def final_answer(text: str) -> str | None:
    """The number the draft gives as its final answer ('The answer is N', '#### N', '\\boxed{N}')."""
    pats = [r"answer is\s*:?\s*\**\s*(" + _NUM + r")", r"####\s*(" + _NUM + r")", r"\\boxed\{(" + _NUM + r")\}"]
    for pat in pats:
        ms = re.findall(pat, text, re.I)
        if ms:
            v = parse_number(ms[-1])
            if v is not None:
                return f"{v:g}" if not v.is_integer() else str(int(v))
    return None


# ---- a stated sum, recomputed ----------------------------------------------------------
ARITH = re.compile(rf"(?<![\w.])({_NUM}(?:\s*(?:[-+*/×÷]|\sx\s)\s*{_NUM})+)\s*=\s*(?P<rhs>{_NUM})(?![\d])")


def eval_expression(expr: str) -> float | None:
    """The value of 'a op b op c' as written in a draft (× ÷ x $ and thousands commas allowed), or None."""
    expr = expr.replace("×", "*").replace("÷", "/").replace(" x ", " * ").replace("$", "").replace(",", "")
    if not re.fullmatch(r"[\d.\s+\-*/]+", expr):
        return None
    try:
        return float(eval(expr, {"__builtins__": {}}, {}))  # only digits and + - * / reach here
    except (SyntaxError, ZeroDivisionError, ValueError):
        return None
