"""The units a rule speaks of, and how a text splits into them (paragraphs at blank lines, sentences at . ! ? or a
line break, bullet items at a line's * - • or "1." marker, words as the constraint types count them)."""
from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Callable

from irg.engine.constraints.text import sentences, words
from irg.engine.registry import Registry

UNITS: Registry = Registry("unit")
BULLET = re.compile(r"^\s*(?:[*\-•]|\d{1,3}[.)])\s+(.*\S)")
NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(.*\S)")  # a numbered list's item ("1. Whisk the eggs.")
PUNCTUATION = set(string.punctuation) | set("“”‘’—–…¡¿«»")


def plain(text: str) -> str:
    """The text without list markers at line starts or markdown emphasis: "1. **Done.**" reads as "Done."."""
    return re.sub(r"\*\*|__", "", re.sub(r"(?m)^\s*(?:[*\-•]|\d{1,3}[.)])\s+", "", text))


@dataclass(frozen=True)
class Unit:
    name: str  # as the plain words say it: "sentence", "bullet item"
    plural: str
    split: Callable[[str], list[str]]  # a text -> its units of this kind, in order
    single: bool = False  # a text has one or none ("the title"): a rule on it breaks when it is missing


def _unit(name: str, plural: str, split: Callable[[str], list[str]], single: bool = False) -> None:
    UNITS.register(name, Unit(name, plural, split, single))


HEADING = re.compile(r"^\s*(?:#{1,6}\s+(.+?)\s*#*|\*\*([^*\n]+)\*\*|<<([^<>\n]+)>>)\s*$")


def _title(text: str) -> list[str]:
    """The title: a first line that is a heading (# Title, **Title**, <<Title>>), or a short first line set off by a
    blank line that does not end a sentence."""
    lines = text.strip().split("\n")
    if not lines or not lines[0].strip():
        return []
    first = lines[0].strip()
    if m := HEADING.match(first):
        return [next(g for g in m.groups() if g).strip()]
    alone = len(lines) > 1 and not lines[1].strip()
    if BULLET.match(first) or first.startswith(">") or first.endswith((".", ",", ";", ":")):
        return []  # a list item, a quote, a sentence or a lead-in ("Here are some tips:") is not a title
    return [first] if alone and len(words(first)) <= 15 else []


_unit("response", "responses", lambda t: [t.strip()] if t.strip() else [])
_unit("paragraph", "paragraphs", lambda t: [p.strip() for p in re.split(r"\n\s*\n", t) if p.strip()])
_unit("line", "lines", lambda t: [ln.strip() for ln in t.splitlines() if ln.strip()])
_unit("sentence", "sentences", lambda t: sentences(plain(t)))
_unit("bullet item", "bullet items", lambda t: [m.group(1) for ln in t.splitlines() if (m := BULLET.match(ln))])
_unit("numbered item", "numbered items", lambda t: [m.group(1) for ln in t.splitlines() if (m := NUMBERED.match(ln))])
_unit("word", "words", words)
_unit("letter", "letters", lambda t: [c for c in t if c.isalpha()])
_unit("digit", "digits", lambda t: [c for c in t if c.isdigit()])
_unit("character", "characters", lambda t: [c for c in t if c != "\n"])
_unit("punctuation mark", "punctuation marks", lambda t: [c for c in t if c in PUNCTUATION])
_unit("quoted span", "quoted spans", lambda t: re.findall(r"[\"“]([^\"”\n]+)[\"”]", t))


def _sections(text: str) -> list[str]:
    """What each heading heads: the text under it, up to the next heading (a text with no heading is one section;
    text before the first heading is an introduction, no section)."""
    lines = text.strip().splitlines()
    at = [i for i, ln in enumerate(lines) if HEADING.match(ln)]
    if not at:
        return [text.strip()] if text.strip() else []
    return ["\n".join(lines[i + 1:j]).strip() for i, j in zip(at, at[1:] + [len(lines)])]


def syllables(word: str) -> int:
    """A word's syllables, by the usual rule of thumb (vowel groups; a silent final e, or -es / -ed after most
    consonants, adds none): right on most plain words, off by one on some ("people", "create")."""
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return 0
    n = len(re.findall(r"[aeiouy]+", w)) + len(re.findall(r"ia|io|iu|ua|uo|eo|oe(?!s?$)|ie(?=t)", w))  # pi-a-no, po-em
    n += bool(re.search(r"[aeiouy]ing$", w))  # go-ing, be-ing, see-ing
    silent_e = w.endswith("e") and not w.endswith(("ee", "ye")) and not re.search(r"[^aeiouy]le$", w)  # smile, table
    silent_es_ed = (re.search(r"[^aeiouytd]ed$", w) or re.search(r"[^aeiouysxzcgh]es$", w)) \
        and not re.search(r"[^aeiouy]le[sd]$", w)  # used, loves; not wanted, houses, tables
    if n > 1 and (silent_e or silent_es_ed):
        n -= 1
    if n > 1 and re.search(r"[^aeiouy]e(?:ly|ment|ful|ness|less)$", w):  # love-ly, hope-ful
        n -= 1
    return max(1, n)


_unit("number", "numbers",  # list markers ("1. ") are not numbers of the text
      lambda t: re.findall(r"(?<![\w.])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?", plain(t)))
_unit("year", "years",  # a year as a number from 1000 to 2099 on its own ("1969", not "1,969" or "$1969")
      lambda t: re.findall(r"(?<![\w.,$€£-])(1\d{3}|20\d{2})(?![\w,]|\.\d)", plain(t)))
_unit("list number", "list numbers", lambda t: re.findall(r"(?m)^\s*(\d{1,3})[.)]\s+\S", t))
_unit("title", "titles", _title, single=True)
_unit("subject line", "subject lines",
      lambda t: [m.group(1).strip() for m in re.finditer(r"(?im)^\s*\**subject\**\s*:\s*(.+)$", t)][:1], single=True)
_unit("heading", "headings", lambda t: [next(g for g in m.groups() if g).strip() for ln in t.splitlines()
                                        if (m := HEADING.match(ln))])
_unit("section", "sections", lambda t: _sections(t))

# a question of a Q&A: a line marked "Q:" / "Question 2:" or, in a text with no such marks, one that ends with a
# question mark (list marker and bold aside); its answer is what follows it up to the next question, without an
# "A:" / "Answer:" label. A text with no question: its list items, else its paragraphs, are the answers (a reply to
# "answer these questions" numbered 1, 2, 3)
MARKED_Q = re.compile(r"^\s*(?:[*\-•]\s+|\d{1,3}[.)]\s+)?(?:\*\*)?(?:Q|Question)\s*\d*\s*[:.)]", re.I)
ASKED = re.compile(r"^\s*(?:[*\-•]\s+|\d{1,3}[.)]\s+)?(?:\*\*)?[^\n]*\?(?:\*\*)?\s*$")
ANSWER_LABEL = re.compile(r"^\s*(?:[*\-•]\s+)?(?:\*\*)?(?:A|Answer)\s*\d*\s*:\s*(?:\*\*)?\s*", re.I)


def _answers(text: str) -> list[str]:
    """What each question of a Q&A is answered with."""
    lines = text.splitlines()
    question = MARKED_Q if any(MARKED_Q.match(ln) for ln in lines) else ASKED
    out: list[list[str]] | None = None
    for ln in lines:
        if question.match(ln) and not ANSWER_LABEL.match(ln):
            out = (out or []) + [[]]
        elif out is not None and ln.strip():
            out[-1].append(ANSWER_LABEL.sub("", ln, count=1).strip())
    if out is None:  # no question at all
        return split("bullet item", text) or split("paragraph", text)
    return [" ".join(a) for a in out if a]


_unit("answer", "answers", _answers)
_unit("syllable", "syllables", lambda t: [w for w in words(t) for _ in range(syllables(w))])


MARKS = {"comma": ",", "period": ".", "semicolon": ";", "colon": ":", "exclamation mark": "!", "question mark": "?",
         "em dash": "—", "parenthesis": "()", "quotation mark": "\"“”", "ellipsis": None,
         "hashtag": None, "emoji": None, "asterisk": "*", "ampersand": "&", "slash": "/", "underscore": "_",
         "hyphen": "-", "apostrophe": "'’", "angle bracket": "<>", "square bracket": "[]", "curly brace": "{}",
         "hash sign": "#"}
for _name, _chars in MARKS.items():
    if _chars:
        _unit(_name, {"parenthesis": "parentheses", "ellipsis": "ellipses", "em dash": "em dashes",
                      "slash": "slashes"}.get(_name, _name + "s"),
              lambda t, cs=_chars: [c for c in t if c in cs])
_unit("ellipsis", "ellipses", lambda t: re.findall(r"\.\.\.|…", t))
_unit("hashtag", "hashtags", lambda t: re.findall(r"(?<!\w)#\w+", t))
# a pictograph, with its variation selector or joined to others ("☀️", "👩‍💻")
EMOJI = ("[\U0001F300-\U0001FAFF\u2600-\u27BF\U0001F1E6-\U0001F1FF\u2B50\u2B55][\uFE0F\U0001F3FB-\U0001F3FF]*"
         "(?:\u200D[\U0001F300-\U0001FAFF\u2600-\u27BF][\uFE0F]*)*")
_unit("emoji", "emojis", lambda t: re.findall(EMOJI, t))

NUMBER_WORDS = (r"\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
                r"thousand|million|billion|dozen)\b")
# Things written in a recognisable form, as the filters "contains a price", "begins with a time", "ends with an
# emoji". Read by their written shape, never by meaning: "$4.50", "12%", "14:30" / "9am", "3 March" / "2024-05-01",
# a pictograph. A price needs its currency ("4.50" alone is a number); a year alone is not a date.
MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
         r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
FORMATS = {
    "price": r"[$€£¥]\s?\d[\d,]*(?:\.\d+)?|\d[\d,]*(?:\.\d+)?\s?(?:[€£]|dollars?\b|euros?\b|pounds?\b|"
             r"usd\b|eur\b|gbp\b|cents?\b)",
    "percentage": r"\d(?:[\d,]*\.?\d*)?\s?(?:%|percent\b|per cent\b)|" + NUMBER_WORDS + r"\s+(?:percent|per cent)\b",
    "time": r"\b(?:[01]?\d|2[0-3]):[0-5]\d(?!\d)(?:\s?(?:am|pm|a\.m\.|p\.m\.))?|\b(?:1[0-2]|0?[1-9])\s?"
            r"(?:am|pm|a\.m\.|p\.m\.)(?!\w)",
    "date": r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b" + MONTH + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?\b|"
            r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + MONTH + r"\b|\b" + MONTH + r"\s+\d{4}\b",
    "digit": r"\d",
    "number": r"\d|" + NUMBER_WORDS,
    "emoji": EMOJI,
    "year": r"(?<![\w.,$€£-])(?:1\d{3}|20\d{2})(?![\w]|,\d|\.\d)",  # a year, and a year before a comma ("In 2019, ...")
    "hhmm": r"(?<![\d:])(?:[01]\d|2[0-3]):[0-5]\d(?![\d])",  # a clock time written HH:MM, two digits each
    "hashtag": r"(?<![\w#])#[A-Za-z_]\w*",  # "#tbt", not the "#3" of a rank or an issue number
}
_unit("number word", "number words",  # "one" aside: "no one", "one of them" are no numbers
      lambda t: [w for w in re.findall(NUMBER_WORDS, t, re.I) if w.lower() != "one"])
for _name, _plural in (("time", "times"), ("date", "dates"), ("price", "prices"), ("percentage", "percentages")):
    _unit(_name, _plural, lambda t, p=re.compile(FORMATS[_name], re.I): [m.group(0) for m in p.finditer(t)])
MARK_UNITS = {n for n in MARKS} | {"digit", "emoji", "number word"}  # what a text "contains" rather than "has"


def snippet(text: str, n: int = 40) -> str:
    """A unit quoted in a finding, cut to `n` characters."""
    text = " ".join(text.split())
    return repr(text if len(text) <= n else text[: n - 1] + "…")


def split(unit: str, text: str) -> list[str]:
    return UNITS.get(unit).split(text)
