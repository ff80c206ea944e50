"""Quoted texts in named units (contents.py, placed.py) and what is said beside a rule (asides.py), issue 37: read
where the clause is that rule and nothing more; not read where what is beside it could change it."""
from __future__ import annotations

import pytest

from irg.engine.compose.filters import Filter
from irg.engine.compose.reader import read


def said(clause: str) -> list[str]:
    return [p.describe() for p in read(clause)]


@pytest.mark.parametrize("clause,want", [
    ("The first sentence must contain '1848'.", ["the first sentence contains '1848'"]),
    ("Each paragraph should mention 'Pip'.", ["each paragraph contains 'Pip'"]),
    ("The 2nd paragraph must include the code 'SPRING15'.", ["the 2nd paragraph contains 'SPRING15'"]),
    ("The last paragraph ends with 'Cheers!'", ["the last paragraph ends with 'Cheers!'"]),
    ("Each paragraph ends with 'But Milo was not sleepy.'", ["each paragraph ends with 'But Milo was not sleepy.'"]),
    ("The brand name 'Kettleby' has to appear in the first and the last sentence.",
     ["the first sentence contains 'Kettleby'", "the last sentence contains 'Kettleby'"]),
    ("Mention the company 'Northwind' in the opening sentence and in the closing paragraph.",
     ["the first sentence contains 'Northwind'", "the last paragraph contains 'Northwind'"]),
    ("'SPRING15' should appear in the 2nd paragraph.", ["the 2nd paragraph contains 'SPRING15'"]),
    ("Use the word 'since' in every sentence.", ["each sentence contains the word 'since'"]),
    ("Each page (paragraph) should end with an exclamation mark — toddlers love the excitement.",
     ["each paragraph ends with an exclamation mark"]),
    ("Keep every line under 8 words — it's for a billboard.", ["each line has at most 7 words"]),
    ("Rubric criterion 2: each paragraph of the essay runs 50 to 80 words.",
     ["each paragraph has between 50 and 80 words"]),
    ("Subtitle lines: no more than 7 words per line.", ["each line has at most 7 words"]),
    ("Our style sheet: every bullet ends with a full stop, no exceptions.", ["each bullet item ends with a period"]),
    ("The second paragraph must have 5 sentences, not less not more.", ["the 2nd paragraph has exactly 5 sentences"]),
])
def test_read(clause, want):
    assert said(clause) == want, clause


@pytest.mark.parametrize("clause", [
    "The promo code 'SPRING15' should appear in the 2nd paragraph, not in the first.",  # a second rule after it
    "'SPRING15' should appear in the 2nd paragraph or the 3rd.",
    "Mention 'Northwind' in the first sentence if it fits.",
    "No sentence may start with 'And' — except in dialogue.",  # an exception after the dash
    "Keep every line under 8 words — it's only a guide.",  # a hedge
    "Keep every line under 8 words — we'd like some longer ones too.",
    "Keep every line under 8 words; it's for the title lines.",  # a unit in the remark
    "Intro lines: no more than 7 words per line.",  # a label naming a part
    "First paragraph: each sentence under 12 words.",
    "Section 2: each paragraph under 50 words.",  # a numbered part, not a numbered rule
    "Optional rule 2: each paragraph under 50 words.",
    "I want each line to start with a capital letter almost always.",
])
def test_not_read(clause):
    assert said(clause) == [], clause


def test_a_quoted_text_is_contained_whole():
    f = Filter("contains_text", "Pip")
    assert f.holds("Pip the cat sat.") and f.holds("We love pip!")
    assert not f.holds("A pipe burst.")
    assert Filter("contains_text", "$4.99").holds("Only $4.99 today")
