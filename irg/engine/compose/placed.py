"""Restatements of a quoted text placed in named units (issue 37): the text said first, or asked for with a verb,
and the units it must be in after "in" — said again as "<unit> must contain '<text>'", which contents.py reads:

    The brand name 'Kettleby' has to appear in the first and the last sentence.
        -> The first sentence must contain 'Kettleby'. The last sentence must contain 'Kettleby'.
    Mention the company 'Northwind' in the opening sentence and in the closing paragraph.
        -> The opening sentence must contain 'Northwind'. The closing paragraph must contain 'Northwind'.
    Use the word 'since' in every sentence.  -> Every sentence must contain the word 'since'.

Only a whole clause of that shape is restated: anything after the units ("..., not in the first", "..., e.g. ...")
leaves it as written, and so unread (never guess). Registered after the other restatements (reader.py's imports).
"""
from __future__ import annotations

import re

from irg.engine.compose.restate import HIDDEN, restatement

# a quoted text as restate() hands it over: its marks around a hidden token
TEXT = r"['\"‘“]" + HIDDEN + r"\d+" + HIDDEN + r"['\"’”]"
PLACE = (r"(?:first|last|final|opening|closing|second|third|fourth|fifth|\d+(?:st|nd|rd|th))")
UNIT = r"(?:sentence|paragraph|line|bullet(?:\s+point)?|heading|stanza|section|numbered\s+item)"
ONE = r"(?:the\s+(?:very\s+)?" + PLACE + r"\s+" + UNIT + r"|(?:each|every)\s+" + UNIT + r"|the\s+(?:title|headline))"
# what names the text before it ("the brand name", "the word", "the year"): said again with it, or not at all
NAMED = (r"(?:(?:the|our|my|your)\s+(?:(?P<word>word|phrase)|(?:brand|company|product|shop|store|app|book|film|"
         r"event|team|person's|character's|cat's|dog's|pet's)?\s*(?:name|code|promo\s+code|discount\s+code|"
         r"hashtag|tagline|slogan|keyword|term|title|motto|brand|company|product|year|date|book|film|movie|"
         r"song|album|city|town|country|place|emoji|disclaimer|catchphrase|greeting|sign-off|signature|acronym))"
         r"\s+)?")  # not "the author
# of", "the opposite of", "the letter": the text is then not what the unit must contain
WHERE = (r"\s+(?:somewhere\s+)?in\s+(?:(?P<one>" + ONE + r")(?:\s*,?\s+and\s+(?:again\s+)?(?:in\s+)?(?P<two>" + ONE
         + r"))?|the\s+(?P<p1>" + PLACE + r")\s+and\s+(?:the\s+)?(?P<p2>" + PLACE + r")\s+(?P<u>" + UNIT + r"))")
END = r"\s*[.!]?\s*$"


def _said(m: re.Match) -> str:
    text = ("the " + m["word"].lower() + " " if m["word"] else "") + m["q"]
    units = [m["one"], m["two"]] if m["one"] else [f"the {m['p1']} {m['u']}", f"the {m['p2']} {m['u']}"]
    return " ".join(f"{u[0].upper()}{u[1:]} must contain {text}." for u in units if u)


# "'SPRING15' should appear in the 2nd paragraph", "the brand name 'Kettleby' has to appear in the first and the last
# sentence"
restatement("text appears in", r"^\s*" + NAMED + r"(?P<q>" + TEXT + r")\s+(?:should|must|has\s+to|needs\s+to|is\s+to|"
            r"will|shall)\s+(?:appear|show\s+up|be\s+(?:mentioned|used|included|named))" + WHERE + END, _said)
# "Mention the company 'Northwind' in the opening sentence", "Use the word 'since' in every sentence"
restatement("text put in", r"^\s*(?:mention|include|use|put|name|feature|say)\s+" + NAMED + r"(?P<q>" + TEXT + r")"
            + WHERE + END, _said)
