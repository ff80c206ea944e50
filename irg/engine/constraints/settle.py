"""What a reading made in one clause alone may not keep once the whole prompt is seen (read_prompt's last steps)."""
from __future__ import annotations

import re

from irg.engine.constraints.base import Constraint
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
