"""What the program readers share: the relations ("under 12" -> at most 11), the names of units and marks in an
instruction's words, the registry every reader is a unit of, and the `@reader` decorator that adds one.

    patterns.py   readers of one shape each ("keep every sentence under 12 words", "don't use semicolons")
    clause.py     the general reader: a subject, a modal, a predicate
    named.py      shapes named by a word or a fixed phrase (a haiku, a rhyme scheme, a letter ban, an order)
    reader.py     `read`: every reader over a clause, and the guards that make it read nothing rather than guess
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from irg.engine.compose.program import Across, Form, Rhyme, Rule
from irg.engine.constraints.text import _REL, _REL_MAP
from irg.engine.registry import Registry

Program = Rule | Across | Form | Rhyme
REL = _REL[:-1] + r"|max(?:imum)?\.?|min(?:imum)?\.?)"  # the types' relations, and "max 42 characters per line"
RELS = {**_REL_MAP, **{w: "at_most" for w in ("max", "max.", "maximum", "maximum.")},
        **{w: "at_least" for w in ("min", "min.", "minimum", "minimum.")}}
# what follows a counted unit and narrows it ("1 word starting with a capital", "a word of 3 syllables"): not read
QUALIFIED = re.compile(r"\s*,?\s+(?:that|which|who|starting|beginning|ending|with|of|containing|in|about|on|from|"
                       r"written|using|per|like|such|e\.g\.)\b", re.I)
# the only words a reader lets stand between a unit and its limit ("each sentence should have no more than"): any
# other ("each line, except the first, has", "each sentence, if possible,", "must end with a period and have") is a
# part of the instruction the reader would drop, so nothing is read
GAP_WORDS = {"must", "should", "shall", "will", "has", "have", "to", "needs", "need", "be", "is", "are", "contain",
             "contains", "stay", "stays", "run", "runs", "go", "goes", "get", "gets", "use", "uses", "only", "remain",
             "remains", "keep", "hold", "holds", "of", "with", "single", "always", "ever", "no", "not", "never",
             "may", "can", "cannot", "mustn't", "shouldn't", "can't", "don't", "doesn't", "won't", "longer", "more",
             "be", "of", "ought", "at", "a", "total", "up"}


# words in a gloss before a colon, or a label's first word, that narrow a rule to some units ("In the intro:",
# "Opening lines:", "First lines:")
NARROWS = re.compile(r"\b(?:in|for|except|within|per|on|of|at|under|after|before|only|not|no|never|unless|if|when|"
                     r"first|last|second|third|opening|closing|final|middle|top|bottom|early|later|main|half|each|"
                     r"every|other|some|most|intro|body|conclusion|title|heading)\b", re.I)

TOPIC = re.compile(r"\b(?:about|who|whom|whose|which|explain|describe|define|what|why|how|story|essay|article|"
                   r"history|examples?|poet|poets|analy[sz]e|summari[sz]e|discuss|compare|review|critique|translate|"
                   r"game|exercise|plot|play|passage|imagine|invent|picture|pretend|suppose)\b", re.I)

# what a form is about ("a haiku about the first frost of the year"): words, no number, and none that could start a rule
TOPIC_WORDS = (r"(?:(?!(?:where|which|that|who|with|whose|so|and|but|or|each|every|all|no|not|never|using|without|only|"
               r"then|followed|plus|if|before|after|twice|titled|called|named|translated|into|by|as|for|below|above|"
               r"next|along|together|in|one|two|three|four|five|a\s+second|another|"
               r"must|should|has|have|is|are|in|using|written|rhyming|exactly|at)\b)[A-Za-z'’-]+\s*){1,8}")


def topic_before(text: str, start: int) -> bool:
    """Is a form named at `start` the topic of the sentence rather than the form asked for? ("a story about a poet who
    writes an acrostic on SUN", "explain what a haiku is")"""
    sentence = re.split(r"[.!?;:\n]", text[:start])[-1]
    return bool(TOPIC.search(sentence))


def gap_ok(gap: str) -> bool:
    """Does the text between a unit and its limit hold only modal and verb words (GAP_WORDS)?"""
    return all(w.lower().replace("’", "'") in GAP_WORDS for w in re.findall(r"[A-Za-z'’]+", gap))
READERS: Registry = Registry("program reader")
# units named by the form that has them (see UNIT_NAMES): first in every list of units, so that "section headings"
# is read before "sections" and "slide titles" before "titles"
FORM_UNITS = r"numbered (?:items?|points?|lines?|steps?)|steps?|tweets?|pages?|section headings?|slide titles?"
UNIT = (r"(?:" + FORM_UNITS + r"|bullet[- ]?points?|bullet items?|bullets?|list items?|items?|"
        r"points?|sentences?|paragraphs?|paras?|stanzas?|lines?|"
        r"words?|letters?|characters?|chars|quotes?|quotations?|headings?|subheadings?)")
MARK = (r"(?P<mk>commas?|semicolons?|colons?|exclamation (?:marks?|points?)|question marks?|em[- ]?dash(?:es)?|"
        r"parenthes[ie]s|angle brackets?|square brackets?|curly (?:braces?|brackets?)|brackets|quotation marks|"
        r"quote marks|ellips[ie]s|hashtags?|(?:hash|#) (?:signs?|symbols?)|emojis?|digits|numerals|"
        r"asterisks?|ampersands?|slash(?:es)?|underscores?|hyphens?|apostrophes?)")
UNIT_NAMES = {"bullet": "bullet item", "bullet point": "bullet item", "bullet-point": "bullet item",
              "bulletpoint": "bullet item", "list item": "bullet item", "item": "bullet item", "point": "bullet item",
              "stanza": "paragraph", "para": "paragraph", "quote": "quoted span", "quotation": "quoted span",
              "subheading": "heading", "section heading": "heading", "slide title": "heading",
              # a numbered list's items: "each step", "no numbered point"
              "step": "numbered item", "numbered point": "numbered item", "numbered step": "numbered item",
              "numbered line": "numbered item",
              # units set off by blank lines in the forms that have them: a thread's tweets, a picture book's pages
              "tweet": "paragraph", "page": "paragraph", "char": "character"}
MARK_ALIASES = {"full stop": "period", "exclamation point": "exclamation mark", "em-dash": "em dash",
              "emdash": "em dash", "parenthese":
              "parenthesis", "parenthesi": "parenthesis", "bracket": "parenthesis", "quote mark": "quotation mark",
              "ellipse": "ellipsis", "ellipsi": "ellipsis", "numeral": "digit", "curly bracket": "curly brace",
              "hash symbol": "hash sign", "# sign": "hash sign",
              "# symbol": "hash sign"}
SHARES = {"half": 0.5, "a third": 1 / 3, "1 third": 1 / 3, "2 thirds": 2 / 3, "a quarter": 0.25, "1 quarter": 0.25,
          "3 quarters": 0.75}  # a share of units said in words (after normalize_numbers: "two thirds" -> "2 thirds")
SHARE = r"half|a third|1 third|2 thirds|a quarter|1 quarter|3 quarters"
NTH = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "last": -1, "final": -1}
MODAL = r"(?:(?:must|should|has to|have to|needs? to|will|shall)\s+(?:only\s+)?)?"  # never "not", "may", "can"
# the same, without "only" (shapes, orders, words)
SHALL = r"(?:(?:must|should|has to|have to|needs? to|will|shall)\s+)?"
NO_MODAL = r"(?:(?:must|should|may|can|will|shall)\s+)?"  # after "no X": "no word may be longer" is still a refusal
# "must not contain", "shouldn't include", "never use": a refusal of a letter or mark ("Your reply must not contain the
# letter 'e'" named nothing, and the unread letter then became an option of a list)
# ... said of a part ("The product name must not contain any hyphens", "your signature should not include the letter
# x"): that part's rule, which these readers do not read
PART_SUBJECT = re.compile(r"\b(?:name|greeting|signature|title|heading|headline|subject(?: line)?|slogan|tagline|"
                          r"password|username|url|opening|intro\w*|conclusion|caption|label|hashtag|sign-?off|"
                          r"first line|last line|first sentence|last sentence)s?(?:'s)?\s+(?:\w+\s+)?$", re.I)
REFUSE_USE = (r"(?:(?:do not|don't|dont|never|please don't|please do not|(?:must|should|shall|can|may|will)\s+not|"
              r"mustn't|shouldn't|can't|cannot|won't)\s+(?:use|contain|include|have|feature))")


def unit(word: str) -> str:
    w = word.lower().rstrip("s") if not word.lower().endswith("ss") else word.lower()
    return UNIT_NAMES.get(w, w)


def mark(word: str) -> str:
    w = re.sub(r"(?:es|s)$", "", word.lower()) if not word.lower().endswith(("ses", "sis")) else word.lower()
    w = {"parentheses": "parenthesis", "ellipses": "ellipsis", "ellipsis": "ellipsis", "apostrophes": "apostrophe",
         "curly braces": "curly brace"}.get(" ".join(word.lower().split()), w)
    return MARK_ALIASES.get(w, w)


def inclusive(rel: str, n: int) -> tuple[str, int]:
    """'under 12' -> ('at_most', 11), 'more than 20' -> ('at_least', 21): the language holds inclusive limits."""
    rel = RELS[rel.lower()]
    return {"less_than": ("at_most", n - 1), "more_than": ("at_least", n + 1)}.get(rel, (rel, n))




@dataclass(frozen=True)
class Reader:
    pattern: re.Pattern
    build: Callable[[re.Match], Program | None]


def reader(name: str, pattern: str):
    def add(build):
        READERS.register(name, Reader(re.compile(pattern, re.I), build))
        return build
    return add


def vacuous(u: str, v: str) -> bool:
    """A count no text can break, or a unit counted in itself or in a smaller one: not read."""
    order = ["response", "paragraph", "bullet item", "line", "sentence", "word", "letter", "character"]
    return u == v or (u in order and v in order and order.index(v) <= order.index(u)) or \
        (u in ("line", "bullet item") and v in ("line", "bullet item", "paragraph"))


# inside what a reader matched, between its unit and its limit: a word that turns the limit into a permission, a
# refusal or an average ("need not be under 12 words", "can be over", "should average under 15", "reverse")
GAP_REFUSES = re.compile(r"n't\b|\bdont\b|\b(?:not|cannot|never|need|needs|can|could|may|might|allowed|"
                         r"average|averages|mean|reverse|"
                         r"reversed|descending|backwards|z to a)\b", re.I)


# ---- ordinals, and units by their names as subjects and as what is counted ----------------------------------------
ORD = r"(?P<nth>first|second|third|fourth|fifth|sixth|last|final|opening|closing|lead|concluding|\d+(?:st|nd|rd|th))"
ORDS = {**NTH, "opening": 1, "lead": 1, "closing": -1, "concluding": -1}


def counted(word: str) -> str:
    """A counted unit by its name in the language: "words" -> "word", "exclamation points" -> "exclamation mark"."""
    u = unit(word)
    return u if u in ("word", "sentence", "line", "character", "letter", "syllable", "bullet item", "paragraph") \
        else mark(word)


def subject(word: str) -> str:
    """A subject's unit by its name in the language: "verses" -> "paragraph", "quotes" -> "quoted span"."""
    u = unit(word)
    return {"verse": "paragraph", "quote": "quoted span", "quotation": "quoted span", "quoted passage": "quoted span",
            "headline": "title",
            "subheading": "heading"}.get(u, u)
