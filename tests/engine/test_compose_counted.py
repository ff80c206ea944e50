"""A count of units and a rule said back on each of them (compose/counted.py): read as the count and the rule, from one
clause or from a clause the detector cut off after the count; anything else after the count, nothing (issue 37)."""
from __future__ import annotations

import pytest

from irg.engine.compose.reader import read
from irg.engine.constraints.detect import read_prompt


def said(clause: str) -> str:
    return " and ".join(p.describe() for p in read(clause))


@pytest.mark.parametrize("clause,reading", [
    ("Write 6 sentences and keep each one to 10 words or fewer.",
     "the response has exactly 6 sentences and each sentence has at most 10 words"),
    ("Four bullet points, each under 9 words.",
     "the response has exactly 4 bullet items and each bullet item has at most 8 words"),
    ("exactly eight numbered questions, and each one has to end with a question mark",
     "the response has exactly 8 numbered items and each numbered item ends with a question mark"),
    ("No more than 5 paragraphs, none of them over 70 words.",
     "the response has at most 5 paragraphs and each paragraph has at most 70 words"),
    ("3 or 4 bullets max, and no bullet over 10 words",
     "the response has at most 4 bullet items and each bullet item has at most 10 words"),
    ("For the reading sheet, give the kids 8 sentences and keep each one under 9 words.",
     "the response has exactly 8 sentences and each sentence has at most 8 words"),
])
def test_a_count_and_a_rule_said_back(clause, reading):
    assert said(clause) == reading


@pytest.mark.parametrize("clause", [
    "In the intro, 3 sentences, each under 10 words.",  # a part's count
    "Write 5 bullets, and no sentence over 12 words.",  # a rule on other units: whose sentences?
    "10 tips, each one under 12 words",  # things, not units: their layout says what they are (declared.py)
    "Write 4 paragraphs and each one should feel warm.",  # the rule said back is not read
])
def test_anything_else_after_a_count_is_not_read(clause):
    assert said(clause) == ""


def test_a_clause_cut_off_after_the_count_is_read_with_the_unit_said_again():
    got = [c.to_dict() for c in read_prompt("Write a poem with five bullet points, each under 6 words.").constraints]
    assert {"kind": "bullet_count", "rel": "exactly", "n": 5} in got
    assert {"kind": "composed", "program": {"rule": {"quant": {"kind": "each"}, "select": {"unit": "bullet item"},
                                                     "test": {"count": "word", "rel": "at_most", "n": 5}}}} in got
    # in another sentence, "each one" is not said back to the count
    later = read_prompt("Write three paragraphs. Each one must end with a question.")
    assert [c.kind for c in later.constraints] == ["paragraph_count"]
