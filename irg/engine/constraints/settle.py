"""What a reading made in one clause alone may not keep once the whole prompt is seen (read_prompt's last steps)."""
from __future__ import annotations

import re

from irg.engine.compose.constraint import Composed
from irg.engine.compose.reader import read as read_program
from irg.engine.constraints.base import Constraint
from irg.engine.constraints.text import _REL
from irg.engine.constraints.edges import inner_opening
from irg.engine.constraints.about import about_lengths
from irg.engine.constraints.length import ParagraphCount, WordCount
from irg.engine.constraints.scope import unpermitted
from irg.engine.constraints.text import normalize_numbers
from irg.engine.constraints.text import more_after


def band_of(text: str) -> list[WordCount]:
    """The two bounds `text` reads as its length said with no bound: none if it says none or several, or if it says
    a bound itself ("Write a 300-word essay. It should be at least 300 words.")."""
    about = about_lengths(normalize_numbers(text))
    band = [WordCount(r, n) for r, n in (("at_least", about[0].lo), ("at_most", about[0].hi)) if n is not None] \
        if about else []
    return band if band and WordCount.extract(unpermitted(normalize_numbers(text))) == band else []


def band_alone(mine: list[Constraint], clause: str, prompt: str) -> list[Constraint]:
    """A length with no bound read in its clause ("Write a 100-word story.") that the whole prompt does not read as
    the answer's length ("… Then write a 50-word summary."): parts, not the length, so no band. The same for a
    paragraph count said as a kind of text ("Write a 3-paragraph story, then a 1-paragraph summary": two parts)."""
    band = band_of(clause)
    mine = [c for c in mine if c not in band or c in band_of(prompt)] if band else mine
    if len(re.findall(r"\b\d+\s*-\s*paragraphs?\b", normalize_numbers(prompt), re.I)) > 1:
        whole = ParagraphCount.extract(normalize_numbers(prompt))
        mine = [c for c in mine if c.kind != "paragraph_count" or c in whole]
    return mine


def inner_alone(mine: list[Constraint], clause: str, prompt: str) -> list[Constraint]:
    """An opening read in its clause alone ("write one line that begins with 'Remember'") that, in the whole prompt,
    is a line inside the answer ("Write a short poem about the sea, and write one line …"): not the answer's start."""
    at, verb = prompt.find(clause), re.search(r"\b(?:start|begin|open)\w*", clause, re.I)
    if at < 0 or verb is None or not inner_opening(prompt, at + verb.start()):
        return mine
    return [c for c in mine if c.kind != "start_phrase"]


# Kinds whose patterns read the words around a count or a phrase (who asks it, of what, after what): read in a clause
# alone, they lose that context ("Optionally, sign off with …", "Pupils must keep their stories under 500 words", "My
# tweets are always 12 words or fewer", "a 2-sentence story, then explain why").
IN_CONTEXT = ("start_phrase", "end_phrase", "word_count", "sentence_count", "paragraph_count", "bullet_count")


def in_context(mine: list[Constraint], clause: str, prompt: str, whole: set[str]) -> list[Constraint]:
    """A clause's reading of such a kind is kept only where the whole prompt's patterns read that kind too (a second
    count beside it is then named: `base.beside`), or where no request comes before the clause."""
    first = prompt.find(clause) <= 0 or prompt[:prompt.find(clause)].strip().endswith("?")
    after = prompt[prompt.find(clause) + len(clause):]
    if first and not re.search(r"\b(?:then|followed by|after that)\b", after, re.I):
        return mine  # nothing before it but a question ("What is the capital of Australia? Answer in one sentence")
    return [c for c in mine if c.kind not in IN_CONTEXT or c.kind in whole]


def counted_first_words(found: list[Constraint]) -> None:
    """A first-word rule read from its own clause takes the count a template or another clause gave."""
    counts = [c for c in found if c.kind == "paragraph_count"]
    for c in found:
        if c.kind == "paragraph_first_word" and not c.n and counts:
            c.n = counts[0].n


# "Answer in one sentence, then give an example": the one sentence is the opening, read in its clause alone
ONE_THEN = re.compile(r"\b(?:one|a single|1|single) sentence\s*,?\s*(?:and\s+)?(?:then|followed by)\b", re.I)


def opening_only(found: list[Constraint], prompt: str) -> list[Constraint]:
    """Without the readings a clause made alone of what is only the answer's opening: options or one sentence with
    more asked after them in the next clause."""
    return [c for c in found if not (c.kind == "choose_from" and _more_follows(c.options, prompt))
            and not (c.kind == "sentence_count" and c.n == 1 and ONE_THEN.search(prompt))]


def _more_follows(options: list[str], prompt: str) -> bool:
    """Options read in their own clause, with more asked after them in the next ("Answer "yes" or "no". Then explain
    your reasoning."): the answer is not one option alone, so no option list is read."""
    at = prompt.find(options[-1]) if options else -1
    return at >= 0 and more_after(prompt[at + len(options[-1]):].lstrip("\"'”’"))


# a total said after each part's count, in one clause: "each paragraph exactly 2 sentences, 8 sentences total"
TOTAL_TAIL = re.compile(r"\s*[,;]\s*(?:and\s+|with\s+)?(?:" + _REL + r"\s+)?\d+\s+[a-z]+s\s+(?:in\s+)?"
                        r"(?:total|overall|in all|"
                        r"altogether)\s*[.!]?\s*$", re.I)


def each_beside_total(clause: str) -> list[Constraint]:
    """The rule on each part said before a total the types read in the same clause: the total is the answer's count
    (slots._total_count), each part's count a program of its own — so "3 paragraphs … 2 each … 8 in all" can be
    named."""
    tail = TOTAL_TAIL.search(clause)
    programs = read_program(clause[:tail.start()] + ".") if tail and tail.start() > 0 else []
    return [Composed(p.to_dict()) for p in programs
            if p.to_dict().get("rule", {}).get("quant", {}).get("kind") == "each"]
