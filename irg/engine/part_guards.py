"""What makes a part of a long answer usable (parts.py): a part ends a sentence, its repeats go, and debris a blind
reader named (hashtags, emoji, the answer talking about itself, a start in mid-sentence) or a copy of the text before
it is drawn again."""
from __future__ import annotations

import re

from irg.engine.constraints.text import words
from irg.engine.degenerate import degeneration
from irg.engine.fill import copied, triples

COPY_SHARE = 0.35  # a part whose word triples are this much the text's own is a copy
_CUT = re.compile(r"(?s)^(.*[.!?][\"”')\]]*)")
PART_END = re.compile(r"[.!?][\"”')\]]*\s*$")  # a part ends a sentence


def whole(part: str) -> str:
    """The part up to its last full sentence ('' if it has none)."""
    m = _CUT.match(part)
    return m.group(1).rstrip() if m else ""


# What a blind reader called debris in parts the loop kept (docs/results/long-answers.md): hashtags, emoji, links
# and phone numbers, shouting, the answer talking about itself ("500 words; 4 paragraphs total", "The report ends
# with a call to action", "I am your friendly AI assistant"), and a paragraph that starts in the middle of a sentence
_JUNK = re.compile(r"#\w|https?://|www\.|@\w|\(\d{3}\)|\d{3}[-.]\d{3}[-.]\d{4}|[\u2600-\u27bf\U0001f000-\U0001faff]|"
                   r"(?-i:\b[A-Z]{2,}(?:\s+[A-Z]{2,}){2,}\b)|\b(?:paragraphs?|sentences|word count|outline)\b|"
                   r"\b\d+\s+words\b|"
                   r"\b(?:this|the|my|our)\s+(?:essay|report|post|story|letter|speech|toast|article)\s+"
                   r"(?:will|ends|is about|begins|concludes)\b|\bas an ai\b|\bai assistant\b", re.I)


_SENT = re.compile(r"[^.!?]+[.!?][\"”')\]]*\s*")


def unrepeated(new: str, before: str, share: float = 0.5) -> str:
    """`new` up to its first sentence that mostly repeats word triples of `before` or of the sentences before it in
    `new` ("… using only the best materials." in every part: a blind reader's "repetitive filler")."""
    seen = triples(before)
    out = ""
    for m in _SENT.finditer(new):
        sent = m.group(0)
        tri = triples(sent)
        if len(tri) >= 3 and len(tri & seen) >= share * len(tri):
            break
        out += sent
        seen |= tri
    return out.rstrip() if out.strip() else ""


def junk(part: str) -> str:
    """What makes a part debris a reader would see (a match of _JUNK, or an opening in mid-sentence), else ''."""
    if (m := _JUNK.search(part)):
        return m.group(0)
    first = part.lstrip()[:1]
    return "starts mid-sentence" if first and (first.islower() or first in ",;:)-") else ""


def usable(part: str, before: str, lowercase: bool = False) -> bool:
    """`lowercase`: the answer is written in lowercase (a mask), so a part starting on one is no fragment."""
    bad = junk(part)
    return (bool(words(part)) and not degeneration(before + part) and not copied(part, before, COPY_SHARE)
            and not (bad and not (lowercase and bad == "starts mid-sentence")))
