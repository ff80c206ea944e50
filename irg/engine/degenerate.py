"""The degeneration guard: is a draft text at all, or the debris a hard decoding mask leaves behind?

A micro model under a mask it cannot live with (uppercase-only, a banned letter) writes one capital per line
("I,\nA\nL\nI\nT"), one symbol again and again, or slides out of the language. Such a draft satisfies some
checkers ("no lowercase letters": true) and is still worthless. `degeneration(text)` names what is wrong, or
returns None; the analyzer turns it into a critical finding that zeroes the score, the loop never returns such a
draft while a real one exists, and the planner drops the decoding constraint that was active when it happened.
"""
from __future__ import annotations

import re
import zlib
from collections import Counter

MIN_CHARS = 24  # shorter answers ("Yes.", "My answer is no.") are judged by the checkers alone


def degeneration(text: str) -> str | None:
    t = text.strip()
    lines = [ln.strip() for ln in t.splitlines() if ln.strip()]
    short = sum(len(ln) <= 2 for ln in lines)
    if (len(lines) >= 6 or (len(lines) >= 4 and len(t) >= MIN_CHARS)) and short / len(lines) >= 0.5:
        return f"{short} of its {len(lines)} lines are one or two characters long"
    visible = [ch for ch in t if not ch.isspace()]
    alnum = sum(ch.isalnum() for ch in visible)  # digits count: "19 + 7 = 26" is text, "****\n****" is not
    if len(visible) >= 8 and alnum / len(visible) < 0.4:
        return f"only {alnum} of its {len(visible)} visible characters are letters or digits"
    if len(t) < MIN_CHARS:
        return None
    words = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)*", t)
    singles = sum(len(w) == 1 and w.lower() not in ("a", "i") for w in words)  # "a" and "I" are words
    if len(words) >= 8 and singles / len(words) >= 0.5:
        return f"{singles} of its {len(words)} words are single letters"
    raw = t.encode()
    if len(raw) >= 80 and len(zlib.compress(raw)) / len(raw) < 0.2:
        return "it is one short pattern repeated"
    if len(words) >= 12:
        top, n = Counter(w.lower() for w in words).most_common(1)[0]
        if n / len(words) >= 0.5:
            return f"'{top}' is {n} of its {len(words)} words"
    return None


_UNIT = re.compile(r"[^\n.!?]*(?:[.!?]+[\"”')*]*|\n|$)")


def trim_loop(text: str) -> str | None:
    """The draft cut where it starts to loop: before the first sentence or line (of 3+ words) that repeats an earlier
    one — a micro model that loops writes the same sentence to the token limit. Everything from there on goes, so
    it is used on debris only, where the alternative is an answer worth nothing. None if it does not loop, or if what
    is left before the loop is itself too little or still debris."""
    seen: set[str] = set()
    for m in _UNIT.finditer(text):
        key = " ".join(re.findall(r"\w+", m.group(0).lower()))
        if len(key.split()) >= 3 and key in seen:
            kept = text[:m.start()].rstrip()
            return kept if len(kept) >= MIN_CHARS and not degeneration(kept) else None
        if key:
            seen.add(key)
    return None
