"""Length and layout counts: words, sentences, paragraphs (and the nth one's first word), bullets, sections,
highlights, placeholders.

Why one file (about 600 lines since lines were held to 120 characters): the nine types share the count
helpers at the top (per_part, the section marker, the paragraph split), and moving half of them to a module of
their own would change the order in which the types register, which is the order constraints are read from a
prompt. The constraint-language issue (37) gives each type a unit of its own; this file ends there."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from irg.engine.constraints.base import MAX_OPENINGS, Constraint, CountConstraint, Opening, lit, register
from irg.engine.constraints.about import about_lengths
from irg.engine.constraints.case import CAPITAL_WORDS
from irg.engine.constraints.perpart import (  # noqa: F401 — read here, and imported from here by slots.py
    _NAMED, _PARTS, EACH_AFTER, EACH_PART, EACH_REL, LABEL_PART, NAMED_PART, NO_PART, PART_BEFORE, PARTS_REFUSED,
    PARTS_REFUSED_SAID, PARTS_SUBJECT, QUOTING, REMADE, REMADE_PART, per_part)
from irg.engine.constraints.shorten import cut_keeping_end, cut_to
from irg.engine.constraints.text import (
    _REL,
    rel_of,
    trailing_rel,
    _REL_TEXT,
    _clean_phrase,
    count_holds,
    negated_before,
    PAST,
    refused_at,
    sentences,
    words,
)
from irg.engine.decoding import DecodingConstraints

# ---- length --------------------------------------------------------------------------
TOKENS_PER_WORD = 1.4  # SmolLM2's tokenizer on English prose, roughly




def caps_count_after(p: str, pos: int) -> bool:
    """"3 words should be in all capital letters": the words counted are capitalised ones."""
    return bool(re.match(r"[^.;\n]{0,25}?\b(?:be|are|is|written|appear|in)\s+(?:\w+\s+)?(?:in\s+)?(?:all\s+)?"
                         r"(?:caps|capitals|capital letters|capitali[sz]ed|upper[\s-]?case|block letters)\b", p[pos:],
                         re.I))


def stars_separator(text: str) -> bool:
    """Paragraphs separated by the markdown divider ***, said or shown."""
    return bool(re.search(r"(?<!\*)\*\*\*(?!\*)|markdown divider|three asterisks|3 asterisks|horizontal (?:rule|line)|"
                          r"\bdivider\b", text, re.I))


_MARKER_BAD = {"at", "least", "exactly", "most", "than", "of", "with", "in", "use", "have", "into", "write", "to",
               "the", "be", "are", "is", "only", "just", "max", "maximum", "minimum", "and", "or", "has", "make",
               "them", "for", "under", "over", "about", "each", "every", "all", "those", "these", "like", "as"}


def section_marker(text: str) -> str | None:
    """The word that starts each section: 'Step' followed by its number, Part N, Chapter 1, "Day X"; None if unsaid."""
    m = re.search(r"[\"'“‘]([A-Za-z]+)[\"'”’]\s+(?:followed by|and|with|plus)\s+(?:its|a|the|their)\s+number", text)
    if m:
        return m.group(1)
    for m in re.finditer(r"\b([A-Za-z]+)\s+(?:X|N|\d{1,2}|\{[^}]*\}|#|<[^>]*>|\[[^\]]*\])(?![\w\-])", text):
        if m.group(1).lower() not in _MARKER_BAD and not re.match(r"\s*(?:sections?|parts?|chapters?|days?|words?|"
                                                                    r"sentences?|paragraphs?|bullets?|times)\b",
                                                                    text[m.end():], re.I):
            return m.group(1)
    return None


# One paragraph said of the whole answer without a digit: "keep it to a single paragraph", "answer in one paragraph",
# "write the whole description as one single sentence" (numbers are figures by now: "1 single paragraph")
def _one(noun: str) -> re.Pattern:
    return re.compile(r"\b(?:(?:keep|limit|make|fit|put|write)\s+(?:it|this|everything|all of it|the\s+(?:(?:whole|"
                      r"entire)\s+\w+|answer|response|reply|text|note|message|thing))\s+(?:to|in|into|as)|"
                      r"(?:write|rewrite|condense|turn|answer|respond|reply|describe|explain|summari[sz]e|define|"
                      r"sum up|introduce)\s+"
                      r"(?:(?!each\b|every\b|them\b|all\b)[\w'’-]+\s+){0,4}?(?:in|as))\s+(?:a\s+single|(?:one|1)\s+single|"
                      r"just\s+(?:one|1)|only\s+(?:one|1)|one|1)\s+(?:(?:short|brief|concise|tight)\s+)?" + noun
                      # where the sentence ends: not "one sentence per line", "in one sentence, then give an example"
                      + r"(?=\s*,?\s*(?:please|thanks|thank you|only|max(?:imum)?|tops|at most|though|tho|too|"
                        r"as well)?\s*(?:[.!?)]|$)|\s*,\s*(?:and\s+)?(?:less than|under|fewer than|at most|"
                        r"no more than|"
                        r"max(?:imum)?|up to)\s+\d+\s+words\s*(?:[.!?)]|$))", re.I)  # "…, less than 30 words."


ONE_PARAGRAPH, ONE_SENTENCE = _one("paragraph"), _one("sentence")


# a number of paragraphs asked with a describing word between: "Write 3 short, punchy paragraphs about autumn", "a short
# 3-paragraph story" (not "Read the 4 short paragraphs below", "3 long paragraphs would be too much")
ASKED_PARAGRAPHS = re.compile(r"(?:^|[.!?]\s+|\b(?:please|and|then|can you|could you)\s+)(?:write|give me|"
                              r"compose|draft|"
                              r"create|make|i need|i want|i'd like)\s+(?:me\s+)?(?:(?:a|"
                              r"an)\s+(?:[\w,]+\s+){0,2}?(\d+)\s*-\s*"
                              r"paragraphs?\s+[a-z]|(\d+)\s+(?:[\w-]+,?\s+){1,2}paragraphs\b(?!\s+(?:of|from|below|above)\b))",
                              re.I)


# a rate, not a length: "a typist who can exceed 120 words per minute"
RATE = r"(?!\s+(?:per|a|an|each|every)\s+(?:minute|min|second|sec|hour|day)s?\b)"


@register
@dataclass
class WordCount(CountConstraint):
    kind: ClassVar[str] = "word_count"
    asked_for = "a word limit"
    noun = r"words?(?!\s+(?:in|with|written in)\s+(?:all\s+)?(?:caps|capital|upper))" + RATE + "|word count|word limit"
    rel: str = "at_least"
    n: int = 100

    @classmethod
    def extract(cls, p):
        out = []
        for m in re.finditer(_REL + r"\s+(\d+)\s+words?\b" + RATE, p, re.I):
            if re.match(r"\s*" + CAPITAL_WORDS, p[m.end():], re.I) or caps_count_after(p, m.end()):
                continue  # "at least 2 words in all caps" is capital_word_frequency
            if re.match(r"\s+(?:rhym\w*|that|which|who|starting|beginning|ending|from\s+(?:the|this)\s+list|"
                        r"like|such as)\b",
                        p[m.end():], re.I) or PAST.search(p[max(0, m.start() - 25):m.start()]):
                continue  # "at least 6 words rhyme with 'light'": words of a kind; "My last post was over 400 words"
            if per_part(p, m.start()):
                continue  # "each bullet under 20 words" limits a part, not the answer
            if re.match(r"\s*(?:\w+\s+){0,2}?(?:with|in|using)\s+(?:markdown\s+)?(?:italics?|bold|markdown|highlight)",
                        p[m.end():], re.I) \
                    or re.search(r"\b(?:highlight|italici[sz]e|bold|emphasi[sz]e)\w*\s+$",
                                 p[max(0, m.start() - 20):m.start()], re.I):
                continue  # "highlight at least 3 words with markdown": highlighted_sections
            out.append(cls(rel_of(m, p), int(m.group(2))))
        for m in re.finditer(r"(?:\b(?:in|within|using)|(?:^|(?<=[.,;:!?(—–-]))) ?(\d+) words or "
                             r"(less|fewer|more)\b(?!\s*[—–,-]*\s*or\b)", p,
                             re.I):  # "in 50 words or less", "a quote for a poster, 12 words or fewer"
            # each item's ("10 name ideas, 3 words or fewer"), a part's ("a title (8 words or fewer)"), a fact
            if not m.group(0).lstrip().lower().startswith(("in", "within", "using")) and (
                    per_part(p, m.start())
                    or re.search(r"\(\s*$|\b(?:are|is|were|was)\s+(?:always\s+|usually\s+|often\s+)?$",
                                 p[max(0, m.start() - 25):m.start() + 1], re.I)
                    or re.search(r"\b\d+\s+(?:[\w-]+\s+){0,2}(?:ideas|names|titles|taglines|options|slogans|tweets|"
                                 r"headlines|headings|examples|suggestions|questions|items|captions)\b", p[:m.start()],
                                 re.I)):
                continue
            out.append(cls("at_most" if m.group(2).lower() in ("less", "fewer") else "at_least", int(m.group(1))))
        if not out and (about := about_lengths(p)):  # no bound said: about that many (constraints/about.py)
            out += [cls(r, n) for r, n in (("at_least", about[0].lo), ("at_most", about[0].hi)) if n is not None]
        return out

    where: ClassVar[str] = "whole answer"

    def count(self, text):
        return len(words(text))

    def counted(self, count):
        return f"{count} words"

    def instruction(self):
        return f"Write {_REL_TEXT[self.rel]} {self.n} words."

    render_label, render_order = "shortened: cut after the last sentence within the word limit", 0

    def render(self, text):  # over a word limit: the model's first sentences, whole (constraints/shorten.py)
        return cut_to(text, lambda t: not self.check(t)) if self.rel in ("at_most", "less_than") else text

    def render_also(self, text):  # the same, with a closing paragraph (an end phrase, a P.S.) kept after the cut
        return [cut_keeping_end(text, lambda t: not self.check(t))] if self.rel in ("at_most", "less_than") else []

    def decoding(self):
        if self.rel in ("at_least", "more_than"):
            return DecodingConstraints(min_new_tokens=int((self.n + 1) * TOKENS_PER_WORD))
        if self.rel in ("at_most", "less_than"):  # counted while the model writes, cut at a sentence end (counting.py)
            n = max(1, self.n - (self.rel == "less_than"))
            return DecodingConstraints(max_new_tokens=int(n * 1.8) + 16, limits=[{"unit": "word", "n": n}])
        return None


SENTENCE_OPENERS = ("This", "It", "In", "They")  # openings a sentence of any topic can go on from


@register
@dataclass
class SentenceCount(CountConstraint):
    kind: ClassVar[str] = "sentence_count"
    asked_for, noun, default_rel = "a sentence count", r"sentences?", "exactly"
    rel: str = "at_least"
    n: int = 3

    @classmethod
    def extract(cls, p):
        out = [cls(rel_of(m, p), int(m.group(2)))
               for m in re.finditer(_REL + r"\s+(\d+)\s+sentences?\b", p, re.I) if not per_part(p, m.start())]
        # the kind of text asked for: "Write a 4-sentence horror story" (the one such count said; not "two 3-sentence
        # stories", "a 5-sentence story and a 2-sentence summary", "each a 2-sentence paragraph")
        said = re.findall(r"\d+\s*-?\s*sentences?\s+[a-z]", p, re.I)
        m = re.search(r"(?:^|[.!?]\s+|\b(?:please|and|then|can you|could you)\s+)(?:write|give me|compose|draft|create|"
                      r"make|i need|i want|i'd like|i would like|tell me)\s+(?:me\s+)?(?:a|an)\s+(?:[\w,]+\s+){0,2}?"
                      r"(\d+)(?:\s*-\s*|\s+)sentence\s+[a-z]", p, re.I)
        if m and re.search(r"\b(?:each|every|per|then|followed by)\b", p[m.end():], re.I):
            m = None  # "a 3-sentence summary of each chapter", "a 2-sentence story, then explain why"
        if not out and len(said) == 1 and m \
                and not per_part(p, m.start()) and not refused_at(p, m.start()) \
                and not re.search(r"\b(?:each|every|per)\b", p[max(0, m.start() - 20):m.start()], re.I):
            out.append(cls("exactly", int(m.group(1))))
        if (one := ONE_SENTENCE.search(p)) and not negated_before(p, one.start()) and cls("exactly", 1) not in out:
            out.append(cls("exactly", 1))  # "write the whole description as one single sentence"
        return out

    def count(self, text):
        return len(sentences(text))

    def counted(self, count):
        return f"{count} sentences"

    def instruction(self):
        return f"Write {_REL_TEXT[self.rel]} {self.n} sentence{'s' * (self.n != 1)}."

    render_label, render_order = "shortened: cut after the last sentence within the sentence limit", 0

    def render(self, text):
        return self._cut(text, cut_to)

    def render_also(self, text):  # the same, with a closing paragraph (an end phrase, a P.S.) kept after the cut
        return [self._cut(text, cut_keeping_end)]

    def _cut(self, text, cut):
        if self.rel == "exactly":  # over an exact count: cut after its nth sentence, if that is then exactly n
            out = cut(text, lambda t: self.count(t) <= self.n)
            return out if not self.check(out) else text
        return cut(text, lambda t: not self.check(t)) if self.rel in ("at_most", "less_than") else text

    def decoding(self):
        if self.rel in ("at_least", "more_than"):
            return DecodingConstraints(min_new_tokens=8 * self.n)
        if self.rel in ("at_most", "less_than", "exactly"):  # counted while the model writes (counting.py)
            return DecodingConstraints(limits=[{"unit": "sentence", "n": max(1, self.n - (self.rel == "less_than"))}])
        return None

    # Too few sentences: told "write exactly 3 sentences", the 135M model rewrote its two long ones four times over
    # (dev split). The program opens one more after the last with a plain word, and the model writes the sentence.
    def openings(self, text):
        need = min(self.shortfall(text), MAX_OPENINGS)
        return [Opening(w, f"filled: opened a sentence with '{w}'") for w in (SENTENCE_OPENERS * need)[:need]]


@register
@dataclass
class ParagraphCount(Constraint):
    kind: ClassVar[str] = "paragraph_count"
    asked_for, noun = "a number of paragraphs", r"paragraphs?|paras?|blocks?|parts?"
    default_rel, covered_by = "exactly", ("paragraph_first_word",)
    n: int = 2
    separator: str = "***"  # "" = blank lines
    rel: str = "exactly"  # "a minimum of five paragraphs", "8 or more paragraphs" (issue 38): at_least

    @classmethod
    def extract(cls, p):
        said = [x for x in re.finditer(r"\b(?:" + _REL + r"\s+)?(\d+)[\s-]+(?:or\s+(?P<or>more|fewer|less)\s+)?"
                                       r"paragraphs?"
                                       r"(?:\s+or\s+(?P<or2>more|fewer|less)\b(?!\s+than))?", p, re.I)
                if not per_part(p, x.start())  # "4 sections, each with 2 paragraphs": not the answer's
                and not PAST.search(p[max(0, x.start() - 25):x.start()])  # "My last email was 3 paragraphs"
                and not re.search(r"\b(?:maybe|perhaps|possibly)\s+$", p[max(0, x.start() - 12):x.start()], re.I)
                and not re.match(r"\s+(?:must|should|need to|needs to|have to|has to)\b", p[x.end():], re.I)]
        # ("At least 2 paragraphs must mention Paris": some paragraphs, not how many the answer has)
        if any("-" in x.group(0) for x in said) and (len(said) > 1 or not (re.search(r"\b(?:a|an)\s+" + re.escape(
                said[0].group(0)), p, re.I) or ASKED_PARAGRAPHS.search(p))):
            return []  # "a 3-paragraph letter" is the answer's; "two 3-paragraph stories", "… and a 1-paragraph …"
        if not said and (asked := ASKED_PARAGRAPHS.search(p)) and not re.search(r"\b(?:each|every|per)\b", p, re.I):
            return [cls(int(asked.group(1) or asked.group(2)), "***" if stars_separator(p) else "")]  # "3 short, …"
        if not said and (one := ONE_PARAGRAPH.search(p)) and not negated_before(p, one.start()):
            return [cls(1, "", "exactly")]  # "keep it to a single paragraph"
        if not said or (not said[0].group("rel") and negated_before(p, said[0].start(2))):
            return []  # "Do not write 3 paragraphs" (a refused relation is turned: "don't write fewer than 3")
        out = [cls(int(m.group(2)), "***" if stars_separator(p) else "", cls._rel(m, p)) for m in said[:2]]
        # a second count is kept only as the other bound of a range ("at least 2 paragraphs, no more than 4"), and
        # not when either is said of some paragraphs ("… about cats and at most 1 about dogs", "2 must mention Paris")
        sides = [{"at_least": 1, "more_than": 1, "at_most": -1, "less_than": -1}.get(c.rel) for c in out]
        of_some = any(re.match(r"\s+(?:about|on|of|that|which|must|should|mention\w*|with|cover\w*|discuss\w*|"
                               r"describ\w*|for|in|where)\b", p[m.end():], re.I) for m in said[:2])
        return out if len(out) == 2 and sides[0] and sides[0] == -(sides[1] or 0) and not of_some else out[:1]

    @staticmethod
    def _rel(m: re.Match, p: str) -> str:
        if (more := m.group("or") or m.group("or2")):
            return "at_least" if more.lower() == "more" else "at_most"
        return rel_of(m, p) if m.group("rel") else (trailing_rel(p, m.end()) or "exactly")  # "3 paragraphs max"

    def paragraphs(self, text: str) -> list[str]:
        parts = text.split(self.separator) if self.separator else re.split(r"\n\s*\n", text)
        return [x for x in parts if x.strip()]

    def check(self, text):
        count = len(self.paragraphs(text))
        if not count_holds(count, self.rel, self.n):
            how = f"separated by {self.separator}" if self.separator else "separated by blank lines"
            return [self.finding(f"{count} paragraphs {how}; needs {_REL_TEXT[self.rel]} {self.n}.")]
        return []

    def instruction(self):
        how = f"separated by a line with only {self.separator}" if self.separator else "separated by blank lines"
        return f"Write {_REL_TEXT[self.rel]} {self.n} paragraph{'s' * (self.n != 1)}, {how}."

    def to_dict(self):
        d = super().to_dict()
        return d if self.rel != "exactly" else {k: v for k, v in d.items() if k != "rel"}  # as before issue 38

    body_priority, stars_in_text = 30, False

    def wanted(self) -> int:
        """How many paragraphs a scaffold lays down: the fewest the relation allows (0: it sets only a maximum)."""
        return {"exactly": self.n, "at_least": self.n, "more_than": self.n + 1}.get(self.rel, 0)

    def slots(self):
        return max(1, self.wanted())

    def grammar_body(self):
        if not self.separator or not self.wanted():
            return None  # blank-line paragraphs (and a mere maximum): not scaffolded: instructions and rules only
        return ' "\\n***\\n" '.join(["para"] * self.wanted()), self.wanted(), ""


ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10, "last": -1}


def paragraphs(text: str) -> list[str]:
    """Paragraphs split by a line of *** when the text uses one, else by blank lines."""
    parts = (re.split(r"\n?\s*(?<!\*)\*\*\*(?!\*)\s*\n?", text) if re.search(r"(?m)^\s*\*\*\*\s*$", text)
             else re.split(r"\n\s*\n", text))
    return [x.strip() for x in parts if x.strip()]


@register
@dataclass
class ParagraphFirstWord(Constraint):
    """"The 2nd paragraph must start with the word X" (n: the paragraphs asked for, 0 if the prompt says none)."""
    kind: ClassVar[str] = "paragraph_first_word"
    asked_for, covered_by = "a paragraph's first word", ("paragraph_count",)
    n: int = 0
    nth: int = 1
    word: str = ""

    @classmethod
    def extract(cls, p):
        ords = "|".join(ORDINALS)
        m = re.search(rf"\b(?:the\s+)?(?:({ords})|(\d+)(?:st|nd|rd|th))\s+paragraph\s+"
                      rf"(?:\w+\s+){{0,3}}?(?:start|begin)\w*\s+with\s+"
                      r"(?:the\s+)?(?:word\s+)?(\S+)"
                      rf"|\bparagraph\s+(?:number\s+)?(\d+)\s+(?:\w+\s+){{0,3}}?(?:start|begin)\w*\s+with\s+"
                      r"(?:the\s+)?(?:word\s+)?(\S+)"
                      rf"|\b(?:start|begin)\w*\s+the\s+(?:({ords})|(\d+)(?:st|nd|rd|th))\s+paragraph\s+with\s+"
                      r"(?:the\s+)?(?:word\s+)?(\S+)",
                      p, re.I)
        if not m or negated_before(p, m.start()):
            return []
        g = m.groups()
        ordw, num, word = (g[0], g[1], g[2]) if g[2] else (None, g[3], g[4]) if g[4] else (g[5], g[6], g[7])
        nth = ORDINALS[ordw.lower()] if ordw else int(num)
        word = _clean_phrase(word).rstrip(".,;:!?")
        word = _clean_phrase(word)
        count = re.search(r"\b(\d+)\s+paragraphs?\b", p, re.I)
        n = int(count.group(1)) if count else 0
        if nth == -1:
            nth = n or 1
        return [cls(n, nth, word)] if word and nth >= 1 else []

    def check(self, text):
        paras = paragraphs(text)
        if len(paras) < self.nth:
            return [self.finding(f"Only {len(paras)} paragraph(s); "
                                 f"paragraph {self.nth} must start with '{self.word}'.")]
        first = (words(paras[self.nth - 1]) or [""])[0]
        out = []
        if first.lower() != self.word.lower():
            out.append(self.finding(f"Paragraph {self.nth} starts with '{first}', not '{self.word}'.",
                                    f"paragraph {self.nth}"))
        if self.n and len(paras) != self.n:
            out.append(self.finding(f"{len(paras)} paragraphs; needs exactly {self.n}.", "whole answer"))
        return out

    def instruction(self):
        n = f"Write exactly {self.n} paragraphs separated by blank lines; " if self.n else ""
        return f"{n}start paragraph {self.nth} with the word '{self.word}'."

    def required_texts(self):
        return [([self.word], False)]

    body_priority = 20

    def slots(self):
        return max(self.n, self.nth, 1)

    def grammar_body(self):
        n = max(self.n, self.nth)
        parts = [f'{lit(self.word)} " " line' if i == self.nth else "line" for i in range(1, n + 1)]
        return ' "\\n\\n" '.join(parts), n, ""


@register
@dataclass
class BulletCount(CountConstraint):
    kind: ClassVar[str] = "bullet_count"
    asked_for, default_rel = "a number of bullet points", "exactly"
    noun = r"bullet(?:ed)?(?:\s+points?|\s+items?)?|bullets|points|items|dot points|list items"
    rel: str = "exactly"
    n: int = 3

    @classmethod
    def extract(cls, p):
        out = []
        # (the words between the count and "bullets" describe them: "5 short bullets", not "7 words per bullet")
        between = r"(?:(?!(?:words?|sentences?|lines?|characters?|syllables?|per|each|a|an|max|min)\b)[a-z-]+\s+){0,3}?"
        for m in re.finditer(r"(?:" + _REL + r"\s+)?(\d+)\s+" + between + r"bullet(?:\s+points?|s)?\b", p, re.I):
            if PAST.search(p[max(0, m.start() - 25):m.start()]):
                continue  # "My old résumé had 12 bullet points"
            if EACH_AFTER.match(p, m.start()) or EACH_PART.search(re.split(r"[.;:!?\n]", p[:m.start()])[-1]):
                continue  # "max 5 bullets per slide", "Under each laptop, no more than 4 bullets": each part's
            rel = rel_of(m, p) if m.group("rel") else (trailing_rel(p, m.end()) or "exactly")  # "6 bullets max"
            c = cls(rel, int(m.group(2)))
            # the first count; a later one only where its relation is said ("at least 3 ... at most 6 bullets",
            # "exactly 3 and exactly 5 bullets": a range, or a contradiction to name), never a bare number again
            if not out or (m.group("rel") and c not in out):
                out.append(c)
        for m in re.finditer(r"\bbullet(?:ed)?(?:\s+points?|\s+list|s)?\s*[,(—–-]\s*" + _REL
                             + r"\s+(\d+)\s+of\s+them\b"
                             r"(?!\s+(?:about|may|might|should|must|can|mention|that|with|on)\b)",
                             p, re.I):
            if not out:  # "as bullet points, at least 15 of them"
                out.append(cls(rel_of(m, p), int(m.group(2))))
        return out

    def count(self, text):
        return len(re.findall(r"(?m)^\s*[*\-•]\s+\S", text))

    def counted(self, count):
        return f"{count} bullet points (lines starting with '* ' or '- ')"

    def instruction(self):
        return f"Use {_REL_TEXT[self.rel]} {self.n} bullet points, each on its own line starting with '* '."

    def decoding(self):
        return DecodingConstraints(forced_prefix="* ")

    # its markers are asterisks: inside an item the model wrote "*The second point …" and closed items with ".*",
    # which no sentence end or fill could follow (train split)
    body_priority, stars_in_text = 10, False

    def slots(self):
        return max(1, self.n + (self.rel == "more_than"))

    def grammar_body(self):
        item = '"* " line'
        n = max(1, self.n)
        if self.rel == "exactly":
            return " ".join([f'{item} "\\n"'] * (n - 1) + [item]), n, ""
        if self.rel in ("at_least", "more_than"):
            n = n + (self.rel == "more_than")
            return " ".join([f'{item} "\\n"'] * (n - 1) + [item]), n, ""
        m = n - (self.rel == "less_than")
        return (f'{item} ("\\n" {item}){{0,{max(0, m - 1)}}}', m, "") if m >= 1 else None


@register
@dataclass
class Sections(Constraint):
    kind: ClassVar[str] = "sections"
    asked_for, noun = "a number of sections", r"sections?|parts?|chapters?|segments?"
    default_rel, fixed_rel, covered_by = "exactly", "exactly", ("paragraph_count",)
    n: int = 2
    marker: str = "SECTION"

    @classmethod
    def extract(cls, p):
        m = next((m for m in re.finditer(r"\b(\d+)\s+sections?\b", p, re.I)  # the first that is not about highlights
                  if not negated_before(p, m.start())
                  and not re.search(r"highlight", p[max(0, m.start() - 30):m.start()], re.I)
                  and not re.match(r"[^.\n]{0,25}\bhighlight", p[m.end():], re.I)), None)
        if not m:
            return []
        mk = next((x for x in re.finditer(r"\blabel(?:l?ed)?\s+(?:as\s+)?[\"']?([A-Za-z]+)\s+(?:X|N|\d|\{)|"
                                          r"\b(?:mark|begin|start|label)\w*\b[^.\n]{0,40}?\bwith\s+[\"']?([A-Za-z]+)\s+"
                                          r"(?:X|N|\d|\{)", p)
                   if (x.group(1) or x.group(2)).lower() not in _MARKER_BAD), None)  # not "each with exactly 2"
        return [cls(int(m.group(1)), (mk.group(1) or mk.group(2)) if mk else section_marker(p) or "SECTION")]

    def check(self, text):
        count = len(re.findall(rf"\b{re.escape(self.marker)}\s+\d+", text))
        if count != self.n:
            return [self.finding(f"{count} sections marked '{self.marker} <number>'; needs exactly {self.n}.")]
        return []

    def instruction(self):
        return f"Write exactly {self.n} sections; start each with '{self.marker} 1', '{self.marker} 2' and so on."

    def required_texts(self):
        return [([f"{self.marker} 1"], True)] if self.n > 0 else []

    def decoding(self):
        return DecodingConstraints(forced_prefix=f"{self.marker} 1\n")

    body_priority = 40

    def slots(self):
        return max(1, self.n)

    def grammar_body(self):
        return ' "\\n\\n" '.join(f'{lit(f"{self.marker} {i}")} "\\n" para' for i in range(1, self.n + 1)), self.n, ""


@register
@dataclass
class HighlightedSections(Constraint):
    kind: ClassVar[str] = "highlighted_sections"
    asked_for, default_rel, fixed_rel = "highlighted parts", "at_least", "at_least"
    noun = r"highlight\w*|italic\w*|emphasi[sz]\w*|sections?|parts?|phrases?|words?|spans?|bits?"
    n: int = 1

    @classmethod
    def extract(cls, p):
        m = re.search(r"\bhighlight\w*\s+(?:" + _REL + r"\s+)?(\d+)\s+(?:[a-z]+\s+)?(?:sections?|parts?|phrases?)",
                      p, re.I)
        if m:
            return [cls(int(m.group(2)))]
        m = re.search(r"(?:" + _REL + r"\s+)?(\d+)\s+(?:[a-z]+\s+)?(?:sections?|parts?|phrases?|words?)\s+"
                      r"(?:\w+\s+){0,3}?(?:be\s+|are\s+)?highlighted\b", p, re.I)
        if m:
            return [cls(int(m.group(2)))]
        nouns = r"(?:sections?|parts?|phrases?|words?|sentences?|points?|ideas?|terms?)"
        m = (re.search(r"\b(?:highlight|emphasi[sz]e|mark)\w*\s+(?:" + _REL + r"\s+)?(\d+)\s+(?:[a-z]+\s+)?" + nouns +
                       r"\b[^.\n]{0,40}\b(?:markdown|highlight\w*|\*)", p, re.I)
             or re.search(r"(?:" + _REL + r"\s+)?(\d+)\s+\*?highlighted\*?\s+(?:[a-z]+\s+)?" + nouns, p, re.I))
        return [cls(int(m.group(2)))] if m else []

    def check(self, text):
        count = len(re.findall(r"\*[^\n*]+\*", text))
        if count < self.n:
            return [self.finding(f"{count} highlighted sections like *this*; needs at least {self.n}.")]
        return []

    def required_texts(self):  # an asterisk: a text that cannot hold one cannot be highlighted
        return [(["*"], True)] if self.n > 0 else []

    def instruction(self):
        return f"Highlight at least {self.n} sections with markdown, like *highlighted section*."

    # Emphasis is form: the program wraps the model's own longest words in *…*, never adding or removing a word.
    # Words of the first and last lines (a title, a start or end phrase) are taken last, all-capital words (markers
    # like SECTION) never.
    render_label, render_order = "rendered: highlighted", 3

    def render(self, text):
        missing = self.n - len(re.findall(r"\*[^\n*]+\*", text))
        if missing <= 0:
            return text
        lines = text.split("\n")
        first, last = len(lines[0]), len(text) - len(lines[-1])
        # in an answer written all in capitals every word is one: then only a marker before a number is left alone
        shouted = not re.search(r"[a-z]", text)
        words_ = [m for m in re.finditer(r"(?<![\w'*<\[])[A-Za-z][A-Za-z'-]{3,}(?![\w'*>\]])", text)
                  if not m.group(0).isupper() or (shouted and not re.match(r"\s+\d", text[m.end():]))]
        inner = [m for m in words_ if first < m.start() < last]
        outer = [m for m in words_ if not first < m.start() < last]
        ranked = sorted(inner, key=lambda m: -len(m.group(0))) + sorted(outer, key=lambda m: -len(m.group(0)))
        pick = sorted(ranked[:missing], key=lambda m: m.start())
        for m in reversed(pick):
            text = f"{text[:m.start()]}*{m.group(0)}*{text[m.end():]}"
        return text


PLACEHOLDER = 'root ::= [A-Za-z] [A-Za-z ]{0,24} "]" [^\\n.!?\\[\\]*]{0,200} [.!?]'  # a name, closed; the sentence


@register
@dataclass
class Placeholders(Constraint):
    kind: ClassVar[str] = "placeholders"
    asked_for, default_rel, fixed_rel = "placeholders in square brackets", "at_least", "at_least"
    noun = r"placeholders?|square brackets?|brackets?|blanks?|fields?"
    n: int = 1

    @classmethod
    def extract(cls, p):
        m = re.search(r"(?:" + _REL + r"\s+)?(\d+)\s+placeholders?", p, re.I)
        return [cls(int(m.group(2)))] if m else []

    def check(self, text):
        count = len(re.findall(r"\[[^\[\]\n]+\]", text))
        if count < self.n:
            return [self.finding(f"{count} placeholders in square brackets like [name]; needs at least {self.n}.")]
        return []

    def required_texts(self):  # an opening square bracket
        return [(["["], True)] if self.n > 0 else []

    def instruction(self):
        return f"Include at least {self.n} placeholders in square brackets, such as [name] or [address]."

    def openings(self, text):  # the program opens '[', the model names the placeholder and finishes the sentence
        need = self.n - len(re.findall(r"\[[^\[\]\n]+\]", text))
        return [Opening("[", "filled: opened a placeholder '['", PLACEHOLDER)] * max(0, min(need, MAX_OPENINGS))
