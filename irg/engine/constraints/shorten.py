"""Shortening that keeps the model's words (issue 38): a text over a word or sentence limit is cut after its last
sentence that still fits, as a labelled rendering step (irg/engine/render.py keeps a step only when every constraint
that was met stays met, so a cut never drops an end phrase or a P.S. the answer needed).

Nothing is rewritten: the answer is the model's first sentences, whole. A micro model told "at most 50 words" writes
its usual 150; asked again it writes 140. Cutting at a sentence end is what an editor would do first.
"""
from __future__ import annotations

import re
from typing import Callable

# a sentence ends at . ! ? (and a closing quote or bracket after it) before a space, a line break or the end
END_MARK = r"(?<!\b[DMS]r)(?<!\bMrs)(?<!\bSt)(?<!\betc)[.!?][\"”')\]]*"  # counting.py ends sentences so too
_ENDS = re.compile(END_MARK + r"(?=\s|$)|\n")


def cut_to(text: str, fits: Callable[[str], bool]) -> str:
    """The longest start of `text` that ends a sentence (or a line) and `fits`; the text itself if it fits, or
    if no sentence does."""
    if fits(text):
        return text
    best = text
    for m in _ENDS.finditer(text):
        head = text[:m.end()].rstrip()
        if head and re.search(r"\w", head) and fits(head):
            best = head
        elif head and not fits(head):
            break  # counts only grow: no longer start fits
    return best


def cut_keeping_end(text: str, fits: Callable[[str], bool]) -> str:
    """`cut_to` on the body, with the text's last paragraph kept after it: an end phrase or a P.S. the program laid
    down (a paragraph of its own) stays where the prompt wants it. The text itself if that does not fit either."""
    body, sep, tail = text.rstrip().rpartition("\n\n")
    if not sep or not body.strip() or not tail.strip():
        return text
    out = cut_to(body.rstrip(), lambda t: fits(t + sep + tail))
    return out + sep + tail if out != body.rstrip() and fits(out + sep + tail) else text
