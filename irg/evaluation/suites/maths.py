"""Maths word problems with exact answers: a seeded generator, and a GSM8K-format loader.

The generator composes multi-step problems from templates; each template computes its answer
from the numbers it drew, so the answer is exact by construction. Difficulty = number of steps
(1–4). Items: {"id", "prompt", "answer", "steps", "template"}. Same seed, same problems.
"""
from __future__ import annotations

import hashlib
import json
import random
import re
from pathlib import Path

from irg.engine.jsonl import read_objects

NAMES = ["Tom", "Mia", "Ali", "Sara", "Leo", "Nina", "Omar", "Emma", "Ravi", "Lucy", "Ken", "Zoe"]
ITEMS = ["apples", "stickers", "marbles", "books", "pencils", "cookies", "stamps", "shells", "cards", "balloons"]


def _n(k: int, unit: str) -> str:
    return f"{k} {unit}" + ("" if k == 1 else "s")


def _t_buy_give(r: random.Random):  # 2-3 steps
    n, a, b, c = r.choice(NAMES), r.randint(5, 30), r.randint(2, 6), r.randint(2, 9)
    it = r.choice(ITEMS)
    g = r.randint(1, a + b * c - 1)
    return (f"{n} has {a} {it}. {n} buys {b} packs with {c} {it} in each pack, then gives away {g} {it}. "
            f"How many {it} does {n} have now?", a + b * c - g, 3)


def _t_speed(r: random.Random):  # 3 steps
    v1, h1, v2, h2 = r.choice([40, 50, 60, 70, 80]), r.randint(1, 4), r.choice([30, 40, 45, 90]), r.randint(1, 3)
    return (f"A train travels at {v1} km per hour for {_n(h1, 'hour')} and then at {v2} km per hour for "
            f"{_n(h2, 'hour')}. How far does it travel in total, in km?", v1 * h1 + v2 * h2, 3)


def _t_savings(r: random.Random):  # 2 steps
    n, s, w, spend = r.choice(NAMES), r.randint(2, 15), r.randint(3, 10), 0
    spend = r.randint(1, s * w - 1)
    return (f"{n} saves {s} dollars every week for {w} weeks. Then {n} spends {spend} dollars on a present. "
            f"How many dollars does {n} have left?", s * w - spend, 2)


def _t_share(r: random.Random):  # 2 steps
    k, each, extra = r.randint(2, 8), r.randint(3, 12), r.randint(1, 20)
    it = r.choice(ITEMS)
    return (f"A teacher shares some {it} equally among {k} children. Each child gets {each} {it}, and {extra} {it} "
            f"are left over. How many {it} did the teacher have?", k * each + extra, 2)


def _t_price(r: random.Random):  # 3 steps
    n, p1, q1, p2, q2 = r.choice(NAMES), r.randint(2, 9), r.randint(2, 6), r.randint(3, 15), r.randint(1, 4)
    paid = ((p1 * q1 + p2 * q2) // 10 + 1) * 10 + r.choice([0, 10, 20])
    return (f"{n} buys {q1} notebooks at {p1} dollars each and {q2} pens at {p2} dollars each, and pays with "
            f"{paid} dollars. How much change does {n} get, in dollars?", paid - (p1 * q1 + p2 * q2), 3)


def _t_rectangle(r: random.Random):  # 2 steps
    w, h = r.randint(3, 20), r.randint(3, 20)
    return (f"A garden is a rectangle {w} metres long and {h} metres wide. A fence goes all the way around it. "
            f"How many metres of fence are needed?", 2 * (w + h), 2)


def _t_ages(r: random.Random):  # 2 steps
    a, n, m, d = r.choice(NAMES), r.choice(NAMES), r.randint(5, 15), r.randint(2, 10)
    while n == a:
        n = r.choice(NAMES)
    y = r.randint(2, 10)
    return (f"{a} is {m} years old. {n} is {d} years older than {a}. How old will {n} be in {y} years?", m + d + y, 2)


def _t_fraction(r: random.Random):  # 3 steps
    k = r.choice([2, 3, 4, 5])
    total = k * r.randint(4, 15)
    spent = total // k
    left_after = total - spent
    lost = r.randint(1, left_after - 1)
    n = r.choice(NAMES)
    frac = {2: "half", 3: "a third", 4: "a quarter", 5: "a fifth"}[k]
    return (f"{n} has {total} dollars. {n} spends {frac} of it on lunch and then loses {lost} dollars. "
            f"How many dollars does {n} have now?", left_after - lost, 3)


def _t_rows(r: random.Random):  # 4 steps
    rows, per, broken, boxes = r.randint(3, 9), r.randint(4, 12), r.randint(1, 5), r.randint(2, 4)
    return (f"A shop has {boxes} boxes. Each box holds {rows} rows of {per} eggs. "
            f"{broken} eggs in each box are broken. How many eggs are not broken?", boxes * (rows * per - broken), 4)


def _t_pages(r: random.Random):  # 1 step
    p, d = r.randint(5, 30), r.randint(2, 14)
    return f"Ali reads {p} pages every day. How many pages does Ali read in {d} days?", p * d, 1


TEMPLATES = {f.__name__[3:]: f for f in (_t_buy_give, _t_speed, _t_savings, _t_share, _t_price, _t_rectangle, _t_ages,
                                          _t_fraction, _t_rows, _t_pages)}


def split_of(prompt: str) -> str:
    """A problem's split follows from its text (a fifth are dev), so dev and test never share one, whatever n."""
    return "dev" if int(hashlib.md5(prompt.encode()).hexdigest(), 16) % 5 == 0 else "test"


def generate(n: int, seed: int = 0, split: str = "test") -> list[dict]:
    """n distinct problems of the split, templates in turn; the same seed gives the same problems."""
    r = random.Random(f"maths-{seed}")
    out, seen = [], set()
    names = list(TEMPLATES)
    tries = 0
    while len(out) < n:
        tries += 1
        if tries > 1000 * (n + 10):
            raise ValueError(f"Could not draw {n} distinct {split} problems; ask for fewer.")
        name = names[len(out) % len(names)]
        prompt, answer, steps = TEMPLATES[name](r)
        if prompt in seen or split_of(prompt) != split:
            continue
        seen.add(prompt)
        out.append({"id": f"m-{split}-{len(out):04d}", "prompt": prompt, "answer": str(answer), "steps": steps,
                    "template": name})
    return out


def load_gsm8k(path: str | Path, n: int | None = None) -> list[dict]:
    """A GSM8K-format JSONL file ({"question", "answer": "... #### N"}) as items."""
    out = []
    for line, row in read_objects(path):
        m = re.search(r"####\s*(-?[\d,]*\.?\d+)", str(row.get("answer", "")))
        if "question" not in row or not m:
            raise ValueError(f"{path}:{line}: not GSM8K format (needs 'question' and an answer ending '#### N').")
        out.append({"id": f"gsm-{line - 1:04d}", "prompt": row["question"], "answer": m.group(1).replace(",", ""),
                    "steps": row["answer"].count("\n"), "template": "gsm8k"})
        if n and len(out) >= n:
            break
    return out


def load_gsm8k_hub(n: int | None = None, split: str = "test") -> list[dict]:
    """The GSM8K test set from the Hugging Face hub (online only)."""
    try:
        from datasets import load_dataset

        ds = load_dataset("openai/gsm8k", "main", split=split)
    except Exception as e:  # noqa: BLE001 — offline or missing package: one sentence
        raise ValueError(f"GSM8K from the hub is not available here ({type(e).__name__}); "
                         f"pass a local JSONL file instead.") from e
    rows = [{"question": x["question"], "answer": x["answer"]} for x in ds]
    tmp = Path("/tmp/irg-gsm8k.jsonl")
    tmp.write_text("\n".join(json.dumps(r) for r in rows))
    return load_gsm8k(tmp, n)
