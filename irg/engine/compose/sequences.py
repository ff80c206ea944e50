"""Line lengths given as a sequence: "six lines with 1, 1, 2, 3, 5 and 8 syllables", "lines of 5, 7, 5 syllables",
"a tanka: five lines, 5-7-5-7-7".

A sequence is read only with what it counts said (syllables or words), or beside a named form whose own sequence it
is ("a tanka: 5-7-5-7-7"); a number of lines said beside it must be the sequence's length. Never guessed: "5-7-5"
alone could be words or syllables.
"""
from __future__ import annotations

import re

from irg.engine.compose.named import FORMS
from irg.engine.compose.program import Form
from irg.engine.compose.vocab import reader, topic_before

SEQ = r"(?P<seq>\d{1,2}(?:\s*(?:,\s*(?:and\s+)?|-|–|/|\s+and\s+)\d{1,2}){2,13})"


def _numbers(seq: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", seq))


@reader("line_sequence", r"\b(?:(?:write|use|compose|in)\s+)?"
        r"(?:(?P<n>\d+)\s+lines?\s*(?:with|of|:|,|-|–)?\s*|(?:in\s+)?lines\s+of\s+)?" + SEQ
        + r"(?:\s+(?P<of>syllables?|words?))?(?:\s*(?:per|a|each)\s+line)?(?:\s*,?\s*respectively)?(?![\w-])")
def _line_sequence(m):
    counts = _numbers(m["seq"])
    if m["n"] and int(m["n"]) != len(counts) or not all(counts):
        return None  # "6 lines: 1, 2, 3": which is it?
    if m["of"]:
        return Form(counts, "line", "word" if m["of"].lower().startswith("word") else "syllable")
    before = m.string[:m.start()].lower()  # "a tanka: 5-7-5-7-7": the form named says what is counted
    named = any(c == counts and re.search(rf"\b{f}\b", before) for f, c in FORMS.items())
    return Form(counts) if named and not topic_before(m.string, m.start()) else None
