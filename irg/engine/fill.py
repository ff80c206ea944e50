"""Slots the program opens and the model fills: counts a micro model keeps missing, met in its own words.

Asked to "use the word castle at least 3 times" or "include at least 2 placeholders like [name]", SmolLM2-135M
writes a fine paragraph that holds the word once, or no bracket at all, draft after draft: the instruction is read,
but nothing in its sampling makes it act on it. Rendering cannot help (adding a word is not form). Here the program
opens a sentence at the end of the draft's body with what is missing — the keyword, a word of the model's own that
holds the letter, an opening `[` — and the model writes the rest of that sentence under a grammar that ends it at
its full stop (a placeholder's grammar also closes the bracket after a few words). Each opening is a labelled step
("filled: opened a sentence with 'Castle'") and its characters count as the program's, so the model-written share
stays honest.

Each type says what it needs opened (`Constraint.openings`). A fill is kept only if every constraint the draft
met is still met, no unmet upper limit got worse, its own constraint moved forward, the sentence ended, and the text
is neither debris nor a copy of the draft; otherwise it is dropped and the next place (the end of the first
paragraph) is tried, then the first place once more with sampling (three times when a word limit leaves few words).
In a JSON answer the sentence goes inside its last string. Tokens are counted like a P.S. slot: the opening fed to
the model and the words it writes (the prompt and the draft before it are already in the engine's cache).
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from typing import Callable

from irg.engine.backends import BackendError, GenRequest
from irg.engine.constraints import Constraint
from irg.engine.constraints.base import CountConstraint, bounds
from irg.engine.constraints.text import words
from irg.engine.decoding import DecodingConstraints
from irg.engine.degenerate import degeneration
from irg.engine.render import unmet as _unmet

FILL_TOKENS = 48  # one sentence of a micro model
MAX_FILLS = 4  # per draft: more than this is rewriting the draft, not filling it
SAMPLED = 0.7  # the temperature of the last try
TIGHT = 16  # words left under a word limit below which a fill is short of room: it is given tokens for no more than
# the words left and two more sampled tries, and below ADD_ROOM it writes a sentence anew (if another is left)
ADD_ROOM = 6


@dataclass
class FillStep:
    """One kept fill; shaped like a RenderStep so the UI and the record show both the same way."""
    kind: str
    label: str
    added: int  # characters the program wrote (the opening and its space)
    changed: int = 0

    def to_dict(self) -> dict:
        return {"kind": self.kind, "label": self.label, "added": self.added, "changed": self.changed}


# lines that are not body text: a postscript, a title, a header, a separator, a list item
_BODY_SKIP = re.compile(r"^\s*(?:P\.\s?P\.\s?S\b|P\.\s?S\b|PS\b|<<|SECTION\b|Section\s+\d|PARAGRAPH\b|\*{3,}|[-*•] |#|"
                        r"\d+[.)] )")
_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+(?=\S)")  # a list item's marker
# a section's marker with its text on the same line ("SECTION 1: Thank you for the games."); a heading with a title
# ("SECTION 1: The Sea", "SECTION 2: Overview.") is no body: it needs five words and a sentence end
_HEADED = re.compile(r"^\s*(?:SECTION|Section|PARAGRAPH|Paragraph)\s+\w+\s*[:.—–-]\s*(?=(?:\S+\s+){4}[^\n]*[.!?]\s*$)")
# a sentence end: a stop at the end of the line, or one followed by a space and a capital ("Dr. Smith" is not one)
_END = re.compile(r"(?<!\b[DMS]r)(?<!\bMrs)(?<!\bMs)(?<!\bSt)(?<!\bvs)(?<!\betc)(?<!\bInc)(?<!\bLtd)"
                  r"(?<!\b[A-HJ-Z])[.!?]([\"”')\]]*)(?=\s*$|\s+[\"“'(]?[A-Z])")  # nor an initial ("John A. Smith")
# a letter's greeting ("Dear Ms. Lee,") and sign-off ("Best regards,"), after which come only names: no body text
_GREETING = re.compile(r"^\s*(?:Dear|Hi|Hello|Hey|To)\b[^\n]*,\s*$")
_SIGN_OFF = re.compile(r"^\s*[A-Z][a-z]+(?:\s+[a-z]+){0,2},\s*$")
# the same in a text with no capital at all (an all-lowercase answer): a stop followed by a space and any letter,
# the abbreviations in lowercase too ("mr. lee", "5 p.m. today", "e.g. this")
_END_LOWER = re.compile(r"(?<!\b[dDmMsS]r)(?<!\b[mM]rs)(?<!\b[sS]t)(?<!\bvs)(?<!\betc)(?<![ap]\.m)(?<!\be\.g)"
                        r"(?<!\bi\.e)[.!?]([\"”')\]]*)(?=\s*$|\s+[\"“'(]?[^\W\d_])")


def _ends(line: str, pos: int = 0, lower: bool | None = None) -> list[re.Match]:
    """The sentence ends in `line`; `lower`: the whole answer has no capital (else judged by the line itself)."""
    lower = not re.search(r"[A-Z]", line) if lower is None else lower
    return list((_END_LOWER if lower else _END).finditer(line, pos))


def places(text: str, lo: int = 0, hi: int | None = None) -> list[int]:
    """Where a sentence may be added, within text[lo:hi] (the answer after a repeated request, before an end
    phrase): after the last sentence end of the last body line that has one, then of the first such line. A
    closing quote or bracket stays after the new sentence only when its line opened with one (the whole answer
    quoted); otherwise the sentence goes after it, not inside someone's quoted words."""
    hi = len(text) if hi is None else hi
    lower = not re.search(r"[A-Z]", text)
    out = []
    pos, lines = lo, []
    for line in text[lo:hi].split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    # body lines; a section's marker with its text on the same line ("SECTION 2: I am grateful …") is one too
    signed = [i for i, (_, ln) in enumerate(lines) if i and _SIGN_OFF.match(ln)]
    lines = lines[:signed[-1]] if signed else lines
    body = [(p, ln) for p, ln in lines if ln.strip() and (not _BODY_SKIP.match(ln) or _HEADED.match(ln))
            and not _GREETING.match(ln)]
    items = not body  # a list and nothing else: the sentence goes at the end of an item, so the items stay as many
    if items:
        body = [(p, ln) for p, ln in lines if _ITEM.match(ln)]
    else:  # the lines that end a sentence: a letter's last lines are a sign-off and a name, its first a greeting
        body = [(p, ln) for p, ln in body if _ends(ln, _marker(ln), lower)] or body
    for p, ln in (body[-1:] + body[:1]) if body else []:
        mk = _marker(ln)  # "2." is a list number, not a sentence end
        ends = _ends(ln, mk, lower)
        if items:  # and only after an item that ends a sentence
            ends = [m for m in ends if m.end(1) == len(ln.rstrip())]
        if ends:
            m = ends[-1]
            inside = ln[mk:].lstrip()[:1] in "\"“'(["
            out.append(p + (m.start(1) if inside else m.end(1)))
    return list(dict.fromkeys(out))


def _marker(line: str) -> int:
    """How many characters of the line are its list or section marker ("1. ", "* ", "SECTION 2: "): 0 if none."""
    m = _ITEM.match(line) or _HEADED.match(line)
    return m.end() if m else 0


def _bounds(text: str, constraints: list[Constraint]) -> tuple[int, int]:
    """The part of the answer a sentence may go into: after a repeated request, before an end phrase."""
    lo, hi = 0, len(text)
    for c in constraints:
        if c.kind == "repeat_request" and text.lower().startswith(c.request.strip().lower()):
            lo = len(c.request.strip())
        if c.kind == "end_phrase" and not c.check(text):
            i = text.lower().rfind(c.phrase.lower().rstrip(" .!?"))
            hi = i if i > lo else hi
    return lo, hi


def fill(text: str, constraints: list[Constraint], backend, messages: list[dict], dc: DecodingConstraints | None,
         cancel: threading.Event, budget_left: int | None = None,
         view: Callable[[str], str] | None = None) -> tuple[str, list[FillStep], int]:
    """The draft with what the constraints' openings could add, the steps kept, and the tokens spent. `view`: how
    the rules will see a text (the run's rendering), so that a fill is judged as it will be analysed."""
    steps: list[FillStep] = []
    spent = 0
    # in a JSON answer, sentences go inside its strings; a plain draft that the run's rendering will wrap in JSON
    # takes them as any text does (a keyword's sentence was never added to one: no JSON string to put it in)
    inside = any(c.kind == "json_format" for c in constraints) and not _broken_json(text, constraints)
    if not text.strip() or degeneration(text) or any(c.closed and c.kind != "json_format" for c in constraints):
        return text, steps, spent  # debris stays debris; nothing may follow a chosen option
    seen = view or (lambda t: t)
    dc = dc or DecodingConstraints()
    masks = DecodingConstraints(banned_chars=dc.banned_chars, banned_words=dc.banned_words,
                                lowercase_only=dc.lowercase_only, uppercase_only=dc.uppercase_only,
                                limits=dc.limits)  # counted from the draft's start (the fill's forced prefix)
    base = backend.count_prompt_tokens(GenRequest(messages))  # the draft's own prompt: in the engine's cache
    tries, failed = 0, set()
    while tries < MAX_FILLS * 3 and len(steps) < MAX_FILLS and not cancel.is_set():
        now = seen(text)
        unmet = _unmet(now, constraints)
        todo = [(i, c, o) for i, c in enumerate(constraints) if i in unmet and i not in failed
                for o in c.openings(now)[:1]]
        if not todo:
            break
        k, c, opening = todo[0]
        kept = False
        spots = json_places(text) if inside else places(text, *_bounds(text, constraints))
        swap = full(now, constraints) and not inside  # no sentence may be added: the one before is written anew
        # greedy at each place, then once sampled at the first (the end of the body): greedy repeats what it wrote
        left = _room(now, constraints)
        tight = left is not None and left < TIGHT
        for where, temp in ([(w, 0.0) for w in spots] + [(spots[0], SAMPLED)] * (3 if tight else 1)) if spots else []:
            tries += 1
            if cancel.is_set() or (budget_left is not None and budget_left - spent < FILL_TOKENS + 16):
                return text, steps, spent
            # a sentence rewritten must not hold what the constraint already counts (a third "orange" written over
            # the sentence that held the second is no step forward). Short of words, a sentence is added while a
            # short one fits (ADD_ROOM words after the opening), else one is written anew if another would be left
            short = tight and not inside and (_room(seen(text[:where] + " " + opening.text + text[where:]), constraints)
                                              or 0) < ADD_ROOM
            span = swapped(text, where, lambda a, b: len(c.openings(seen(text[:a] + text[b:]))) <= len(
                c.openings(now))) if swap or short else (where, where)
            span = (where, where) if span is None and not swap else span
            if span is None:
                continue
            start, end = span
            head = text[:start].rstrip(" ")
            lead = (" " if head and not head.endswith("\n") else "") + _cased(opening.text, constraints)
            room = _room(seen(head + lead + text[end:]), constraints)
            if room is not None and room < 1:
                continue  # not one more word fits under the word limit here
            # under a word limit the sentence must end within the words left (about 1.3 tokens a word): else refused
            most = FILL_TOKENS if room is None else min(FILL_TOKENS, int(room * 1.5) + 4)
            # a micro model asked to go on copies its own sentence ("Bright, the world of coffee is …" x3): the
            # engines' repeat guard (DRY on llama.cpp, no_repeat_ngram on transformers) steers it elsewhere
            req = GenRequest(messages, max_new_tokens=most, temperature=temp, seed=tries,
                             constraints=replace(masks, forced_prefix=head + lead, grammar=_in_json(opening.grammar)
                                                 if inside else opening.grammar,
                                                 no_repeat_ngram=4))
            if backend.count_prompt_tokens(req) + most > backend.context_length:
                return text, steps, spent  # the draft fills the context: no room for a sentence
            try:
                g = backend.generate(req, cancel)
            except BackendError:
                return text, steps, spent  # the engine failed on a fill: the draft stands as it is
            cached = base + backend.count_tokens(head)  # the prompt and the draft so far: already in the engine's cache
            spent += max(0, g.prompt_tokens - cached) + g.completion_tokens
            added = g.text[len(head + lead):] if g.text.startswith(head + lead) else ""
            if g.finish_reason in ("length", "cancelled") or not re.search(r"[.!?]$", added.strip()):
                continue  # the sentence did not end: a cut sentence is worse than none
            out = head + lead + added.rstrip() + text[end:]
            after = seen(out)
            moved = not c.check(after) or 0 < len(c.openings(after)) < len(c.openings(now))  # met, or fewer missing
            if (_unmet(after, constraints) - unmet or further(after, now, [constraints[i] for i in unmet if i != k])
                    or degeneration(out) or not moved or copied(lead + added, text)
                    or (inside and _broken_json(out, constraints))):
                continue  # it broke something met, pushed an unmet limit further, is debris or a copy, or did not help
            gone = len(text[start:end].strip())
            label = opening.label.replace("filled: ", "filled: the sentence before it written anew, ", 1) \
                if gone else opening.label
            text = out
            steps.append(FillStep(c.kind, label, len(lead), gone))
            kept = True
            break
        if not kept:
            failed.add(k)  # its opening did not take at any place: the plan's instruction stays
    return text, steps, spent


# a string value of a JSON answer (not a key): what the model wrote as its answer's sentences
_JSON_VALUE = re.compile(r'"((?:[^"\\\n]|\\.)*)"(?=\s*[,}\]])')


def json_places(text: str) -> list[int]:
    """In a JSON answer ({"answer": "Bees make honey. …"}, issue 38: a keyword never got into one): the ends of the
    string values that end a sentence, before their closing quote — the last value, then the first."""
    vals = [m for m in _JSON_VALUE.finditer(text)
            if re.search(r"\w[.!?]$", m.group(1).rstrip()) and len(m.group(1).split()) >= 3]
    return list(dict.fromkeys(m.start(1) + len(m.group(1).rstrip()) for m in vals[-1:] + vals[:1]))


def _in_json(grammar: str) -> str:
    """A fill's grammar inside a JSON string: no quote or backslash either (they would end or escape it)."""
    return grammar.replace("[^\\n", "[^\\n\\t\\r\\\"\\\\")


def _broken_json(text: str, constraints: list[Constraint]) -> bool:
    """Is the answer, as it stands, no JSON (the run's rendering would wrap it, hiding a fill that broke it)?"""
    return any(c.kind == "json_format" and c.check(text) for c in constraints)


def full(text: str, constraints: list[Constraint]) -> bool:
    """Is the text at a sentence count's upper bound ("at most 3 sentences" with 3), so that a sentence added would
    break it? Then a fill takes the place of the body's last sentence instead (a keyword 3 times within 3 sentences:
    the added sentence was refused at every place, issue 38)."""
    return any(d.kind == "sentence_count" and d.count(text) >= bounds(d)[1] for d in constraints
               if isinstance(d, CountConstraint))


def swapped(text: str, where: int, keeps: Callable[[int, int], bool]) -> tuple[int, int] | None:
    """The span of the sentence a fill writes anew, in the line that ends at `where`: the last sentence whose removal
    `keeps` what the fill builds on, else the last one; None when no other sentence would be left (rewriting it
    would leave none of the model's sentences)."""
    line = text.rfind("\n", 0, where) + 1
    line += _marker(text[line:where])
    stops = [line + m.end(1) for m in _ends(text[line:where], 0, not re.search(r"[A-Z]", text))]
    spans = list(zip([line] + stops, stops if stops and stops[-1] >= where else stops + [where]))
    # an answer wrapped in quotes keeps its opening quote; a sentence holding a quote mark is not written anew (half
    # of a quotation would be left behind)
    spans = [(a + len(text[a:b]) - len(text[a:b].lstrip(' "“' if a == line else " ")), b) for a, b in spans]
    spans = [(a, b) for a, b in spans if a < b and re.search(r"\w[.!?]", text[:a] + text[b:])
             and not re.search(r"[\"“”]", text[a:b])]
    return next((sp for sp in reversed(spans) if keeps(*sp)), spans[-1] if spans else None)


def _cased(opening: str, constraints: list[Constraint]) -> str:
    """The opening as the answer's letter case asks: "orange", not "Orange", in an all-lowercase answer."""
    kinds = {c.kind for c in constraints}
    return opening.lower() if "lowercase" in kinds else opening.upper() if "uppercase" in kinds else opening


def _room(text: str, constraints: list[Constraint]) -> int | None:
    """How many more words the prompt's word limits allow after `text` (None: no word limit)."""
    caps = [bounds(d)[1] for d in constraints if d.kind == "word_count" and isinstance(d, CountConstraint)
            and bounds(d)[1] != float("inf")]
    return int(min(caps)) - len(words(text)) if caps else None


def further(out: str, text: str, unmet: list[Constraint]) -> bool:
    """Did the fill push an unmet upper limit further (a fourth sentence under "at most 3", more words over a
    word limit)? A fill only adds, so such a limit can only get worse."""
    return any(isinstance(d, CountConstraint) and d.count(text) >= bounds(d)[1] and d.count(out) > d.count(text)
               for d in unmet)


def triples(s: str) -> set[tuple[str, ...]]:
    """The text's word triples, lowercased: what `copied` (and parts.unrepeated) compare."""
    w = re.findall(r"\w+", s.lower())
    return {tuple(w[i:i + 3]) for i in range(len(w) - 2)}


def copied(sentence: str, before: str, share: float = 0.5) -> bool:
    """Is the new sentence mostly word triples the draft already holds (a copy is not a new sentence)?"""
    new = triples(sentence)
    return bool(new) and len(new & triples(before)) >= share * len(new)
