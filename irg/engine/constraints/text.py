"""Text utilities shared by the constraint types: numbers written as words, relations ("at least"), words,
sentences, quoted strings, negation and whether a phrase is asked for or only talked about."""
from __future__ import annotations

import re

# ---- numbers written as words ---------------------------------------------------
_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_SCALES = {"hundred": 100, "thousand": 1000}
_NUMWORD = "|".join([*_UNITS, *_TENS, *_SCALES, "a dozen", "dozen", "once", "twice", "thrice"])
_NUMRUN = re.compile(rf"\b(?:{_NUMWORD})(?:[\s-]+(?:and[\s-]+)?(?:{_NUMWORD}))*\b", re.I)


def _words_value(run: str) -> int | None:
    words = [w for w in re.split(r"[\s-]+", run.lower()) if w and w != "and"]
    special = {"once": 1, "twice": 2, "thrice": 3, "dozen": 12}
    if len(words) == 1 and words[0] in special:
        return special[words[0]]
    if words[:2] == ["a", "dozen"]:
        return 12
    total, current = 0, 0
    for w in words:
        if w in _UNITS:
            current += _UNITS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w == "dozen":
            current = max(current, 1) * 12
        elif w == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
    return total + current


def _numbers(run: str, hyphen_after: bool = False) -> list[str]:
    """A run of number words cut into the numbers it says, with the separators between them: "five seven five" is
    three numbers (a haiku's syllables), "one six-word memoir" two; "twenty one" and "three hundred and five" are one.
    A word joins the number before it only where English writes it so: a unit or teen after a tens word or a scale,
    a tens word after a scale, a scale after anything below it, "dozen" after a number or "a". `hyphen_after`: the run
    is bound to the next word by a hyphen ("twenty one-word lines"), so a last word set off by a space is its own."""
    parts = re.split(r"([\s-]+)", run)
    out, prev, after_and = [parts[0]], _kind(parts[0]), False
    for n, (sep, word) in enumerate(zip(parts[1::2], parts[2::2])):
        k, w = _kind(word), word.lower()
        joins = (prev == "tens" and k == "unit") \
            or (prev in ("hundred", "thousand") and k in ("unit", "teen", "tens")) \
            or (k == "hundred" and prev in ("unit", "teen", "tens")) \
            or (k == "thousand" and prev not in ("thousand", None)) \
            or w == "and" or prev == "and" or (k == "dozen" and prev in ("a", "unit", "teen", "tens"))
        if hyphen_after and n == len(parts) // 2 - 1 and not sep.strip("- ") and "-" not in sep:
            joins = False  # "twenty one-word lines": twenty lines of one word
        if joins and k in ("hundred", "thousand") and after_and:  # "one hundred and two hundred": two numbers
            head, _, tail = out[-1].rpartition(" and ")
            out[-1:] = [head, " and ", tail + sep + word]
        elif joins:
            out[-1] += sep + word
        else:
            out += [sep, word]
        after_and = (after_and and joins) or w == "and"
        prev = k
    return out


def _kind(word: str) -> str | None:
    w = word.lower()
    if w in _UNITS:
        return "unit" if _UNITS[w] < 10 else "teen"
    return "tens" if w in _TENS else w if w in ("hundred", "thousand", "and", "a", "dozen") else None


def normalize_numbers(text: str) -> str:
    """'at least three hundred words' -> 'at least 300 words'; 'twice' -> '2 times'."""
    inside = [(q.start(), q.end()) for q in _QUOTED.finditer(text)]
    def sub(m: re.Match) -> str:
        if m.start() and text[m.start() - 1] in "\"'“‘`":  # quoted words are literal: start with the word 'Once'
            return m.group(0)
        if any(a < m.start() < b for a, b in inside):  # ... and so is a whole quoted phrase: 'the next one.'
            return m.group(0)
        if re.search(r"\b(?:word|phrase|term)\s+$", text[max(0, m.start() - 8):m.start()], re.I):
            return m.group(0)  # "with the word Once" names a word, not a number
        run = m.group(0)
        hyphen = bool(re.match(r"-[A-Za-z]", text[m.end():m.end() + 2]))  # "twenty one-word lines"
        if _AND_SPLITS.search(run):  # "between two and four": two numbers, not six ("one hundred and five" is one)
            return "".join(many(p, hyphen) if i % 2 == 0 else p for i, p in enumerate(_AND_SPLITS.split(run)))
        return many(run, hyphen)

    def many(run: str, hyphen: bool) -> str:
        return "".join(one(p) if i % 2 == 0 else p for i, p in enumerate(_numbers(run, hyphen)))

    def one(run: str) -> str:
        v = _words_value(run)
        if v is None:
            return run
        return f"{v} times" if run.lower() in ("once", "twice", "thrice") else str(v)
    return _PLUS.sub(r"at least \1 \2", _NUMRUN.sub(sub, text))


# "600+ words", "3+ paragraphs": at least that many (only of the units a text is counted in)
_PLUS = re.compile(r"\b(\d+)\s?\+\s*(words?|sentences?|paragraphs?|lines?|bullet points?|bullets?|characters?|"
                   r"letters?|syllables?)\b", re.I)


_AND_SPLITS = re.compile(r"((?<!hundred)(?<!thousand)[\s-]+and[\s-]+)", re.I)


# ---- shared helpers --------------------------------------------------------------
_NEG = re.compile(r"\b(not|n't|never|no|without|avoid|refrain|don't|dont|nor)\b", re.I)
_REL = (r"(?P<rel>at or below|at or under|at or above|no greater than|not greater than|no higher than|"
        r"at least|no less than|not less than|no fewer than|not fewer than|"
        r"no shorter than|a minimum of|minimum of|minimum|"
        r"more than|over|greater than|longer than|at most|no more than|not more than|no longer than|not longer than|"
        r"a maximum of|maximum of|maximum|max\.?|min\.?|up to|not exceeding|not to exceed|less than|fewer than|"
        r"shorter than|under|"
        r"below|exceed|exceeding|go over|going over|goes over|go past|goes past|go beyond|goes beyond|surpass|"
        r"exactly|precisely|just)")
_REL_MAP = {
    # "stay at or below 37 characters", "no greater than 20 words": the bound itself is allowed
    "at or below": "at_most", "at or under": "at_most", "at or above": "at_least", "no greater than": "at_most",
    "not greater than": "at_most", "no higher than": "at_most",
    "at least": "at_least", "no less than": "at_least", "not less than": "at_least", "a minimum of": "at_least",
    "no fewer than": "at_least", "not fewer than": "at_least", "no shorter than": "at_least",
    "longer than": "more_than",
    "no longer than": "at_most", "not longer than": "at_most", "shorter than": "less_than",
    "minimum of": "at_least", "minimum": "at_least", "maximum": "at_most", "more than": "more_than",
    "max": "at_most", "max.": "at_most", "min": "at_least", "min.": "at_least",
    "over": "more_than", "greater than": "more_than",
    "at most": "at_most", "no more than": "at_most", "not more than": "at_most", "a maximum of": "at_most",
    "maximum of": "at_most", "up to": "at_most", "not exceeding": "at_most", "not to exceed": "at_most",
    "less than": "less_than", "fewer than": "less_than",
    "under": "less_than", "below": "less_than", "exactly": "exactly", "precisely": "exactly", "just": "exactly",
    # "do not exceed 250 words" (a refusal turns it): said alone, the bound is passed
    "exceed": "more_than", "exceeding": "more_than", "go over": "more_than", "going over": "more_than",
    "goes over": "more_than", "go past": "more_than", "goes past": "more_than", "go beyond": "more_than",
    "goes beyond": "more_than", "surpass": "more_than",
}
_REL_TEXT = {"at_least": "at least", "more_than": "more than", "at_most": "at most", "less_than": "fewer than",
             "exactly": "exactly"}


def count_holds(count: int, rel: str, n: int) -> bool:
    return {"at_least": count >= n, "more_than": count > n, "at_most": count <= n,
            "less_than": count < n, "exactly": count == n}[rel]


# "do not write more than 3", "it must not be longer than two sentences", "never use fewer than 4", "without going
# over 150", "nothing longer than 120": a comparative refused just before it is the opposite bound (both were read as
# the bound itself: "more than 2 sentences"). Only the words of a plain refusal may stand between ("Don't forget to
# write at least 300 words", "I don't mind if it's over 500" refuse nothing), and a bound said as one ("at least",
# "a maximum of") is never turned.
_UNMARKED = r"dont|doesnt|wont|cant|shouldnt|mustnt|isnt|arent"  # refusals typed without their apostrophe
_REFUSED = re.compile(r"(?:\b(?:not|never|neither|cannot|without|nothing|no need to|" + _UNMARKED + r"|avoid|avoiding|"
                      r"refrain from|under no circumstances|in no case|at no point|"
                      r"no (?:answer|response|reply|submission)|keep\s+(?:it|this|them|the\s+\w+|your\s+\w+)\s+from)"
                      r"|n't)\s+"
                      r"(?:(?:be|go|going|get|write|use|have|include|contain|make|run|give|put|"
                      r"type|let|any|anything|it|this|them|that|a|an|the|your|answer|response|reply|text|much|way|ever|"
                      r"even|okay|ok|fine|allowed|acceptable|to|want|need|needs|if|it's|its|allow|using|saying|writing|"
                      r"repeating|mentioning|should|must|may|can|will|you|we|story|poem|essay|post|email|letter|speech|"
                      r"article|piece|summary|description|bio|caption|message|note|length|total|word count)\s+){0,4}$",
                      re.I)
_OPPOSITE = {"more_than": "at_most", "less_than": "at_least"}


# a bound said after the count: "4 bullet points max", "6 bullets or fewer", "3 paragraphs, tops"
TRAILING_REL = re.compile(r"\s*,?\s*(?:(?P<most>max(?:imum)?\b\.?|tops\b|at (?:the )?most\b|or (?:fewer|less)\b)|"
                          r"(?P<least>min(?:imum)?\b\.?|at least\b|or more\b))(?!\s+(?:per|each|for|in|a)\b)", re.I)


def trailing_rel(text: str, end: int) -> str | None:
    """The bound said right after a count ending at `end` ("5 bullets max": at most), if any (not "5 bullets max per
    slide": a part's)."""
    m = TRAILING_REL.match(text, end)
    return None if m is None else "at_most" if m["most"] else "at_least"


def rel_of(m: re.Match, text: str) -> str:
    """The relation a `_REL` match states in `text`, turned around when a refusal governs it (just before the
    relation, or just before the match: "do not use the word X more than twice"), or a penalty follows it
    ("responses under 300 words will be rejected")."""
    rel = _REL_MAP[m.group("rel").lower()]
    refused = refused_at(text, m.start("rel")) or refused_at(text, m.start()) or PENALISED.match(text, m.end())
    return _OPPOSITE.get(rel, rel) if refused else rel


# what is said of a bound that turns it around: "responses under 300 words will be rejected", "anything over 100
# words gets marked down"
PENALISED = re.compile(r"[^.;:!?\n]{0,40}?\b(?:will|would|shall|gets?)\s+(?:be\s+)?(?:automatically\s+)?"
                       r"(?:rejected|refused|disqualified|penali[sz]ed|marked (?:down|wrong)|"
                       r"not (?:be )?(?:accepted|read)|docked)\b", re.I)


# "not fewer than 150 or more than 300 words", "neither under 5 nor over 9": the refusal governs both bounds
_CARRIED = re.compile(r"(?:\b(?:not|never|neither|" + _UNMARKED + r")|n't)\s+(?:[a-z]+\s+){0,3}?(?:fewer|less|more|"
                      r"longer|shorter|over|under|below|above|exceed|beyond|past)\s+(?:than\s+)?\d+\s+(?:[a-z]+\s+)?"
                      r"(?:or|nor)\s+(?:go|fall|drop|run|get|use|write|have|include|make|add)?\s*$", re.I)


def refused_at(text: str, start: int) -> bool:
    # "a story called 'Never Again'": a title, no refusal; a curly apostrophe is one ("Don’t go over 40 words")
    before = _QUOTED.sub('""', text[max(0, start - 60):start].replace("’", "'"))
    clause = re.split(r"[.;:!?,\n]", before)[-1]
    return bool(_REFUSED.search(clause) or _CARRIED.search(clause))


def negated_before(text: str, start: int, window: int = 30) -> bool:
    """Is the match at `start` governed by a negation in the same clause just before it?"""
    before = re.split(r"[.;:!?\n]", text[max(0, start - window):start])[-1]
    before = re.sub(r"\b(?:don't|do not|dont|never)\s+forget\s+to\b", " ", before, flags=re.I)  # a reminder
    return bool(_NEG.search(before))


WORD = re.compile(r"[A-Za-zÀ-ÿ0-9]+(?:['’-][A-Za-zÀ-ÿ0-9]+)*")


def words(text: str) -> list[str]:
    return WORD.findall(text)


def sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+|\n+", text.strip())
    return [p for p in parts if words(p)]


def _clean_phrase(s: str) -> str:
    return s.strip().strip("\"'“”‘’`").strip()


_QUOTED = re.compile(r'"([^"\n]+)"|“([^”\n]+)”|‘([^’\n]+)’|`([^`\n]+)`|(?<!\w)\'((?:[^\'\n]|\'(?=[a-z]))+?)\'(?!\w)')


def quoted(s: str) -> list[str]:
    """Every quoted string in `s`, each closed by its own kind of quote (so "Let's go" stays whole)."""
    return [next(g for g in m.groups() if g is not None).strip() for m in _QUOTED.finditer(s)]


# The answer named as its subject: "your response", "the toast", "this email", "it" (not "the second paragraph", nor
# a summary, a description, a caption or a script, which are often one part of it)
WHOLE_TEXT = (r"(?:(?:your|the|this|my)\s+(?:\w+\s+)?(?:response|answer|reply|email|letter|story|poem|speech|essay|"
              r"message|note|post|text|toast|blurb|memo|review|bio|announcement|invitation|tweet|pitch)\s+|it\s+)?")


# after a list of options, words that say more follows: the answer is not one option alone ("'yes' or 'no' first,
# then explain"; "... Explain your choice in 3 sentences.")
AND_THEN = re.compile(r"^[^.!?\n]*?\b(?:first\b(?!\s+(?:paragraph|sentence|line|part|section|word|question|one)s?\b)|"
                      r"then|followed by|before (?:explaining|giving|adding)|and (?:briefly )?(?:explain|justify|"
                      r"say why|give))\b", re.I)
EXPLAIN_LATER = re.compile(r"\b(?:explain\w*|justif\w*|reasoning|elaborate|afterwards|after that|say why|"
                           r"tell (?:me|us) why)\b", re.I)


def more_after(s: str) -> bool:
    """Does `s` (the words after a list of options) say more follows? Words inside quotes are options, not this."""
    s = _QUOTED.sub('""', s)
    return bool(AND_THEN.search(s) or EXPLAIN_LATER.search(s[:300]))


def quoted_run(s: str) -> list[str]:
    """The quoted strings that open `s` as one list ("'Approved' or 'Rejected'"), up to the first words between two
    quotes that are not a separator: a later sentence's quote ("must not contain the letter 'e'") is no option."""
    out: list[str] = []
    last = None
    for m in _QUOTED.finditer(s):
        if last is not None and not re.fullmatch(r"[\s,;/|—–-]*(?:(?:or(?: else)?|and|and/or)\b[\s,]*)?"
                                                 r"(?:\(?[a-z0-9][.)]\s*)?",
                                                 s[last:m.start()], re.I):  # "(a) 'Yes' (b) 'No'": labels too
            break
        out.append(next(g for g in m.groups() if g is not None).strip())
        last = m.end()
    return out


def _quoted_or_word(s: str) -> str:
    """The first quoted string, else the first word, of `s`."""
    m = _QUOTED.match(s.lstrip())
    if m:
        return next(g for g in m.groups() if g is not None).strip()
    m = re.match(r"\s*([\w'-]+)", s)
    return m.group(1) if m else ""


def _split_list(s: str) -> list[str]:
    """'"ocean", "sky" and "sand"' or 'ocean, sky, and sand' -> ['ocean', 'sky', 'sand']."""
    qs = quoted(s)
    if qs:
        return [q for q in qs if q]
    s = re.split(r"[.;:!?\n]|\b(?:in your|in the|when|while|to describe|somewhere)\b", s)[0]
    items = re.split(r",\s*(?:(?:and|or)\b)?\s*|\s+(?:and|or)\s+", s)
    return [i.strip() for i in items if i.strip() and len(i.split()) <= 3]


def _find(pattern: str, text: str) -> list[re.Match]:
    return [m for m in re.finditer(pattern, text, re.I)]


def sentence_at(text: str, pos: int) -> str:
    """The sentence holding position `pos`."""
    ends = [m.start() for m in _SENTENCE_END.finditer(text)]
    start = max([i for i in ends if i < pos], default=-1) + 1
    end = min([i for i in ends if i >= pos], default=len(text) - 1)
    return text[start:end + 1].strip()


# a sentence ends at . ! ? or a newline, but not at the dots of "P.S." or "e.g."
_SENTENCE_END = re.compile(r"[!?\n]|(?<!\b[A-Za-z])\.(?![A-Za-z]\.)")


def about_not_asked(text: str, pos: int) -> bool:
    """Is the match at `pos` the topic of the request rather than an instruction? A question asking about it
    ("Why do people write in all caps?") or a sentence naming both letter cases ("when to use uppercase and
    lowercase letters")."""
    s = sentence_at(text, pos)
    if re.match(r"(?:why|how come|how do|how does|what|when|where|who|which|is it|are there)\b", s, re.I) \
            and s.endswith("?"):
        return True
    up = r"upper[\s-]?case|upper(?=\s*(?:-|or|and|/)\s*lower)|capital|caps"  # "the letter q, upper or lower case"
    low = r"lower[\s-]?case|small letters"
    # "lowercase, no capitals": an instruction
    negated = rf"\b(?:no|not|without|never|avoid)\s+(?:any\s+|a\s+single\s+)?(?:{up}|{low})"
    # "entirely lowercase and entirely in capitals": both asked for (a contradiction to name), not a topic
    asked = r"\b(?:all|only|entirely|completely|wholly)\s+(?:in\s+)?(?:all\s+)?(?:{})"
    both = re.search(asked.format(up), s, re.I) and re.search(asked.format(low), s, re.I)
    return bool(re.search(up, s, re.I) and re.search(low, s, re.I) and not re.search(negated, s, re.I)) and not both


# words "The" cannot open: articles, pronouns, verbs of being, conjunctions ("The the moon", "The is", "The because")
NOT_NOUNS = {"the", "a", "an", "and", "but", "or", "because", "is", "are", "was", "were", "be", "been", "we", "you",
             "they", "he", "she", "it", "its", "our", "your", "their", "my", "his", "her", "this", "that", "these",
             "those", "very", "not", "can", "will", "should", "would", "could", "must", "may", "have", "has", "had"}


def opener(word: str) -> str:
    """A word as the start of a sentence. A lowercase word is opened with "The": a sentence opened with the bare
    word read as a name or a call ("Bright, Serena."; "Shadow the painting of …"); "The bright" and "The shadow" went
    on as sentences. A word with a capital ("iPhone", "Paris") or an adverb is opened bare, its first letter
    capitalised."""
    if re.fullmatch(r"[a-z][a-z'-]{2,}(?: [a-z][a-z'-]*)*", word) and not word.endswith("ly") \
            and word.split()[0] not in NOT_NOUNS:
        return "The " + word
    return word if word[1:2].isupper() else word[:1].upper() + word[1:]


# ---- quoted texts a content type reads (constraints/content.py) ------------------------------------------------------
# 'Include the exact sentence: "…"', "include this sentence verbatim: '…'", "Include our slogan exactly as written:
# 'Yes, we can'", "the product name exactly as trademarked: 'iPhone'", "all of these phrases: 'a', 'b'": a text to
# use as it is said (the quote's own kind closes it, so "can't" inside single quotes stays whole)
QUOTED_TEXT = (r"\b(?:includ(?:e|es|ing)|us(?:e|es|ing)|contain(?:s|ing)?|add|put\s+in)\s+"
               r"(?:all\s+(?:of\s+)?|each\s+of\s+)?(?:the|this|these|our|my|your|their)\s+(?:exact\s+|following\s+|full\s+)?(?:[\w-]+\s+)?"
               r"(?P<noun>sentence|line|phrase|text|address|quote|slogan|tagline|motto|catchphrase|disclaimer|name|title|"
               r"words)s?(?:\s+(?:verbatim|word[\s-]for[\s-]word|exactly|somewhere|in full|unchanged|(?:by|from)\s+"
               r"[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?|as(?:\s+(?:it is\s+|it's\s+)?(?:written|given|shown|trademarked|"
               r"spelled|is|below|follows))?))*\s*:?\s*(?=[\"“'‘])")


def _counted(text: str) -> bool:
    """"use X 3 times" is a keyword count, not an inclusion; "at least once" (1 time, after normalising) is one."""
    return bool(re.search(r"\d+\s+times\b|\ba couple (?:of )?times\b|\d+\s*\+\s*times\b", text, re.I)) \
        and not re.search(r"\bat least 1 times\b", text)


# "Start your answer with …", "End each reply with …": an edge of the answer is named, not the whole answer
EDGE_OF = r"\b(?:start|begin|open|end|finish|close)\w*\s+(?:your|the|each|every)\s+"
# 'with "Yes" or "No"': two quoted alternatives, of which neither is required
ONE_OF_TWO = re.compile(r"\s*[\"“'‘][^\"”'’\n]{1,60}[\"”'’]\s*,?\s*(?:or|and/or)\s+[\"“'‘]")


# ---- content -------------------------------------------------------------------------


def bounds(c) -> tuple[float, float] | None:
    """The counts a constraint's relation allows, as [low, high] (here, below base.py and clash.py, which both read
    it: clash.py sits below base)."""
    rel, n = getattr(c, "rel", None), getattr(c, "n", None)
    if rel is None or n is None:
        return None
    return {"at_least": (n, float("inf")), "more_than": (n + 1, float("inf")), "at_most": (0, n),
            "less_than": (0, n - 1), "exactly": (n, n)}[rel]


def _short(s: str, n: int = 80) -> str:
    return s if len(s) <= n else s[:n] + "…"


# a count said of what exists, not asked: "My last email to them was 3 paragraphs", "the draft had 900 words"
PAST = re.compile(r"\b(?:was|were|had been|has been|had|is already|are already|is currently|are currently|ran to|"
                  r"came to|came out at)\s+(?:about\s+|only\s+|over\s+|almost\s+|roughly\s+|around\s+|just\s+)?"
                  r"(?:\d+\s+[a-z]+\s+and\s+)?$",
                  re.I)
