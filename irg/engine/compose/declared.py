"""Things named by their role, then laid out as units (issue 37): "Give me slogans, one per line, and none of them
should be longer than six words". The layout says what the things are in the answer — lines, paragraphs — so the
rules said of them, or of "them", "each", "every one", are rules on those units:

    Give me slogans, one per line, and none of them should be longer than six words.
        -> No line should be longer than 6 words.
    Meta descriptions, one per line, between 120 and 155 characters each.
        -> Each line has between 120 and 155 characters.
    Each ad variant is a line; none may exceed 90 characters, and each must end with an exclamation mark.
        -> No line may exceed 90 characters. / Each line must end with an exclamation mark.
    Give me five hashtags, each on its own line, ...  -> also: the response has exactly 5 lines.

Read only when the words before the layout are a request and the things' name (no unit, number or rule of their own
beyond a count), and every part after it is read whole; otherwise nothing is read. A count is kept for lines only:
"three tips as paragraphs" is a count of a type the detector reads itself. Things numbered ("Number the questions",
"as numbered items") must be numbered too: the response has at least one numbered item.
"""
from __future__ import annotations

import re
from typing import Callable

from irg.engine.compose.measures import Count
from irg.engine.compose.program import Each, Rule, Select
from irg.engine.compose.restate import LEAD_HEDGE
from irg.engine.compose.vocab import NARROWS, UNIT, Program, subject

LAYOUTS = [  # (pattern, unit): the things are that unit of the answer
    (r"\b(?:(?:with\s+)?(?:one|1)(?:\s+(?:of\s+them|each))?\s+(?:(?P<r1>[a-z]+)\s+)?per\s+line|each\s+on\s+"
     r"(?:its|a)\s+own\s+line|on\s+(?:separate|their\s+own)\s+lines)\b", "line"),
    (r"\b(?:each\s+(?:as|in|on)\s+(?:its|a)\s+own\s+paragraph|(?:one|1)\s+(?:(?P<r2>[a-z]+)\s+)?per\s+paragraph)\b",
     "paragraph"),
    (r"\b(?:each|every)\s+(?P<r3>[a-z]+(?:\s+[a-z]+)?)\s+is\s+(?:a|one)\s+(?:separate\s+)?(?P<u>line|paragraph)\b",
     None),
    (r"\bas\s+(?:a\s+)?(?:numbered\s+(?:items|list|steps|points)|a\s+numbered\s+list)\b", "numbered item"),
    (r"\bas\s+(?:bullets|bullet\s+points|a\s+bulleted\s+list|a\s+bullet(?:ed)?\s+list)\b", "bullet item"),
    (r"^\s*number\s+(?:the|your|all\s+the|each\s+of\s+the)\s+(?P<r4>[a-z]+(?:\s+(?!(?:and|or|with|so|but)\b)[a-z]+)?)\b",
     "numbered item"),
]
# the verbs of a request for things ("Give me", "Suggest", "Come up with"), said once for the lead and the check
ASK = (r"(?:give\s+me|give|write|list|suggest|provide|share|make|create|draft|brainstorm|come\s+up\s+with|i\s+need|"
       r"send\s+me|generate|produce|name|offer)")
REQUEST = (r"(?:(?:please\s+)?" + ASK + r"\s+)?(?:me\s+)?(?:(?:a\s+few|some|several|a\s+list\s+of|the|your|"
           r"(?:exactly\s+)?(?P<n>\d+))\s+)?")
ROLE = r"(?P<role>[a-z][a-z'-]*(?:\s+[a-z][a-z'-]*){0,2}?)"
LEAD = re.compile(r"^\s*" + REQUEST + ROLE + r"\s*[,:;—–-]?\s*$", re.I)
AFTER = re.compile(r"^\s*[,:;—–-]*\s*(?:and\s+)?", re.I)
PART = re.compile(r"\s*(?:;|,\s*(?:and\s+)?|\s+and\s+(?=(?:each|every|none|no|never|keep|make|end|start|begin|"
                  r"don't|do\s+not|avoid|under|over|at\s+most|at\s+least|between|fewer|less|more|no\s+more|"
                  r"exactly)\b))\s*", re.I)
LIMIT = re.compile(r"^(?:under|over|at\s+most|at\s+least|no\s+more\s+than|not\s+more\s+than|no\s+fewer\s+than|"
                   r"fewer\s+than|less\s+than|more\s+than|up\s+to|exactly|between|max(?:imum)?|\d+)\b", re.I)


TOTAL = re.compile(r"\b(?:total|in\s+all|altogether|all\s+together|overall|combined|collectively|as\s+a\s+whole|"
                   r"all\s+told|summed|put\s+together|as\s+a\s+set|together|between\s+them|sum|whole|cumulative\w*|"
                   r"jointly|as\s+a\s+group|all\s+in|the\s+lot)\b", re.I)
# a limit part said whole: the limit and what it counts, nothing after it ("each under 8 words plus the brand name",
# "under 3 headings" are not a length of each unit)
PLAIN_LIMIT = re.compile(r"(?:each\s+[a-z ]+?\s+has\s+)?(?:under|over|at\s+most|at\s+least|no\s+more\s+than|"
                         r"not\s+more\s+than|no\s+fewer\s+than|fewer\s+than|less\s+than|more\s+than|up\s+to|"
                         r"exactly|max(?:imum)?|between\s+\d+\s+and|\d+\s*(?:-|–|to))?\s*\d+\s+(?:words|characters|chars|"
                         r"letters|syllables|sentences)(?:\s+(?:long|or\s+(?:fewer|less|more)|max(?:imum)?|tops|"
                         r"at\s+most|at\s+least|minimum))?(?:,?\s+(?:including|counting)\s+spaces)?\.?", re.I)
VERBS = {"ending": "ends", "starting": "starts", "beginning": "begins"}


# words that make the things more than a name: a qualifier of their count ("5 slogans or more", "10 names max"), a
# multiplier ("per product", "each"), two things on one unit ("riddles with answers", "pros and cons")
NOT_A_NAME = re.compile(r"\b(?:with|and|or|plus|per|each|every|max|maximum|min|minimum|most|least|tops|more|fewer|less|"
                        r"so|roughly|approximately|approx|ish|about|around|total|only|all|than|rather|but|not|no)\b",
                        re.I)
# things of many lines: a numbered or bulleted item is its one line, so their rules would be on that line alone
MULTI = re.compile(r"\b(?:sections|scenes|stories|recipes|poems|haikus?|stanzas|verses|chapters|essays|letters|"
                   r"emails|entries|paragraphs|articles|songs|limericks|sonnets|dialogues|scripts|speeches)\b", re.I)
PLACE_OR_VERB = re.compile(r"(?:below|above|beside|between|alongside|beneath|around|across|throughout|during|after|"
                           r"before|near|under|over|delete|remove|cut|drop|skip|add|change|replace|fix|edit|rewrite|"
                           r"translate|shorten|use|keep|make|put|avoid|take|turn|check|mark)\b", re.I)
VERB = re.compile(r"^\s*(?:please\s+)?(?:" + ASK + r"|present|show)\b", re.I)


def _a_name(words: str | None, left_over: re.Pattern, plural: bool = True) -> bool:
    """Are these words only the things' name (plural, as in "Give me slogans"), with no qualifier, hedge, refusal or
    scope of their own ("Not", "Ideally", "In the intro", "No emojis", "slogans or more")?"""
    w = (words or "").strip().lower()
    bare = re.sub(r"\b(?:hashtags?|emojis?|titles?|headlines?|headings?|quotes?)\b", " ", w)  # things, not rules
    whole_words = [h for h in left_over.finditer(bare)  # "taglines" holds no "lines"
                   if not (h.start() and bare[h.start() - 1].isalpha()) and not bare[h.end():h.end() + 1].isalpha()]
    return bool(w) and (not plural or (w.endswith("s") and not w.endswith("ss"))) and not NOT_A_NAME.search(w) \
        and not NARROWS.search(w) and not LEAD_HEDGE.search(re.sub(r"\b(?:tips|suggestions|ideas)\b", " ", w)) \
        and not whole_words


def _request(before: str, left_over: re.Pattern) -> bool:
    """Is the text before a layout a request and nothing more ("Write", "Give the carousel text:")?"""
    rest = VERB.sub("", before, count=1) if VERB.match(before) else None
    rest = re.sub(r"^\s*(?:me\s+)?(?:the|your|a|an)?\s*", "", rest or "", flags=re.I).strip(" ,:;—–-")
    return rest is not None and VERB.match(before) is not None and (not rest or _a_name(rest, left_over, plural=False))


def declared(clause: str, read: Callable[[str], list[Program]], left_over: re.Pattern) -> list[Program]:
    """The programs of a clause that lays out named things as units, read with `read`; [] unless every part is read and
    nothing in the things' name is in `left_over` (the reader's words that change a meaning)."""
    for pattern, unit in LAYOUTS:
        m = re.search(pattern, clause, re.I)
        if m is None:
            continue
        unit = unit or m["u"].lower()
        before, after = clause[:m.start()], clause[m.end():]
        inner = next((m[g] for g in ("r1", "r2", "r3", "r4") if m.groupdict().get(g)), None)
        lead = LEAD.match(before) if before.strip() else None
        if m.groupdict().get("r3") or (inner and not before.strip(" ,;:")) or (inner and _request(before, left_over)):
            # "Each ad variant is a line; none may ...", "Write one idea per line, each under 10 words"
            role, count, rules = inner, None, after
            if before.strip() and not _request(before, left_over):
                return []  # "In the intro, each tip is a line; ...", "If possible, one idea per line, ..."
        elif m.groupdict().get("r4"):  # "Number the questions and make sure each one ends with a question mark"
            role, count, rules = m["r4"], None, after
        elif lead and not inner and (VERB.match(before) or len(lead["role"].split()) <= 2
                                     and not PLACE_OR_VERB.match(lead["role"])):
            # "Give me five hashtags, each on its own line, ...", "Meta descriptions, one per line, ..."
            role, count, rules = lead["role"], lead["n"], after
        elif inner and not after.strip(" .!"):  # "Every message must be 160 characters or fewer, one message per ..."
            role, count, rules = inner, None, before
        else:
            return []
        plural = bool(m.groupdict().get("r4")) or role != inner  # "Give me slogans", not "one idea per line"
        if subject(role) != unit and not _a_name(role, left_over, plural) \
                or unit in ("numbered item", "bullet item") and MULTI.search(role):
            return []
        return _read_as(role, unit, count, rules, read)
    return []


def _read_as(role: str, unit: str, count: str | None, rules: str, read: Callable[[str], list[Program]]) \
        -> list[Program]:
    role = role.lower().strip()
    rules = re.sub(r"\b(?:please|pls|plz|thanks|thx)\b[,.!]*", " ", rules, flags=re.I)
    numbered = [Rule(Each(), Select("response"), Count("numbered item", "at_least", 1))] \
        if unit == "numbered item" else []  # "Number the steps": the numbering is asked for too
    if numbered and subject(role) == unit:  # "Number the steps, and no step ...": the steps it names
        got = read(AFTER.sub("", rules, count=1))
        return numbered + got if got else []
    if re.search(r"\b" + UNIT + r"\b", role, re.I) or not re.fullmatch(r"[a-z' -]+", role):
        return []  # "three lines, one per line": the units themselves, or a role with a number in it
    one = role[:-1] if role.endswith("s") and not role.endswith("ss") else role
    parts = [p for p in PART.split(AFTER.sub("", rules, count=1).strip().rstrip(".!")) if p.strip()]
    if not parts or len(parts) > 3 or TOTAL.search(rules):
        return []  # "keep them under 60 words total": a budget for all of them, not each
    out: list[Program] = list(numbered)
    if count and unit == "line":
        out += read(f"The response has exactly {count} lines.")
    for part in parts:
        got = read(said) if (said := _said_of(part.strip(), one, unit)) else []
        if not got:
            return []  # read whole or not at all
        out += [p for p in got if p not in out]
    return out if all(unit in p.describe() for p in out) else []


def _said_of(part: str, role: str, unit: str) -> str:
    """A part with the things named as the unit: "none of them ..." -> "no line ...", "under 50 characters each" ->
    "each line has under 50 characters"."""
    words = re.escape(role) + r"s?"
    part = re.sub(r"^\s*none(?:\s+of\s+them)?\b", f"no {unit}", part, flags=re.I)
    part = re.sub(r"\b(each|every)\s+(?:one|1|of\s+them)\b", rf"\1 {unit}", part, flags=re.I)
    part = re.sub(r"^\s*each\b(?!\s+" + words + r"\b)(?=\s+(?:must|should|has|needs|will|can|may|is|under|over|"
                  r"at|no|between|fewer|less|more|exactly|up|a|one|1|ending|starting|beginning)\b)", f"each {unit}",
                  part, flags=re.I)
    part = re.sub(r"\b(each|every|no|any)\s+" + words + r"\b", rf"\1 {unit}", part, flags=re.I)
    part = re.sub(r"\bthem\b", f"the {unit}s", part, flags=re.I)
    part = re.sub(r"^\s*(?:make\s+sure|ensure)\s+(?:that\s+)?", "", part, flags=re.I)
    part = re.sub(rf"^each\s+{unit}\s+(?:a|one|1)\s+", f"each {unit} is a ", part, flags=re.I)  # "each a single ..."
    if re.fullmatch(r"(?:in\s+)?(?:alphabetical\s+order|alphabetically)", part, re.I):
        return f"The {unit}s are in alphabetical order."
    if e := re.match(rf"each\s+{unit}\s+(?P<v>ending|starting|beginning)\s+(?:in|with)\b", part, re.I):
        part = f"each {unit} {VERBS[e['v'].lower()]} with" + part[e.end():]
    part = re.sub(r"\s+(?:each|apiece)\s*$", "", part, flags=re.I) if LIMIT.match(part) else part
    if LIMIT.match(part) or re.match(rf"each\s+{unit}\s+(?:under|over|at|no|between|fewer|less|more|exactly|up)\b",
                                     part, re.I):
        part = re.sub(rf"^each\s+{unit}\s+", "", part, flags=re.I)
        if not PLAIN_LIMIT.fullmatch(part.strip()):
            return ""  # something after the limit, or a limit on what a unit does not hold
        part = f"each {unit} has " + part
    elif e := re.match(r"(?P<no>(?:never|not)\s+)?(?P<v>ending|starting|beginning)\s+with\b", part, re.I):
        part = f"{'no' if e['no'] else 'each'} {unit} {VERBS[e['v'].lower()]}" + part[e.end("v"):]
    return part[0].upper() + part[1:] + "." if part else ""
