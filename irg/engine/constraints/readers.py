"""Readers of values in an instruction's words: a count with its relation before or after the noun, and quoted /
bold / italic spans, a named word, a word list. Used by the value readers (slots.py)."""
from __future__ import annotations

import re

from irg.engine.constraints.base import MAX_COUNT
from irg.engine.constraints.text import PAST, normalize_numbers, quoted


class Unread:
    """A number was found without the relation that says what it bounds."""
    what = "the relation (at least / at most / exactly)"


# ---- relations and counts ------------------------------------------------------------------------------------------
_NUM = r"(\d[\d,]*)"
# relation words written before the number, longest first; each maps to a rel
_BEFORE = [
    (r"no (?:less|fewer|shorter) than|not (?:less|fewer|shorter) than|at least|a minimum of|minimum of|minimum|min\.?|"
     r"no (?:less|fewer) then|not under|not below|(?:do not|don't|dont|never|shouldn't|should not|must not|mustn't|"
     r"mustnt|shouldnt|doesnt|doesn't|does not|cannot|can't|cant|won't|wont)\s+"
     r"(?:go\s+|be\s+|use\s+|have\s+|write\s+|drop\s+)?(?:under|below|less than|fewer than|shorter than)", "at_least"),
    (r"no more than|not more than|no longer than|not longer than|no greater than|at most|at the most|a maximum of|"
     r"maximum of|maximum|max\.?|up to|within|"
     r"limit(?:ed)?(?: it| this| that| the \w+(?: \w+)?| yourself| your \w+| them)? to|cap(?:ped)?(?: \w+)? at|"
     r"(?:do not|don't|dont|never|shouldn't|should not|must not|mustn't|not|mustnt|shouldnt|doesnt|doesn't|"
     r"cannot|can't|cant|won't|wont)\s+(?:go\s+|be\s+|use\s+|have\s+|write\s+)?"
     r"(?:exceed(?:ing)?|over|above|beyond|past|more than|longer than|surpass)|not to exceed|no \w+ than", "at_most"),
    (r"less than|fewer than|shorter than|under|below|beneath|lower than|not even|less then|fewer then", "less_than"),
    (r"more than|over|greater than|longer than|above|exceed(?:ing|s)?|in excess of|beyond|more then|upwards of",
     "more_than"),
    (r"exactly|precisely|just|only|no more and no less than|a total of|total of", "exactly"),
]
_AFTER = [
    (r"or more|or above|or greater|or longer|or over|plus|\+|at least|at minimum|minimum|min\b|or upwards|"
     r"and up|and above", "at_least"),
    (r"or less|or fewer|or under|or below|or shorter|or lower|at most|at the most|at max|max(?:imum)?\b|tops|"
     r"and under|and below|or so at most|and no more", "at_most"),
    (r"exactly|precisely|no more,? no less|no more and no less", "exactly"),
]
_BEFORE_RE = [(re.compile(rf"(?:{p})\s*$", re.I), rel) for p, rel in _BEFORE]
_AFTER_RE = [(re.compile(rf"^\s*(?:{p})", re.I), rel) for p, rel in _AFTER]


def _num(s: str) -> int | None:
    try:
        v = int(s.replace(",", ""))
    except ValueError:
        return None
    return v if v <= MAX_COUNT else None


def _rel_before(text: str) -> str | None:
    for rx, rel in _BEFORE_RE:
        if rx.search(text):
            return rel
    return None


def _rel_after(text: str) -> str | None:
    for rx, rel in _AFTER_RE:
        if rx.search(text):
            return rel
    return None


def read_counts(clause: str, nouns: str, default: str | None = None,
                gap: str = r"(?:[\w'-]+\s+){0,3}?") -> list[tuple[str, int]] | Unread | None:
    """(rel, n) pairs the clause states about `nouns` (a regex). Orders read: REL N [adj…] NOUN, N [adj…] NOUN REL,
    N REL [adj…] NOUN, NOUN … REL N, "between A and B NOUN". None: no number for these nouns; Unread: a number
    without a relation and no `default`."""
    t = normalize_numbers(clause).replace("’", "'")  # "shouldn’t exceed": a curly apostrophe is one
    t = re.sub(r"(\d)\s*-\s*(?=" + nouns + r")", r"\1 ", t, flags=re.I)  # "300-word" -> "300 word"
    found: list[tuple[str, int]] = []
    m = re.search(rf"\bbetween\s+{_NUM}\s+(?:and|to|-)\s+{_NUM}\s+{gap}(?:{nouns})\b", t, re.I) \
        or re.search(rf"(?:{nouns})\b[^.;\n]{{0,30}}?\bbetween\s+{_NUM}\s+(?:and|-|to)\s+{_NUM}\b", t, re.I) \
        or re.search(rf"\b{_NUM}\s*(?:-|–|to)\s*{_NUM}\s+{gap}(?:{nouns})\b", t, re.I)
    if m and _num(m.group(1)) is not None and _num(m.group(2)) is not None:
        return [("at_least", _num(m.group(1))), ("at_most", _num(m.group(2)))]
    bare = None
    # number before the noun
    for m in re.finditer(rf"(?<![\w.]){_NUM}\s+"
                         r"((?:or more|or fewer|or less|or above|or under|or below|plus|at least|at most|\+)\s+)?"
                         rf"{gap}(?:{nouns})\b", t, re.I):
        n = _num(m.group(1))
        if n is None or PAST.search(t[max(0, m.start() - 25):m.start()]):
            continue  # "My last email was 3 paragraphs": a fact about another text
        rel = (_rel_after(m.group(2) or "") or _rel_before(t[:m.start()])
               or _rel_after(t[m.end():m.end() + 25].lstrip(" ,:-–—()")))
        if rel:
            found.append((rel, n))
        elif bare is None:
            bare = n
    # noun first: "word count: under 300", "keep the bullets to 5 max", "sentences should be fewer than 6"
    if not found:
        for m in re.finditer(rf"(?:{nouns})\b(?P<mid>[^.;\n\d]{{0,80}}?)(?<![\w.]){_NUM}(?!\s*(?:st|nd|rd|th)\b)",
                             t, re.I):
            if len(m.group("mid")) > 40 and not _rel_before(m.group("mid").rstrip()):
                continue
            n = _num(m.group(2))
            if n is None or re.match(r"\s+of\s+(?:them|those|these)\s+(?:about|may|might|should|must|can|"
                                     r"mention\w*|that|with|on)\b", t[m.end():], re.I):
                continue  # "bullet points, at least 3 of them about shoes": some of them, not how many
            rel = _rel_before(m.group("mid").rstrip()) or _rel_after(t[m.end():m.end() + 25])
            if rel:
                found.append((rel, n))
            elif bare is None and re.search(r"^\W*(?:is|are|of|should be|must be|=|:|-)?\W*$", m.group("mid"), re.I):
                bare = n
    if not found:  # "leave blanks like [city] to fill in - at least 4 of them"
        for m in re.finditer(rf"(?<![\w.]){_NUM}\s+of\s+(?:them|those|these)\b"
                             r"(?!\s+(?:about|may|might|should|must|can|mention\w*|that|with|on)\b)", t, re.I):
            rel = _rel_before(t[:m.start()].rstrip())
            if rel and _num(m.group(1)) is not None:
                found.append((rel, _num(m.group(1))))
    if found:
        return list(dict.fromkeys(found))
    if bare is not None:
        return [(default, bare)] if default else Unread()
    return None


# ---- spans -----------------------------------------------------------------------------------------------------------
_MARKED = re.compile(r"\*\*([^*\n]+)\*\*|(?<![*\w])\*([^*\n]+)\*(?![*\w])|(?<![_\w])_([^_\n]+)_(?![_\w])")


def spans(clause: str) -> list[str]:
    """Quoted, bold or italic spans, in order."""
    out = [q for q in quoted(clause) if q.strip()]
    out += [next(g for g in m.groups() if g) for m in _MARKED.finditer(clause)]
    return [s.strip() for s in out if s.strip()]


def word_after(clause: str, nouns: str = r"(?:key)?words?|terms?|phrases?") -> str | None:
    """The word named after "the word"/"keyword": quoted, bold or bare."""
    m = re.search(rf"\b(?:{nouns})\s*:?\s*(?:[\"'“‘*_]+([^\"'”’*_\n]+?)[\"'”’*_]+|([A-Za-z][\w'-]*))", clause, re.I)
    if not m or re.search(r"\b(?:no|each|every|any|single)\s+$", clause[:m.start()], re.I):
        return None  # "no word may be used more than once": a rule over every word, not one word to count
    w = (m.group(1) or m.group(2) or "").strip()
    return None if w.lower() in NOT_A_WORD else w


# what follows "the word" without being the word named: an article, a modal, a verb of the rule itself
NOT_A_WORD = {"the", "a", "an", "that", "this", "should", "must", "is", "appear", "appears", "to", "in", "at", "may",
              "can", "could", "will", "would", "be", "used", "occurs", "count", "letter"}


def word_list(text: str) -> list[str]:
    """Quoted items if any, else a comma / "and" / "or" list cut at the clause's end."""
    qs = spans(text)
    if qs:
        return qs
    text = re.split(r"[.;!?\n(]|\b(?:in your|in the|anywhere|at all|when|while|somewhere|throughout)\b", text)[0]
    items = re.split(r",\s*(?:(?:and|or|nor)\b)?\s*|\s+(?:and|or|nor)\s+|/", text)
    return [i.strip(" :-") for i in items if i.strip(" :-") and len(i.split()) <= 3]
