"""Typed value readers: the values of an instruction whose kind is already known (the detector's guess).

`read_values(kind, clause, prompt)` returns the constraints the clause states, or a `Missing` saying which value could
not be read (then the run shows a notice: never a guess), or [] when the clause holds nothing of that kind after all
(e.g. "don't answer in JSON"). The readers are generic: a count with its relation before or after the noun
("at least 400 words", "400 or more words", "words: 400 max", "keep the word count under 400", "limit paragraphs to
fewer than four"), quoted / bold / italic spans, the word after "word"/"keyword"/"letter", language names, options.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from irg.engine.constraints.base import Constraint, type_of
from irg.engine.constraints.content import BAN_SAID, LIMITED, NOT_WORDS, REPEAT_REFUSED
from irg.engine.constraints.edges import inner_opening, labelled_request
from irg.engine.constraints.language import ALIASES, LANGUAGES, NATIVE
from irg.engine.constraints.case import case_refused, scoped_to_part
from irg.engine.constraints.characters import EDGE_BAN, EXCEPT
from irg.engine.constraints.format import PART_QUOTED
from irg.engine.constraints.length import (EACH_AFTER, EACH_PART, EACH_REL, NAMED_PART, ORDINALS, PARTS_REFUSED_SAID,
                                            REMADE_PART, section_marker, stars_separator)
from irg.engine.constraints.perpart import LABEL_PART, NO_PART, PARTS_SUBJECT, QUOTING, THIRD_PARTY, bound_start
from irg.engine.constraints.scope import EXAMPLE_AFTER, EXAMPLE_BEFORE, PART_EDGE, SUGGESTED, list_scoped, part_scoped
from irg.engine.constraints.readers import Unread, read_counts, spans, word_after, word_list
from irg.engine.constraints.text import (_REL, EDGE_OF, ONE_OF_TWO, about_not_asked, more_after, normalize_numbers,
                                         quoted, quoted_run, refused_at)
from irg.engine.registry import CONSTRAINT_TYPES


@dataclass
class Missing:
    """The detector is sure of the kind, a value could not be read."""
    kind: str
    what: str  # "the number", "the word", …

    def notice(self, clause: str) -> str:
        asked_for = type_of(self.kind).asked_for or self.kind
        return f"Asked for {asked_for} but {self.what} could not be read: '{_short(clause)}'."


@dataclass
class PerPart:
    """The clause limits each part ("each bullet under 20 words"), which no type holds: listed as not checked."""


def _short(s: str, n: int = 90) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[:n] + "…"


# ---- the value readers, one per kind ---------------------------------------------------------------------------------
# A counted kind's nouns and relations are its type's own (`noun`, `default_rel`, `fixed_rel`: constraints/base.py).
def _count_kind(kind: str, clause: str) -> list[Constraint] | Missing | PerPart:
    if (total := _total_count(clause, type_of(kind).noun)) and not NAMED_PART.search(_before_number(clause)):
        clause = total  # "each paragraph 2 sentences, 8 sentences total": 8 (not "The dialogue: 6 sentences in total")
    if EACH_REL.search(clause):  # "each under 6 words": each part's; "…, total at least 50 words": the total is read
        if not (total := re.search(r"\b(?:total|overall|in all|altogether|whole)\b.*", clause, re.I)):
            return PerPart()
        clause = total.group(0)
    # "max 10 words each", "5 bullets per slide"
    after = any(m["noun"][:4] == kind[:4] for m in EACH_AFTER.finditer(normalize_numbers(clause)))
    if kind in ("word_count", "sentence_count", "paragraph_count") and (EACH_PART.search(clause) or after
                                                                        or PARTS_REFUSED_SAID.search(clause)
                                                                        or REMADE_PART.search(clause)
                                                                        or NAMED_PART.search(_before_number(clause))
                                                                        or LABEL_PART.search(_before_number(clause))
                                                                        or THIRD_PARTY.search(_before_number(clause))
                                                                        or _parts_said(clause)):
        return PerPart()
    if kind == "bullet_count" and (after or EACH_PART.search(_before_number(clause))):  # "max 5 per slide"
        return PerPart()
    if kind == "paragraph_count" and (shown := _template_count(clause)):
        return [CONSTRAINT_TYPES.get(kind)(shown, "***" if stars_separator(clause) else "")]
    cls = type_of(kind)
    got = read_counts(clause, cls.noun, cls.default_rel)
    if got is None:
        if cls.fixed_rel == "at_least" and re.search(r"\b(?:some|a few|a|an|one)\b", clause, re.I):
            return [CONSTRAINT_TYPES.get(kind)(1)]  # "highlight some key words": at least one
        return Missing(kind, "the number")
    if isinstance(got, Unread):
        return Missing(kind, got.what)
    rel, n = got[0]
    if cls.fixed_rel == "at_least":  # the type holds "at least n" only
        return ([CONSTRAINT_TYPES.get(kind)(n + (rel == "more_than"))] if rel in ("at_least", "more_than", "exactly")
                else [])
    if kind == "paragraph_count":  # "a minimum of five paragraphs": a relation of its own (issue 38)
        return [CONSTRAINT_TYPES.get(kind)(v, "***" if stars_separator(clause) else "", r) for r, v in got[:1]]
    if cls.fixed_rel == "exactly":  # ... and these an exact number only
        if rel != "exactly":
            return Missing(kind, f"an exact number ('{rel.replace('_', ' ')} {n}' is not one)")
        return [CONSTRAINT_TYPES.get(kind)(n, section_marker(clause) or "SECTION")]
    return [CONSTRAINT_TYPES.get(kind)(r, v) for r, v in got]


_TOTAL = r"(?:in\s+)?(?:total|overall|altogether|all\s+told|in\s+all)\b"


def _total_count(clause: str, noun: str) -> str | None:
    """The count said of the whole beside counts of its parts: "8 sentences total", "a total of 8 sentences",
    "overall: at most 300 words" -> the words of that count alone."""
    t = normalize_numbers(clause)
    count = rf"((?:{_REL}\s+)?\d+\s+(?:{noun}))"
    m = re.search(count + rf"\s+{_TOTAL}", t, re.I) or re.search(rf"\b(?:a\s+)?total\s+of\s+{count}", t, re.I) \
        or re.search(rf"\b(?:total|overall)\s*[:,-]?\s*{count}", t, re.I)
    each = list(EACH_PART.finditer(t[:m.start()])) if m else []
    if each and not re.search(r"\d", t[each[-1].end():m.start()]):
        return None  # "Each paragraph should be 3 sentences total": each one's total
    return m.group(1) if m else None


def _parts_said(clause: str) -> bool:
    """"Sentences should not exceed 20 words", "No answer…" aside, "Any quote you use must be under 25 words": the
    parts are the subject of the first count (perpart.py, as the patterns read it)."""
    t = normalize_numbers(clause)
    num = re.search(r"\d", t)
    if not num:
        return False
    at = bound_start(t, num.start())
    before = re.split(r"[.;:!?\n]", t[max(0, at - 40):at])[-1]
    return bool(NO_PART.search(before) or PARTS_SUBJECT.search(before) or QUOTING.search(before))


def _before_number(clause: str) -> str:
    """The clause up to its first number: the subject of a count ("Subject line under 8 words" -> "Subject line
    under ")."""
    return re.split(r"\d", normalize_numbers(clause).strip(), maxsplit=1)[0]


def _template_count(clause: str) -> int | None:
    """Paragraphs shown as a template: "Part 1 … *** Part 2 … *** Part 3" or "P1 *** P2": how many parts it shows."""
    stars = len(re.findall(r"(?<!\*)\*\*\*(?!\*)", clause))
    nums = [int(x) for x in re.findall(r"\b(?:part|paragraph|para|section|p)\s*(\d+)\b", clause, re.I)]
    if len(nums) >= 2 and sorted(nums) == list(range(1, max(nums) + 1)):
        return max(nums)
    return stars + 1 if stars >= 2 else None


def _letter(kind: str, clause: str) -> list[Constraint] | Missing:
    m = (re.search(r"\bletter\s+[\"'“‘*]?([A-Za-z])[\"'”’*]?(?![\w'])", clause)
         or re.search(r"[\"'“‘]([A-Za-z])[\"'”’]\s*(?:letters?|characters?|s\b)?", clause)
         or re.search(r"(?<![\w'])([A-Za-z])['’]?s?\s+(?:letters?|characters?)\b", clause))
    if not m:
        return Missing(kind, "the letter")
    got = read_counts(clause, r"times?|x|instances?|occurrences?|appearances?|" + m.group(1) + r"'?s?", None,
                      gap=r"(?:[\w'-]+\s+){0,2}?")
    if not isinstance(got, list):
        return Missing(kind, "the number of times")
    return [CONSTRAINT_TYPES.get(kind)(m.group(1).lower(), r, n) for r, n in got]


def _keyword_frequency(kind: str, clause: str) -> list[Constraint] | Missing:
    sp = spans(clause)
    w = sp[0] if sp else word_after(clause)
    if not w:
        return Missing(kind, "the word")
    got = read_counts(clause, r"times?|x|instances?|occurrences?|appearances?|mentions?", None,
                      gap=r"(?:[\w'-]+\s+){0,2}?")
    if not isinstance(got, list):
        return Missing(kind, "the number of times")
    return [CONSTRAINT_TYPES.get(kind)(w, r, n) for r, n in got]


def _capital_words(kind: str, clause: str) -> list[Constraint] | Missing:
    if not re.search(r"caps|capital|upper|block letters", clause, re.I) or re.search(r"lower[\s-]?case", clause, re.I) \
            or re.search(r"\b(?:instead of|rather than|not|never|without|no)\s+(?:using\s+|in\s+)?(?:all\s+)?"
                         r"(?:caps|capitals|capital letters|upper[\s-]?case)\b", clause, re.I):
        return []  # "emphasise 3 words with asterisks instead of using caps"
    got = read_counts(clause, type_of(kind).noun, None)
    if not isinstance(got, list):
        return []  # no number: "in all caps" is uppercase, a different kind
    return [CONSTRAINT_TYPES.get(kind)(r, n) for r, n in got]


def _after_lead(clause: str, lead: str) -> str:
    """The clause after the last lead word ("mention the words X and Y" -> "X and Y")."""
    ms = list(re.finditer(lead, clause, re.I))
    return clause[ms[-1].end():] if ms else ""


def _keywords(kind: str, clause: str) -> list[Constraint] | Missing | PerPart:
    if kind == "forbidden_words" and not BAN_SAID.search(clause):
        return []
    if kind == "forbidden_words" and (LIMITED.search(normalize_numbers(clause)) or REPEAT_REFUSED.search(clause)):
        return []  # "avoid the word 'basically' more than once", "don't repeat 'amazing'": a count, not a ban
    if kind == "forbidden_words" and list_scoped(_after_lead(clause, r"\b(?:us\w*|say\w*|mention\w*|includ\w*|writ\w*)"
                                                                     r"\s*:?\s*")):
        return PerPart()  # "don't use the word 'very' in the title": one part's ban, listed as not checked
    if kind == "include_keywords":
        rest = _after_lead(clause, r"\b(?:key\s?words?|words?|terms?|phrases?|hashtags?|mention\w*|includ\w*|use|using|"
                                   r"contain\w*|featur\w*)\s*:?\s*")
    else:
        rest = _after_lead(clause, r"\b(?:key\s?words?|words?|terms?|phrases?|"
                                   r"us\w*|say\w*|mention\w*|includ\w*|writ\w*)\s*:?\s*")
    ws = spans(clause) or word_list(rest)
    ws = [w for w in ws
          if w.lower() not in NOT_WORDS and not re.fullmatch(r"(?:the|a|an|any|these|following|words?)", w, re.I)]
    if not ws:
        return Missing(kind, "the words")
    return [CONSTRAINT_TYPES.get(kind)(list(dict.fromkeys(ws)))]


def _phrase(kind: str, clause: str, prompt: str) -> list[Constraint] | Missing | PerPart:
    if re.search(r"\beach\b|\bevery\b", clause, re.I) or (
            kind == "end_phrase" and re.match(r"\W*(?:the|your)\s+(?:last|final)\b", clause, re.I)
            and re.search(r"\b(?:then|followed by|after that)\b", prompt[:max(prompt.find(clause), 0)], re.I)):
        return PerPart()  # "each section starting with 'Day'"; "a poem and then … The last line should be": a part's
    ords = "|".join(k for k in ORDINALS if k not in ("first", "last"))
    if kind == "start_phrase" and re.search(rf"\b(?:{ords})\b|\b\d+(?:nd|rd|th)\b", clause, re.I):
        return _first_word("paragraph_first_word", clause, prompt)  # "the second one must begin with 'X'"
    verb = (r"\b(?:start|begin|open|first)\w*" if kind == "start_phrase"
            else r"\b(?:end|finish|conclud|clos|last|final|sign)\w*")
    v = re.search(verb, clause, re.I)
    if v is None and re.search(r"\b(?:start|begin|open|end|finish|conclud|clos|sign)\w*", clause, re.I):
        return []  # "Sign off with 'Thanks, Dana'" taken for an opening: the other edge, read by its own kind
    if v and kind == "start_phrase" and inner_opening(*((prompt, prompt.find(clause) + v.start()) if clause in prompt
                                                         else (clause, v.start()))):
        return PerPart()  # "…, and write one line that begins with 'Remember'": a line inside the poem, not its opening
    if v and SUGGESTED.search(clause[:v.start()]):
        return []  # "You could open with a greeting such as 'Hi team'": a suggestion, no rule
    if v and (refused_at(clause, v.start()) or PART_EDGE.search(clause[:v.start()])):
        return []  # "Don't open with 'Dear Sir or Madam'", "a note starting with 'Note:'": not the answer's edge
    if v and v.group(0).lower() == "first" and ONE_OF_TWO.search(clause[:v.start()]):
        return []  # "Answer with 'yes' or 'no' first": one of two, neither required
    if v and ONE_OF_TWO.match(re.sub(r"^\w*\s*(?:\w+\s+){0,2}?(?:with|by|on)\s+(?:the\s+)?(?:words?|phrases?)?\s*:?",
                                     "", clause[v.end():])):
        return []  # 'Start your answer with "Yes" or "No"': one of two, neither required
    sp = spans(clause[v.start():]) if v else []
    said = sp or spans(clause)
    sp = [x for x in said if not EXAMPLE_AFTER.match(clause, clause.find(x) + len(x) + 1)
          and not EXAMPLE_BEFORE.search(clause[:max(0, clause.find(x))])]
    if said and not sp:
        return []  # "begin with a greeting, for example 'Hello friends'": an example, no text to use
    if sp:
        return [CONSTRAINT_TYPES.get(kind)(sp[0])]
    m = re.search(r":\s*(.+)$", clause)
    if m and m.group(1).strip(" .\"'"):
        return [CONSTRAINT_TYPES.get(kind)(m.group(1).strip().strip("\"'“”"))]
    m = re.search(r"\bwith the word\s+([A-Za-z][\w'-]*)", clause, re.I)
    if m:
        return [CONSTRAINT_TYPES.get(kind)(m.group(1))]
    return Missing(kind, "the exact phrase")


def _options(kind: str, clause: str, prompt: str) -> list[Constraint] | Missing:
    if re.search(EDGE_OF + r"(?:\w+\s+)?with\b", clause,
                 re.I):
        return []  # "End your reply with 'Thanks' or 'Cheers'": its ending, not the whole answer
    at = prompt.find(clause)
    rest = prompt[at:] if at >= 0 else clause
    if more_after(rest[first.start():] if (first := re.search("[\"'“‘]", rest)) else rest):
        return []  # "answer 'yes' or 'no' first, then explain": more follows the option
    opts = quoted_run(rest.split("\n\n")[0]) if quoted(clause) else []
    if len(opts) < 2:  # a list on the following lines: "- yes\n- no" or "a) yes"
        lines = rest.split("\n")[1:]
        items = []
        for line in lines:
            m = re.match(r"\s*(?:[-*•]|\(?[a-zA-Z0-9][.)])\s+(.+)", line)
            if not m:
                if items:
                    break
                continue
            items.append(m.group(1).strip().strip("\"'“”"))
        opts = items
    if len(opts) < 2:
        tail = re.split(r":", clause, maxsplit=1)
        if len(tail) == 2:
            opts = [o.strip(" .\"'“”") for o in re.split(r",\s*(?:or\s+)?|\s+or\s+|/|\|", tail[1])
                    if o.strip(" .\"'“”")]
            opts = [o for o in opts if len(o.split()) <= 8]
    if len(opts) < 2:
        return Missing(kind, "the options")
    return [CONSTRAINT_TYPES.get(kind)(list(dict.fromkeys(opts)))]


_LANGUAGE_NAMES = re.compile(r"(?<!\w)(" + "|".join(sorted({*LANGUAGES, *ALIASES, *NATIVE}, key=len, reverse=True))
                             + r")(?!\w)", re.I)


def _language(kind: str, clause: str) -> list[Constraint] | Missing:
    found = [NATIVE.get(m.group(1).lower(), m.group(1).lower()) for m in _LANGUAGE_NAMES.finditer(clause)]
    if not found:
        return Missing(kind, "the language")
    lang = (found[-1] if re.search(r"\b(?:not|no|instead of|rather than)\b", clause, re.I) and len(found) > 1
            else found[0])
    return [CONSTRAINT_TYPES.get(kind)(ALIASES.get(lang, lang))]


def _first_word(kind: str, clause: str, prompt: str) -> list[Constraint] | Missing:
    ords = "|".join(ORDINALS)
    m = re.search(rf"\b({ords})\b|\b(\d+)(?:st|nd|rd|th)\b|\bparagraph\s+(?:number\s+|#\s*)?(\d+)", clause, re.I)
    if not m:
        return Missing(kind, "which paragraph")
    nth = ORDINALS[m.group(1).lower()] if m.group(1) else int(m.group(2) or m.group(3))
    sp = spans(clause)
    w = sp[0] if sp else None
    if not w:
        mm = re.search(r"\b(?:with|word)\s+(?:the\s+)?(?:word\s+)?([A-Za-z][\w'-]*)", clause[m.end():], re.I)
        w = mm.group(1) if mm and mm.group(1).lower() not in ("the", "a", "word") else None
    if not w:
        return Missing(kind, "the first word")
    count = re.search(r"\b(\d+)(?:\s+|-)(?:paragraphs?|paras?)\b", normalize_numbers(prompt), re.I)
    n = int(count.group(1)) if count else 0
    if nth == -1:
        nth = n or 1
    return [CONSTRAINT_TYPES.get(kind)(n, nth, w.split()[0].strip(".,;:!?"))]


NAMED_LETTER = re.compile(r"\s+letter\s+['\"‘“]?[a-z]\b", re.I)
_NEGATED = re.compile(r"\b(?:no need (?:for|to)|don't|do not|dont|never|without|not in|not as|no)\b", re.I)


def _flag(kind: str, clause: str) -> list[Constraint] | PerPart:
    """A type with no values (JSON, quotes, title, two responses, upper/lowercase, no commas): the kind is the
    whole reading, unless the clause says not to ("no need for a title")."""
    if clause.rstrip().endswith("?") or about_not_asked(clause, 0):
        return []  # "Can you explain what JSON is?", "when to use uppercase and lowercase letters": the topic
    if kind == "lowercase" and re.search(r"\b(?:no|not|without|never)\s+(?:any\s+)?lower", clause, re.I):
        return []
    if kind == "uppercase" and case_refused(clause, len(clause) - 1):
        return []  # "I hate all caps": a case disliked or overruled
    if kind in ("lowercase", "uppercase"):  # "put the subject line in ALL CAPS": a part's case, not the answer's
        said = list(re.finditer(r"\b(?:all\s+)?(?:lower[\s-]?case|small letters)\b" if kind == "lowercase" else
                                r"\b(?:all\s+)?(?:caps|capital letters|capitals|upper[\s-]?case)\b", clause, re.I))
        if said and all(scoped_to_part(clause, m.start(), m.end()) or NAMED_LETTER.match(clause, m.end())
                        for m in said):
            return []  # "do not use the lowercase letter 'a'": a letter's case, not the answer's
    if kind not in ("lowercase", "no_commas") and _NEGATED.search(clause) \
            and not re.search(r"\bnothing\b|\bno other\b|\bno text\b", clause, re.I):
        return []
    if kind == "no_commas" and (said := list(re.finditer(r"\bcommas?\b", clause, re.I))) \
            and (all(part_scoped(clause, m.end()) or EXCEPT.match(clause, m.end()) for m in said)
                 or EDGE_BAN.search(clause[:said[0].start()])):
        return PerPart()  # "no comma after the greeting", "no commas, except in the title": not all, not checked
    if kind == "quotation" and (not re.search(r"quot\w*\s+marks?|double\s+quot|\bin\s+quotes\b|\b(?:wrap|enclos|"
                                              r"surround)", clause, re.I) or PART_QUOTED.search(clause)):
        return []  # "start the speech with a quote from a famous person": a citation, not the answer in quotes
    if kind == "postscript":
        return [CONSTRAINT_TYPES.get(kind)("P.P.S" if re.search(r"\bp\.?\s?p\.?\s?s\b", clause, re.I) else "P.S.")]
    return [CONSTRAINT_TYPES.get(kind)()]


def templates(prompt: str) -> list[Constraint]:
    """Structure shown rather than said: numbered markers that run 1..N ("SECTION 1 … SECTION 3", "Day 1 ... Day 7")
    are N sections; "paragraph 1 *** paragraph 2 *** paragraph 3" is 3 paragraphs separated by ***."""
    out: list[Constraint] = []
    found: dict[str, list[int]] = {}
    for m in re.finditer(r"(?<![\w'\"])([A-Za-z]{2,12})\s+(\d{1,2})"
                         r"(?=\s*(?:[:.\-–—)\n]|\.\.\.|…|$|,|\s+(?:and|to|through|or)\b))",
                         prompt):
        found.setdefault(m.group(1), []).append(int(m.group(2)))
    for word, nums in found.items():
        if word.lower() in _NOT_MARKERS or len(set(nums)) < 2 or min(nums) != 1:
            continue
        last = list(re.finditer(rf"\b{word}\s+{max(nums)}\b", prompt))[-1]
        first = re.search(rf"\b{word}\s+1\b", prompt)
        if re.match(r"\s*(?:\.\.\.|…|,?\s*etc)", prompt[last.end():]) and max(nums) <= 2 \
                or re.search(r"(?:for example|e\.g\.|such as|like)\W*$",
                             prompt[max(0, first.start() - 16):first.start()], re.I):
            continue  # "for example Day 1, Day 2", "(Chapter 1, Chapter 2...)": an example of the marker, not the count
        n = max(nums)
        if word.lower() in ("paragraph", "para", "p"):
            out.append(CONSTRAINT_TYPES.get("paragraph_count")(n, "***" if stars_separator(prompt) else ""))
        else:
            out.append(CONSTRAINT_TYPES.get("sections")(n, word))
        break
    return out


_NOT_MARKERS = {"at", "least", "most", "exactly", "than", "of", "with", "in", "to", "the", "and", "or", "under", "over",
                "about", "for", "only", "just", "max", "minimum", "maximum", "like", "as", "number", "no"}


def read_values(kind: str, clause: str, prompt: str) -> list[Constraint] | Missing | PerPart:
    """The constraints of `kind` this clause states (see the module docstring)."""
    if type_of(kind).noun and kind != "capital_word_frequency":
        return _count_kind(kind, clause)
    if kind == "capital_word_frequency":
        return _capital_words(kind, clause)
    if kind == "letter_frequency":
        return _letter(kind, clause)
    if kind == "keyword_frequency":
        return _keyword_frequency(kind, clause)
    if kind in ("include_keywords", "forbidden_words"):
        return _keywords(kind, clause)
    if kind in ("start_phrase", "end_phrase"):
        return _phrase(kind, clause, prompt)
    if kind == "choose_from":
        return _options(kind, clause, prompt)
    if kind == "language":
        return _language(kind, clause)
    if kind == "paragraph_first_word":
        return _first_word(kind, clause, prompt)
    if kind == "repeat_request":
        request = labelled_request(prompt) or prompt.replace(clause, " ").strip()
        return ([CONSTRAINT_TYPES.get(kind)(" ".join(request.split()))] if request
                else Missing(kind, "the request to repeat"))
    if kind in CONSTRAINT_TYPES and kind != "final_answer":
        return _flag(kind, clause)
    return []
