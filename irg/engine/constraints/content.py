"""Content: keywords to include, words to avoid, a word's frequency (start and end phrases and the repeated request:
edges.py; "answer with one of": choices.py)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

from irg.engine.constraints.base import MAX_OPENINGS, Constraint, CountConstraint, Opening, register
from irg.engine.constraints.readers import NOT_A_WORD
from irg.engine.constraints.scope import list_scoped
from irg.engine.constraints.text import (_QUOTED, _REL, _REL_TEXT, QUOTED_TEXT,
                                         _clean_phrase, _counted, _split_list, negated_before, opener,
                                         quoted, quoted_run, refused_at, rel_of)
from irg.engine.decoding import DecodingConstraints


# a text shown as an example, not to use: "Use the slogan 'Think Big' as inspiration", "the name 'Biscuit' or something
# similar"
EXAMPLE_AFTER_TEXT = re.compile(r'\s*(?:""\s*(?:,\s*|or\s+|and\s+)?)+[,(]?\s*(?:as\s+(?:an?\s+)?(?:inspiration|'
                                r'example|guide|model|starting point|template|reference)|or\s+(?:something|anything)\s+'
                                r'(?:similar|like)|for example|e\.g\.|for instance|or similar|'
                                r'but (?:write|make|use) your own)', re.I)


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
                             r"(?:(?:\s*,\s*(?:and|or|as well as)\s+|\s*,\s*|\s+(?:or|and|as well as)\s+)"
                             r"(?:(?:my|our|the|his|her|their)\s+(?:[\w'’]+\s+){0,2}?(?:name|word|phrase|term|slogan|"
                             r"hashtag)\s+)?)?)+)", p, re.I):  # "…, and 'cash only'", "my dog's name 'Biscuit'"
            if not negated_before(p, m.start(), 25) and not _counted(p[m.end():m.end() + 30]):
                kws += quoted(m.group(1))
        # "put the word 'gains' in there somewhere", "write 'sick leave' in it": a word to use
        for m in re.finditer(r"\b(?:put|write|work|throw|slip|fit|drop|get)\s+"
                             r"(?:the\s+(?:word|phrase|term|hashtag)\s+)?"
                             r"((?:\"[^\"\n]+\"|“[^”\n]+”|['‘](?:[^'’\n]|['’](?=\w))+['’]))\s+(?:in\s+(?:there|it|here|somewhere)\b|into\s+it\b|"
                             r"somewhere\b|in\s+(?:the|your)\s+(?:answer|response|text|message|post|caption|email|letter|"
                             r"speech|story|note|poem)\b)", p, re.I):
            if not negated_before(p, m.start(), 25) and not re.search(
                    r"\b(?:you|i|we|they|he|she)\s+(?:could\s+|can\s+|might\s+|may\s+)?$|\byou\s+\w+\s+$|"
                    r"\b(?:last time|before)\b[^.!?]*$", p[max(0, m.start() - 40):m.start()], re.I) \
                    and not re.search(r"\bif you (?:want|like)\b", p[m.end():m.end() + 30], re.I):
                kws += quoted(m.group(1))  # (not "You could put 'gains' in there if you want", "Last time you put")
        # 'Include the exact sentence: "…"', 'contain this line verbatim: "…"', 'the address exactly as "…"': a quote
        for m in re.finditer(QUOTED_TEXT, p, re.I):
            said = re.split(r"[.!?\n]\s", p[:m.start()])[-1]  # "Under no circumstances should you include …"
            refused = re.search(r"n't\b|\b(?:no|not|never|forbidden|prohibited|banned|avoid|without|refrain)\b", said,
                                re.I)
            after = _QUOTED.sub('""', p[m.end():].split("\n")[0])
            if not refused and not _counted(p[m.end():m.end() + 80]) and not EXAMPLE_AFTER_TEXT.match(after, 0) \
                    and not re.match(r'\s*""\s*,?\s*(?:or|and/or)\s+""', after):  # "'Vex' or 'Malek'": options
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


# What a ban says somewhere in its clause: a word is read as banned only where one is ("Include the word
# 'wonderful'" is never a ban, whatever the classifier thinks of it).
BAN_SAID = re.compile(r"n't\b|\b(?:no|not|never|dont|avoid\w*|without|ban\w*|forbid\w*|prohibit\w*|exclud\w*|"
                      r"leave\s+out|out of|refrain|free of|skip|omit\w*|steer clear|off[- ]limits|instead of|zero|"
                      r"nothing|none|nor|taboo|unwanted|disallow\w*|drop|remove|stay\s+away|eliminat\w*|absent|ditch|"
                      r"scrap|get\s+rid|cut\s+out|strike)\b", re.I)


# What "avoid …"/"without using …" names that is not a word to ban (other constraints read these)
NOT_WORDS = {"commas", "comma", "capital letters", "capitals", "caps", "uppercase", "lowercase", "punctuation",
             "any commas", "a single comma", "markdown", "bullet points", "bullets", "numbers", "emojis"}


# "without using the letter e" bans a letter, not the word "letter e" (the program reader reads it: compose/named.py)
LETTERS = re.compile(r"(?:the\s+|any\s+)?(?:letters?|characters?)\s+\S", re.I)


# a ban limited by a count is that count (KeywordFrequency): "don't use the word 'miss' more than once"
# "don't use 'blue' twice" (2 times), "more than a couple of times": a count too, below it (one time is a ban)
LIMITED = re.compile(r"(?:\s*[\"'“‘][^\"'”’\n]*[\"'”’]|[\w\s-]{0,30}?)\s*"
                     r"(?:(?:more than|over|above)\s+(?:\d+|a couple(?: of)?)|(?<!\d)(?:[1-9]|\d\d+)\s+or\s+more|"
                     r"(?<!\d)(?:[2-9]|\d\d+))\s+times?\b", re.I)


TOPIC_BEFORE = re.compile(r"\b(?:how|ways?|tips?|advice|learn\w*|help\w*|strategies|steps)\s+(?:\w+\s+){0,2}?to\s+$|"
                          r"\bhow\s+(?:i|we|you|they|people|one)\s+(?:can\s+|could\s+|should\s+)?$", re.I)


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
                r"(?:\s*,\s*(?:or|and)\s+|\s*,\s*|\s+or\s+|\s+and\s+)?)+)",
                # "Avoid 'it's' and 'can't'.", "No 'um' or 'uh' anywhere": quoted words, the clause ends after them
                r"(?:^|(?<=[.!?;:(,\n])|\b(?:and|please|also|but|just)\b(?:[^.!?;\n'\"‘“]{0,30}?\s)?)\s*"
                r"(?:avoid|omit|exclude|leave out|steer clear of|skip|ditch|drop|"
                r"no)\s+(?:(?<!no\s)(?:the\s+)?(?:words?|terms?|phrases?)\s+)?((?:(?:\"[^\"\n]+\"|“[^”\n]+”|"
                r"['‘](?:[^'’\n]|['’](?=\w))+['’])"
                r"(?:\s*,\s*|\s+or\s+|\s+and\s+|\s*,\s*(?:or|and)\s+)?)+)(?=\s*(?:[.;!?\n),]|$|anywhere|at all))",
                r"\bwithout\s+(?:mentioning|saying|using)\s+(?!any\b|a\s+single\b)"
                r"(?:the\s+)?(?:words?\s+)?([\w' -]+?)(?:[.;!?\n,]|$)",
                rf"\b(?:the\s+)?{noun}\s+(.+?)\s+(?:must|should|may|can)\s*(?:not|n't)\s+"
                r"(?:appear|be used|be included|be mentioned|show up)"]
        ws: list[str] = []
        for pat in pats:
            for m in re.finditer(pat, p, re.I):
                if TOPIC_BEFORE.search(p[max(0, m.start() - 30):m.start()]):
                    continue  # "Write tips on how to avoid 'burnout'": the topic, not a ban
                if LETTERS.match(m.group(1).strip()) or re.match(r"(?:in|with)\s+(?:all\s+)?(?:caps|capital|upper)",
                                                                  m.group(1).strip(), re.I):
                    continue  # "without using the letters a or b", "any words in ALL CAPS": not words to ban
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


IN_A_ROW = re.compile(r"\s*(?:in a row|consecutively|back to back|in (?:the same|one|1|a single|any|each|every) "
                      r"(?:sentence|line|paragraph|bullet)|per (?:sentence|line|paragraph|bullet))", re.I)
REPEAT_REFUSED = re.compile(r"\b(?:do not|don't|dont|never|avoid|try not to)\s+(?:repeat|repeating|reuse|reusing)\s+"
                            r"(?:the\s+(?:word|term|phrase)\s+)?(\"[^\"\n]+\"|“[^”\n]+”|['‘](?:[^'’\n]|['’](?=\w))+['’])",
                            re.I)


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
        p = re.sub(r"\bmore than a couple (?:of )?times\b", "more than 2 times", p, flags=re.I)  # (alone: about 2)
        p = re.sub(r"\b(at most|no more than|not more than|up to) a couple (?:of )?times\b", r"\1 2 times", p,
                   flags=re.I)
        p = re.sub(r"\b(\d+)\s*\+\s*times\b", r"\1 or more times", p)  # "3+ times"
        p = re.sub(r"\b(\d+) times or (more|fewer|less)\b", r"\1 or \2 times", p, flags=re.I)  # "three times or more"
        pat = (r"(?:\b(?:the )?(?:word|keyword|term)\s+|\b(?:uses?|says?|writes?|mentions?)\s+(?=[\"'“‘]))"
               r"(\"[^\"\n]+\"|“[^”\n]+”|['‘](?:[^'’\n]|['’](?=\w))+['’]|[\w'-]+)"  # 'you know': the whole phrase
               r"(?:(?!\b(?:and|but|then|while|plus)\b)[^.\n]){0,40}?(?:" + _REL + r"\s+)?(\d+)"
               r"(?:\s+or\s+(?P<orrel>more|fewer|less))?\s+times")
        for m in re.finditer(pat, p, re.I):
            if IN_A_ROW.match(p, m.end()):
                continue  # "twice in a row", "more than once per sentence": a rule on neighbours or parts
            if m.group(1).lower().strip("\"'“”‘’") in NOT_A_WORD:
                continue  # "the letter e 3 times"; "no word may be used more than once": a modal, not a word to use
            if re.search(r"\b(?:no|each|every|any|a|one|single)\s+$", p[max(0, m.start() - 12):m.start()], re.I):
                continue  # "no word ... more than once", "each word ... twice": a rule over all words, not a keyword
            more = (m.group("orrel") or "").lower() == "more"  # "3 or more times", "3 or fewer times"
            if not m.group("rel") and refused_at(p, m.start()):
                if int(m.group(3)) >= 2 and (more or not m.group("orrel")):  # "don't use 'blue' twice": fewer
                    out.append(cls(_clean_phrase(m.group(1)), "less_than", int(m.group(3))))
                continue  # "don't use the word 'blue' even once": a ban (ForbiddenWords), no count to meet
            rel = (rel_of(m, p) if m.group("rel") else "exactly") if not m.group("orrel") \
                else "at_least" if more else "at_most"
            out.append(cls(_clean_phrase(m.group(1)), rel, int(m.group(3))))
        for m in REPEAT_REFUSED.finditer(p):  # "don't repeat the word 'amazing'": once at most
            if IN_A_ROW.match(p, m.end()):
                continue  # "… in the same sentence": neighbours, not the whole answer
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
