"""Content: keywords to include, words to avoid, a word's frequency, start and end phrases, the repeated request,
"answer with one of"."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

from irg.engine.constraints.base import MAX_OPENINGS, Constraint, CountConstraint, Opening, register
from irg.engine.constraints.readers import NOT_A_WORD
from irg.engine.constraints.scope import PART_EDGE, list_scoped
from irg.engine.constraints.text import (_QUOTED, _REL, _REL_TEXT, ONE_OF_TWO, QUOTED_TEXT,
                                         _clean_phrase, _counted, _quoted_or_word, _split_list, negated_before, opener,
                                         quoted, quoted_run, refused_at, rel_of, WHOLE_TEXT)
from irg.engine.decoding import DecodingConstraints


@register
@dataclass
class IncludeKeywords(Constraint):
    kind: ClassVar[str] = "include_keywords"
    asked_for, multi, covered_by = "words to include", True, ("keyword_frequency",)
    keywords: list[str] = field(default_factory=list)

    @classmethod
    def extract(cls, p):
        pat = (r"\b(?:includ(?:e|es|ing)|us(?:e|es|ing)|mention(?:s|ing)?|contain(?:s|ing)?|featur(?:e|es|ing))\s+"
               r"(?:the\s+)?(?:following\s+)?"
               r"(?:key\s?words?|words?|terms?|phrases?|hashtags?)\s*:?\s+(.+?)(?:[.;!?\n]|$)")
        kws: list[str] = []
        for m in re.finditer(r"\b(?:mention(?:s|ing)?|includ(?:e|es|ing)|contain(?:s|ing)?)\s+((?:[\"“'‘][^\n]+?[\"”'’]"
                             r"(?:\s*,\s*|\s+or\s+|\s+and\s+|\s*,\s*and\s+)?)+)", p, re.I):
            if not negated_before(p, m.start(), 25) and not _counted(p[m.end():m.end() + 30]):
                kws += quoted(m.group(1))
        # 'Include the exact sentence: "…"', 'contain this line verbatim: "…"', 'the address exactly as "…"': a quote
        for m in re.finditer(QUOTED_TEXT, p, re.I):
            said = re.split(r"[.!?\n]\s", p[:m.start()])[-1]  # "Under no circumstances should you include …"
            refused = re.search(r"n't\b|\b(?:no|not|never|forbidden|prohibited|banned|avoid|without|refrain)\b", said,
                                re.I)
            if not refused and not _counted(p[m.end():m.end() + 80]):
                plural = p[m.end("noun"):m.end("noun") + 1] == "s" or re.search(r"\b(?:these|all)\b", m.group(0), re.I)
                kws += quoted_run(p[m.end():].split("\n")[0]) if plural else quoted(p[m.end():].split("\n")[0])[:1]
        for m in re.finditer(pat, p, re.I):
            if negated_before(p, m.start(), 25):
                continue
            if re.match(r"\s*(?:at least|at most|exactly|\d)", m.group(1), re.I) \
                    or _counted(m.group(1)):
                continue  # "use the word X at least N times" is keyword_frequency
            kws += [k for k in _split_list(m.group(1)) if k.lower() not in ("in", "your", "the")]
        return [cls(list(dict.fromkeys(kws)))] if kws else []

    def check(self, text):
        missing = [k for k in self.keywords if not re.search(rf"(?<!\w){re.escape(k)}(?!\w)", text, re.I)]
        if missing:
            return [self.finding("Missing keyword(s): " + ", ".join(missing) + ".", "whole answer",
                                 "Use these words: " + ", ".join(missing) + ".")]
        return []

    def instruction(self):
        return "Use these exact words in the answer: " + ", ".join(self.keywords) + "."

    def openings(self, text):  # a sentence that starts with each missing keyword, the rest the model's
        return [Opening(opener(k), f"filled: opened a sentence with '{opener(k)}'") for k in self.keywords
                if not re.search(rf"(?<!\w){re.escape(k)}(?!\w)", text, re.I)]

    def required_texts(self):
        return [([k], False) for k in self.keywords]


# What "avoid …"/"without using …" names that is not a word to ban (other constraints read these)
NOT_WORDS = {"commas", "comma", "capital letters", "capitals", "caps", "uppercase", "lowercase", "punctuation",
             "any commas", "a single comma", "markdown", "bullet points", "bullets", "numbers", "emojis"}


# "without using the letter e" bans a letter, not the word "letter e" (the program reader reads it: compose/named.py)
LETTERS = re.compile(r"(?:the\s+|any\s+)?(?:letters?|characters?)\s+\S", re.I)


# a ban limited by a count is that count (KeywordFrequency): "don't use the word 'miss' more than once"
# "don't use 'blue' twice" (2 times), "more than a couple of times": a count too, below it (one time is a ban)
LIMITED = re.compile(r"(?:\s*[\"'“‘][^\"'”’\n]*[\"'”’]|[\w\s-]{0,30}?)\s*"
                     r"(?:(?:more than|over|above)\s+(?:\d+|a couple of)|(?<!\d)(?:[2-9]|\d\d+))\s+times?\b", re.I)


@register
@dataclass
class ForbiddenWords(Constraint):
    kind: ClassVar[str] = "forbidden_words"
    asked_for, multi = "words to avoid", True
    words: list[str] = field(default_factory=list)

    @classmethod
    def extract(cls, p):
        verb = (r"(?:use|using|say|saying|include|including|mention|mentioning|write|writing|"
                r"contain|containing|feature|featuring)")
        noun = r"(?:key\s?words?|words?|terms?|phrases?)"
        pats = [rf"\b(?:do not|don't|dont|never|must not|should not|cannot|can't|without|avoid|refrain from|"
                rf"exclude|omit|leave out|"
                rf"steer clear of|not allowed to)\s+(?:{verb}\s+)?(?:the\s+|any\s+of\s+the\s+|any\s+)?(?:following\s+)?"
                rf"{noun}\s*:?\s+(.+?)(?:[.;!?\n]|$)",
                rf"\b(?:do not|don't|dont|never|must not|should not|avoid|refrain from)\s+{verb}\s+"
                r"((?:[\"“'‘][^\n]+?[\"”'’]"
                r"(?:\s*,\s*|\s+or\s+|\s+and\s+|\s*,\s*or\s+)?)+)",
                # "Avoid 'it's' and 'can't'.", "No 'um' or 'uh' anywhere": quoted words, the clause ends after them
                r"\b(?:avoid|omit|exclude|leave out|steer clear of|no)\s+((?:[\"“'‘][^\n]+?[\"”'’]"
                r"(?:\s*,\s*|\s+or\s+|\s+and\s+|\s*,\s*(?:or|and)\s+)?)+)(?=\s*(?:[.;!?\n]|$|anywhere|at all))",
                r"\bwithout\s+(?:mentioning|saying|using)\s+(?!any\b|a\s+single\b)"
                r"(?:the\s+)?(?:words?\s+)?([\w' -]+?)(?:[.;!?\n,]|$)",
                rf"\b(?:the\s+)?{noun}\s+(.+?)\s+(?:must|should|may|can)\s*(?:not|n't)\s+"
                r"(?:appear|be used|be included|be mentioned|show up)"]
        ws: list[str] = []
        for pat in pats:
            for m in re.finditer(pat, p, re.I):
                if LETTERS.match(m.group(1).strip()):
                    continue  # "without using the letters a or b": letters, not words
                said = re.split(r"\s+[—–-]\s*|\s*—\s*|,?\s+(?:but|instead|rather)\b", m.group(1), flags=re.I)[0]
                if list_scoped(said + p[m.end():]) or LIMITED.match(p, m.end()) or LIMITED.match(said):
                    continue  # "... 'volunteer' in the subject line": one part's; "'miss' more than once": a count
                run = quoted_run(p[m.start(1):]) if re.match(r"\s*[\"'“‘]", m.group(1)) else []
                items = [w for w in (run or _split_list(said)) if w.lower() not in NOT_WORDS]  # "— say 'tap' instead"
                ws += items
        return [cls(list(dict.fromkeys(ws)))] if ws else []

    def check(self, text):
        found = []
        for w in self.words:
            m = re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.I)
            if m:
                found.append((w, m.start()))
        if found:
            return [self.finding("Forbidden word(s) used: " + ", ".join(f"'{w}' at char {i}" for w, i in found) + ".",
                                 f"char {found[0][1]}")]
        return []

    def instruction(self):
        return "Do not use these words at all: " + ", ".join(self.words) + "."

    def forbids_within(self):
        return True

    def decoding(self):
        # the mask covers a word's one-token forms; the limit (counted while writing: irg/engine/counting.py) every
        # other split of it, in any case, also glued to the next word ("FleaFlea")
        return DecodingConstraints(banned_words=list(self.words), limits=[{"word": w, "n": 0} for w in self.words])


REPEAT_REFUSED = re.compile(r"\b(?:do not|don't|dont|never|avoid|try not to)\s+(?:repeat|repeating|reuse|reusing)\s+"
                            r"(?:the\s+)?(?:word|term)\s+([\"'“‘][\w'-]+[\"'”’])", re.I)


@register
@dataclass
class KeywordFrequency(CountConstraint):
    kind: ClassVar[str] = "keyword_frequency"
    asked_for, multi, covered_by = "a word to use a number of times", True, ("include_keywords",)
    word: str = ""
    rel: str = "at_least"
    n: int = 1

    @classmethod
    def extract(cls, p):
        out = []
        p = re.sub(r"\ba couple (?:of )?times\b", "2 times", p, flags=re.I)  # "more than a couple of times"
        pat = (r"(?:\b(?:the )?(?:word|keyword|term)\s+|\b(?:use|say|write|mention)\s+(?=[\"'“‘]))"
               r"([\"'“‘]?[\w'-]+[\"'”’]?)[^.\n]{0,40}?(?:" + _REL + r"\s+)?(\d+)\s+times")
        for m in re.finditer(pat, p, re.I):
            if m.group(1).lower().strip("\"'“”‘’") in NOT_A_WORD:
                continue  # "the letter e 3 times"; "no word may be used more than once": a modal, not a word to use
            if re.search(r"\b(?:no|each|every|any|a|one|single)\s+$", p[max(0, m.start() - 12):m.start()], re.I):
                continue  # "no word ... more than once", "each word ... twice": a rule over all words, not a keyword
            if not m.group("rel") and refused_at(p, m.start()):
                if int(m.group(3)) >= 2:  # "don't use 'blue' twice": fewer than that
                    out.append(cls(_clean_phrase(m.group(1)), "less_than", int(m.group(3))))
                continue  # "don't use the word 'blue' even once": a ban (ForbiddenWords), no count to meet
            rel = rel_of(m, p) if m.group("rel") else "exactly"
            out.append(cls(_clean_phrase(m.group(1)), rel, int(m.group(3))))
        for m in REPEAT_REFUSED.finditer(p):  # "don't repeat the word 'amazing'": once at most
            if (w := _clean_phrase(m.group(1))) and not any(c.word.lower() == w.lower() for c in out):
                out.append(cls(w, "at_most", 1))
        return out

    def count(self, text):
        return len(re.findall(rf"(?<!\w){re.escape(self.word)}(?!\w)", text, re.I))

    def counted(self, count):
        return f"'{self.word}' appears {count} times"

    def instruction(self):
        return f"Use the word '{self.word}' {_REL_TEXT[self.rel]} {self.n} times."

    def decoding(self):
        if self.rel in ("at_most", "less_than") and self.word.strip():  # counted while the model writes
            return DecodingConstraints(limits=[{"word": self.word, "n": max(0, self.n - (self.rel == "less_than"))}])
        return None

    def openings(self, text):  # one sentence per missing occurrence, opened with the word
        w = opener(self.word)
        return [Opening(w, f"filled: opened a sentence with '{w}'")] * min(self.shortfall(text), MAX_OPENINGS)

    def required_texts(self):  # the word as often as it must appear: 3 × "elephant" holds 6 e's, not 2
        times = self.n + (self.rel == "more_than")
        return [([" ".join([self.word] * min(times, 50))], False)] \
            if self.rel in ("at_least", "exactly", "more_than") and times > 0 else []


# The answer asked as one part: "Write a paragraph that starts with …" (not "Write 3 paragraphs", nor "… a paragraph
# that starts with X, then another")
ONE_PART_ASKED = re.compile(r"\b(?:write|compose|draft|give me|i need)\s+(?:me\s+)?(?:a|one)\s+(?:[\w-]+\s+)?"
                            r"(?:paragraph|sentence|line)\s+(?:that|which)\s*$", re.I)
MORE_PARTS = re.compile(r"\b(?:paragraphs|sentences|lines)\b|\b(?:another|second|then)\b", re.I)


@register
@dataclass
class StartPhrase(Constraint):
    kind: ClassVar[str] = "start_phrase"
    asked_for, covered_by, around_body = "a start phrase", ("repeat_request",), True
    phrase: str = ""

    @classmethod
    def extract(cls, p):
        pats = [rf"\b(?:start|begin|open)\w*\s+{WHOLE_TEXT}with\s+(?:the\s+)?(?:exact\s+|exactly\s+|following\s+)*"
                r"(?:(?:word|phrase|sentence|words|line)s?\s*:?\s*)?",
                r"\bthe\s+(?:very\s+)?first\s+(?:word|words|sentence|line|phrase)\s+of\s+(?:your|the)\s+(?:\w+\s+)?"
                r"(?:response|answer|reply|email|letter|story|poem|text)\s+"
                r"(?:should|must|has to|needs to|will)\s+be\s*:?\s*",
                # "The first word must be Goodbye.": a word named in quotes or with a capital (not "a verb")
                r"(?:^|(?<=[.!?]\s))\s*the\s+(?:very\s+)?first\s+word\s+(?:should|must|has to|needs to|will)\s+"
                r"be\s*:?\s*(?=[\"'“‘]|(?!(?:A|An|The)\b)[A-Z][a-z]+\b)"]
        for pat in pats:
            for m in re.finditer(pat, p, re.I):
                before = p[max(0, m.start() - 40):m.start()]
                if ONE_PART_ASKED.search(re.split(r"[.!?\n]", before)[-1]) and not MORE_PARTS.search(p):
                    pass  # "Write a paragraph that starts with 'In 1969'.": the one paragraph asked is the answer
                elif re.search(r"\beach\b|\bevery\b|"
                             r"\b(?:second|third|fourth|fifth|last|next|\d+(?:nd|rd|th))\b(?:\s+\w+){0,3}\s*$|"
                             r"\b(?:a|an|another)\s+(?:\w+\s+)?(?:line|sentence|paragraph|section|bullet|item|row)\s+"
                             r"(?:that|which)\s*$",
                             re.split(r"[.!?\n]", before)[-1], re.I):
                    # "each section starting with …", "the second one must begin with …": not the answer's start
                    continue
                if PART_EDGE.search(re.split(r"[.!?\n](?=\s+[A-Z])|\n", before)[-1]) or re.match(
                        r"(?:an?|some)\s+(?:[\w-]+\s+){1,3}?(?:like|such as|for example|for instance|e\.g\.)\W",
                        p[m.end():], re.I):
                    continue  # "add a P.S. that starts with …", "start with a greeting like 'Hi'": not the answer's
                if negated_before(p, m.start()) \
                        or (re.search(r"paragraph\w*\s+(?:\w+\s+){0,3}$|paragraph \d+\s+\w*\s*$", before, re.I)
                            and not (ONE_PART_ASKED.search(before) and not MORE_PARTS.search(p))) \
                        or re.match(r"\w+\s+(?:the\s+)?(?:\w+\s+)?paragraph", p[m.start():], re.I) \
                        or re.search(r"\beach\s+(?:section|paragraph|bullet|line)", p[m.start():m.end() + 20], re.I):
                    continue  # "the 2nd paragraph must start with …", "begin each section with …": other constraints
                raw = p[m.end():]
                if ONE_OF_TWO.match(raw):
                    continue  # 'Start your answer with "Yes" or "No"': one of two, neither required
                if _QUOTED.match(raw):
                    phrase = _quoted_or_word(raw)
                elif re.search(r"(?:word|phrase|sentence|words|line)s?\s*:?\s*$|be\s*:?\s*$", m.group(0), re.I):
                    phrase = re.split(r"[.;!?\n](?:\s|$)", raw.strip())[0].strip() \
                        if not re.search(r"words?\s*$", m.group(0), re.I) \
                        else re.split(r"[.;!?\n,](?:\s|$)", raw.strip())[0].strip()
                    if re.search(r"\bword\s*:?\s*$", m.group(0), re.I) or re.search(r"first word", m.group(0), re.I):
                        phrase = (phrase.split() or [""])[0].strip(".,;:!?")
                else:
                    continue  # "start with a question": not a literal
                if phrase:
                    return [cls(phrase)]
        return []

    def check(self, text):
        if not text.strip().lower().startswith(self.phrase.lower()):
            return [self.finding(f"The answer does not start with '{self.phrase}'.", "start")]
        return []

    def instruction(self):
        return f"Start the answer with exactly: {self.phrase}"

    def required_texts(self):
        return [([self.phrase], False)]

    def decoding(self):
        return DecodingConstraints(forced_prefix=self.phrase)


@register
@dataclass
class EndPhrase(Constraint):
    kind: ClassVar[str] = "end_phrase"
    asked_for, around_body = "an end phrase", True
    phrase: str = ""

    @classmethod
    def extract(cls, p):
        end = r"(?:end|finish|conclude|close|wrap up|sign(?:ing)? off)\w*"  # "sign off with 'Cheers, Maya'"
        lead = (rf"\b{end}\s+{WHOLE_TEXT}with\s+(?:the\s+|this\s+|these\s+)?"
                r"(?:exact\s+|exactly\s+|following\s+|same\s+)*(?:phrase|sentence|words?|line)?\s*:?\s*"
                r"|\bsign\s+(?:it|off)\s+(?:exactly\s+)?(?:like this|as follows)\s*:?\s*"  # "sign it like this:"
                r"|\b(?:the\s+)?(?:very\s+end|last\s+(?:sentence|line|words?|part)|final\s+(?:sentence|line|words?))\s+of\s+"
                r"(?:your|the)\s+(?:\w+\s+)?(?:response|answer|reply|email|letter|story|essay|poem|message)\s+"
                r"(?:should|must|has to|needs to|will)\s+"
                r"(?:read|be|say)(?:\s+exactly)?\s*:?\s*")
        for m in re.finditer(lead, p, re.I):
            if negated_before(p, m.start()):
                continue
            raw = p[m.end():]
            if ONE_OF_TWO.match(raw) or m.group(0).lower().startswith("sign") and not _QUOTED.match(raw):
                continue  # "End with 'Thanks' or 'Cheers'": one of two; "sign it like this:\nBest,\nTom": lines
            if _QUOTED.match(raw):
                phrase = _quoted_or_word(raw)
            elif re.search(r"(?:phrase|sentence|words?|line)\s*:?\s*$", m.group(0), re.I) \
                    or m.group(0).rstrip().endswith(":"):
                # unquoted, after "phrase:" — up to the sentence end
                phrase = re.split(r"\.\s|\n", raw.strip())[0].rstrip(".")
            else:
                continue  # "end with a question": not a literal phrase
            phrase = phrase.strip()
            if phrase:
                return [cls(phrase)]
        return []

    def check(self, text):
        def norm(s):
            return re.sub(r"\s+", " ", s.strip().lower()).rstrip(" .!?\"'")
        if not norm(text).endswith(norm(self.phrase)):
            return [self.finding(f"The answer does not end with '{self.phrase}'.", "end")]
        return []

    def instruction(self):
        return f"End the answer with exactly this phrase, with nothing after it: {self.phrase}"

    def required_texts(self):
        return [([self.phrase], False)]

    def decoding(self):
        return DecodingConstraints(stop_strings=[self.phrase])


# "My request: give me tips …", "then answer: Explain why bread goes stale. Keep it short.": the request is the
# sentence after the label (the instructions after it are not part of it)
_LABELLED = re.compile(r"\b(?:(?:my|the|this)\s+(?:request|question|prompt|query)(?:\s+is)?|then\s+answer(?:\s+it)?)"
                       r"\s*:\s*(.+?[.!?])(?=\s|$)", re.I)


def labelled_request(prompt: str) -> str | None:
    """The request a prompt labels ("My request: …", "then answer: …"), or None."""
    m = _LABELLED.search(prompt)
    return " ".join(m.group(1).split()) if m else None


@register
@dataclass
class RepeatRequest(Constraint):
    kind: ClassVar[str] = "repeat_request"
    covered_by, around_body = ("start_phrase",), True
    request: str = ""

    @classmethod
    def extract(cls, p):
        m = re.search(r"(?:first\s+)?(?:repeat(?:ing)?|copy(?:ing)?|restat(?:e|ing)|echo(?:ing)?)\s+(?:back\s+)?"
                      r"(?:the|this|my|our)\s+"
                      r"(?:whole\s+|exact\s+|entire\s+|following\s+|above\s+)?"
                      r"(?:request|question|prompt|sentence|message|instruction|line|query)"
                      r"[^.\n]*(?:\([^)]*\))?[^.\n]*\.?", p, re.I)
        if not m or negated_before(p, m.start()):
            return []
        said = quoted(m.group(0))
        if said and re.search(r"\bsentence|\bline", m.group(0), re.I):
            return [cls(said[0])]  # "repeat the sentence 'X' exactly, then …": X is what is repeated
        request = labelled_request(p) or (p[:m.start()] + p[m.end():]).strip()
        return [cls(request)] if request else []

    def check(self, text):
        if not re.sub(r"\s+", " ", text.strip().lower()).startswith(re.sub(r"\s+", " ", self.request.lower())):
            return [self.finding("The answer does not start by repeating the request word for word.", "start")]
        return []

    def instruction(self):
        return "First repeat the request word for word, then give your answer."

    def required_texts(self):
        return [([self.request], False)]

    def decoding(self):
        return DecodingConstraints(forced_prefix=self.request + "\n")
