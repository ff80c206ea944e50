"""Long answers written part by part (issue 38): an outline first, then each part in its own continuation.

Asked for 500 words, six paragraphs or twenty sentences, SmolLM2-135M writes one draft of at most 256 tokens (about
190 words) and, told to write more, loops or runs dry long before the length: on a long-answer set written outside
the project no draft met a word minimum (docs/results/long-answers.md). Here the planning module does what it is for:
the model writes a plan it can follow, then follows it one step at a time.

  1. Outline. The model writes the first sentence of each of the N parts, under a grammar of N numbered lines.
     Labels it puts before them ("Introduction - ", "Body Paragraph 2:") are dropped, and so is a line that copies an
     earlier one. Asked for topics instead, it wrote "Introduction / Body Paragraphs / Conclusion" and then lists of
     bold labels; asked for the first sentences, it wrote sentences a paragraph can grow from.
  2. Parts. Each part continues the same request: the text so far, the separator the program lays down (a blank
     line, `***`, a section marker), the part's first sentence from the outline (the model's own words), then the
     model writes on, on one line (no token holding a line break may be sampled), until the part holds its share of
     the words and sentences: end-of-text is not allowed before it (llama.cpp's ignore_eos, transformers'
     min_new_tokens). A part is cut after its last full sentence, and a short one is continued once.
  3. Guards. A part that mostly copies the text before it (word triples, fill.copied), turns the answer into debris,
     or holds what a reader calls debris (hashtags, emoji, the answer talking about itself, a start in mid-sentence:
     `junk`) is drawn again, sampled; if no draw is usable, the answer ends with the parts written so far (a copied
     paragraph is debris, not length). Within a part, the sentences from the first that repeats the text before it
     go (`unrepeated`), and a part left short is continued once.

Tokens count as a continuation does (fill.py): the first part's whole prompt, then each part's new prompt tokens (the
separator and the opening; the text before them is in the engine's cache) and what the model writes. The outline is
a request of its own, counted in full.

Why one file: how many parts a prompt calls for, the outline and the writing of each part are one procedure read top
to bottom; split, each half would import the other.
"""
from __future__ import annotations

import json
import math
import re
import time
from dataclasses import asdict, dataclass, field, replace
from typing import Iterator

from irg.engine.backends import Generation, GenRequest
from irg.engine.constraints.text import sentences, words
from irg.engine.decoding import DecodingConstraints
from irg.engine.events import DraftDone, DraftToken, Outlined
from irg.engine.fill import copied
from irg.engine.part_guards import PART_END, junk, unrepeated, usable, whole
from irg.engine.messages import draft_messages
from irg.engine.values import Plan

MIN_WORDS, MIN_PARAGRAPHS, MIN_SENTENCES = 200, 3, 8  # minimums from here on are written part by part
WORDS_PER_PART = 90  # about what SmolLM2-135M keeps on one subject before it drifts or repeats itself
SENTENCES_PER_PART = 5
MAX_PARTS = 12
MIN_PART_CAP = {"word": 30, "sentence": 2}  # a part is about 40 tokens at least (min_tokens): no paragraph cap
# below that is held part by part (`capped`)
TOKENS_PER_WORD = 1.4  # SmolLM2's tokenizer on English prose (constraints/length.py)
TOKENS_PER_SENTENCE = 22
ROOM = 32  # tokens a part may run past its minimum to end its sentence (it is cut after its last one)
OUTLINE_TOKENS = 48  # per outline line at most (about 30 are written)
OUTLINE_EXPECTED = 30
SAMPLED = (0.7,)  # a part's second draw, when its first copied or was debris (0.9 drew hashtags, emoji and spam)
# open bodies only: a list, JSON or a chosen option are not paragraphs
LENGTH_KINDS = ("word_count", "sentence_count", "paragraph_count", "sections")  # the minimums parts are for
OTHER_BODIES = ("bullet_count", "json_format", "multiple_choice", "constrained_response")
# Two responses are two parts around a line of six asterisks: told to write them, the 135M model wrote one answer,
# a numbered list of two, or under the scaffold's grammar the same paragraph twice (dev split, 3 of 8 failed). As
# parts, each is an answer of its own, and the second is drawn again when it copies the first (`usable`).
TWO = "\n******\n"
RESPONSE_WORDS = 60  # each of two responses, when the prompt gives no length: a paragraph the model keeps on topic
MIN_CAPPED_WORDS, MIN_CAPPED_SENTENCES = 80, 4  # the least word or sentence limit two responses as parts can keep


@dataclass
class Parts:
    """How a long answer is written: `n` parts, each at least `words` words and `sentences` sentences, joined by
    `separator`, each opened by `marker` and its number when there is one. `why`: the minimums it serves."""
    n: int
    words: int = 0
    sentences: int = 0
    separator: str = "\n\n"
    marker: str = ""
    why: list[str] = field(default_factory=list)
    least: int = 0  # words every part must hold, whatever the margin (each paragraph's least: `short`)

    def __post_init__(self) -> None:
        if not 1 <= self.n <= MAX_PARTS:
            raise ValueError(f"an answer is written in 1 to {MAX_PARTS} parts (got {self.n})")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Parts":
        return cls(**d)

    def min_tokens(self, max_new_tokens: int) -> int:
        """A part's end-of-text ban, in tokens: its share of words or sentences, never more than a draft holds."""
        want = max(self.words * TOKENS_PER_WORD, self.sentences * TOKENS_PER_SENTENCE, 40)
        return int(min(want, max(16, max_new_tokens - ROOM)))

    def total_tokens(self) -> int:
        return self.n * int(max(self.words * TOKENS_PER_WORD, self.sentences * TOKENS_PER_SENTENCE, 40) + ROOM / 2)

    def describe(self) -> str:
        each = " and ".join(x for x in (f"{self.words} words" * bool(self.words),
                                         f"{self.sentences} sentences" * bool(self.sentences)) if x)
        if self.separator == TWO:
            return f"two responses written one after the other, each of at least {each}, separated by a ****** line"
        sep = {"\n\n": "blank lines", "\n***\n": "*** lines"}.get(self.separator, repr(self.separator))
        how = f"each opened by '{self.marker} <number>'" if self.marker else f"separated by {sep}"
        return (f"written part by part: an outline of {self.n} first sentences, then {self.n} parts"
                + (f" of at least {each}" if each else "") + f", {how}"
                + (f" (for: {'; '.join(self.why)})" if self.why else ""))


def parts_for(constraints: list, max_new_tokens: int) -> Parts | None:
    """The parts the prompt's long minimums call for, or None: 200+ words, 3+ paragraphs, 8+ sentences, or sections,
    in an open body (no list, JSON or chosen option) with no upper limit below the minimum."""
    by = {c.kind: c for c in constraints}
    if any(k in by for k in OTHER_BODIES):
        return None
    if "two_responses" in by:
        return two_responses(constraints)
    lo_w = hi_w = lo_s = hi_s = hi_p = 0
    fixed, least, sep, marker, why = 0, 0, "\n\n", "", []
    for c in constraints:
        rel, n = getattr(c, "rel", ""), getattr(c, "n", 0)
        low = n + (rel == "more_than") if rel in ("at_least", "more_than") else 0
        if c.kind == "word_count":
            if low:
                lo_w = max(lo_w, low)
            elif rel in ("at_most", "less_than", "exactly"):
                hi_w = n - (rel == "less_than")
        elif c.kind == "sentence_count" and low:
            lo_s = max(lo_s, low)
        elif c.kind == "sentence_count" and rel in ("at_most", "less_than", "exactly"):
            hi_s = n - (rel == "less_than")  # each part is at least a sentence
        elif c.kind == "paragraph_count" and rel in ("at_most", "less_than"):
            hi_p = n - (rel == "less_than")  # "at least 2 paragraphs, no more than 4": the parts stay under it
        elif c.kind == "paragraph_count" and c.wanted() >= MIN_PARAGRAPHS:
            fixed, least = (c.n, 0) if c.rel == "exactly" else (0, c.wanted())
            sep = "\n***\n" if c.separator else "\n\n"
            why.append(c.instruction().rstrip("."))
        elif c.kind == "sections" and c.n >= 2:
            fixed, marker = c.n, c.marker
            why.append(c.instruction().split(";")[0])
    if lo_w >= MIN_WORDS:
        why.append(f"at least {lo_w} words")
    if lo_s >= MIN_SENTENCES:
        why.append(f"at least {lo_s} sentences")
    if not why or (hi_w and hi_w < lo_w) or fixed > MAX_PARTS or (hi_p and hi_p < max(least, 2)):
        return None
    words_total = min(int(lo_w * 1.05), hi_w) if hi_w else int(lo_w * 1.05)  # a margin: a cut part holds fewer
    per_draft = max(1, int((max_new_tokens - ROOM) / TOKENS_PER_WORD))  # the most words one part can hold
    # under each paragraph's cap (capped, below) a part holds no more: more, smaller parts reach a minimum
    caps = [d["n"] for c in constraints if (d := c.part_limit()) and d["unit"] == "word"]
    per_draft = min([per_draft] + [int(n * 0.9) for n in caps if n >= MIN_PART_CAP["word"]])
    n = fixed or min(MAX_PARTS, hi_p or MAX_PARTS, max(least, math.ceil(words_total / min(WORDS_PER_PART, per_draft)),
                                                        math.ceil(lo_s / SENTENCES_PER_PART), 2))
    # a part is at least 40 tokens (min_tokens), about 28 words and two sentences, and runs on to its full stop:
    # under a cap below what n such parts hold ("three paragraphs, at most fifty words") parts would break it
    if (hi_s and hi_s < n * MIN_CAPPED_SENTENCES // 2) or (hi_w and hi_w < n * MIN_CAPPED_WORDS // 2):
        return None
    # each paragraph's least ("each paragraph has 4 to 6 sentences"): every part is written at least that long
    # (written to a quarter more, up to the paragraph's cap and a share of the answer's, and never short of it)
    floor = {u: max([0] + [d["n"] for c in constraints if (d := c.part_least()) and d["unit"] == u])
             for u in ("word", "sentence")} if sep == "\n\n" and not marker else {"word": 0, "sentence": 0}
    if (hi_w and n * floor["word"] > hi_w) or (hi_s and n * floor["sentence"] > hi_s):
        return None  # every paragraph's least and the answer's most cannot both hold as parts
    least = floor["word"]
    floor["word"] = min([math.ceil(least / 0.8)] + [c for c in caps if c >= least] + [hi_w // n] * bool(hi_w))
    return Parts(n, max(math.ceil(words_total / n) if lo_w else 0, floor["word"]),
                 max(math.ceil(lo_s / n) if lo_s else 0, floor["sentence"]), sep, marker, why, least)


def two_responses(constraints: list) -> Parts | None:
    """Two parts around ******: each response a paragraph of RESPONSE_WORDS words, or half of a word or sentence
    count the prompt gives (counted over the whole answer, as the checker counts them). None under a paragraph
    count or sections (the two responses' own structure is then not known) or an upper limit the parts cannot keep."""
    words_, sentences_ = RESPONSE_WORDS, 0
    for c in constraints:
        rel, n = getattr(c, "rel", ""), getattr(c, "n", 0)
        if c.kind in ("paragraph_count", "sections"):
            return None
        if c.kind in ("word_count", "sentence_count") and rel in ("at_most", "less_than", "exactly"):
            top = n - (rel == "less_than")
            # a part is at least 40 tokens (min_tokens), about 28 words and two sentences, and runs on to its full
            # stop: under these the two parts could not keep the limit
            if top < (MIN_CAPPED_WORDS if c.kind == "word_count" else MIN_CAPPED_SENTENCES):
                return None
            # room under the limit: a part runs past its share, to the end of its sentence
            words_ = min(words_, max(1, int(top * 0.8) // 2) if c.kind == "word_count" else max(8, top // 2 * 12))
        elif c.kind in ("word_count", "sentence_count") and rel in ("at_least", "more_than"):
            half = math.ceil((n + (rel == "more_than")) / 2)
            words_, sentences_ = (max(words_, math.ceil(half * 1.05)), sentences_) if c.kind == "word_count" \
                else (words_, max(sentences_, half))
    return Parts(2, words_, sentences_, TWO, "", ["two different responses"])


def first_draft(parts: Parts | None, max_new_tokens: int) -> bool:
    """Is the answer beyond what one draft holds, so that even the first draft is written part by part (a free draft
    known to fall short would spend a quarter of the budget on nothing)?"""
    return parts is not None and parts.total_tokens() > max_new_tokens


def grown(parts: Parts, short: float) -> Parts:
    """The parts for a redraft after one that fell `short` (needed / got, > 1) of a minimum: each part longer."""
    f = min(1.6, max(1.1, short))
    return replace(parts, words=math.ceil(parts.words * f), sentences=math.ceil(parts.sentences * f))


# ---- the outline ---------------------------------------------------------------------------------------------------
_LABEL = re.compile(r"^\s*(?:\*\*)?(?:(?:introduction|conclusion|body(?:\s+paragraph)?|paragraph|part|section|point|"
                    r"step|opening|closing)\s*\d*|[^.!?:\n]{1,30}?)\s*(?:\*\*)?\s*"
                    r"(?:[:\-–—]\s+|:\s*)(?:\*\*\s*)?", re.I)
_TITLED = r"(?<!\bDr)(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bSt)"  # "Dr." ends no sentence
_FIRST = re.compile(r"^.*?" + _TITLED + r"[.!?][\"”')]*(?=\s+[\"“(]?[A-Z])")


def opening(line: str, ruled: bool = False) -> str:
    """An outline line as a part's opening: its label dropped when a short one leads it ("Introduction - ",
    "Body Paragraph 2:"), and only its first sentence kept (the model writes on from there). A line written under a
    paragraph's rule (`ruled`) keeps its lead-in: "Today - the park opened" must keep "Today"."""
    line = re.sub(r"^\s*\d+[.)]\s*", "", line).strip()
    m = None if ruled else _LABEL.match(line)
    if m and len(words(m.group(0))) <= 4 and len(words(line[m.end():])) >= 4:
        line = line[m.end():].strip()
    line = re.sub(r"\*+(?=\S)|(?<=\S)\*+", "", line).strip()  # emphasis is the program's to render ("2 * 3" stays)
    first = _FIRST.match(line)
    if first:
        return first.group(0).strip()
    # a tail that ends no sentence ("… recycling! highlighted") goes: the part opens on whole sentences; a stop in
    # "Mr.", "U.S." or "3.5" is none, and a line that would keep under four words is kept whole
    ends = list(_STOP.finditer(line))
    cut = line[:ends[-1].end()] if ends else ""
    return (cut if len(words(cut)) >= 4 else line).strip()


_STOP = re.compile(_TITLED + r"(?<![A-Z])[.!?][\"”')]*(?=\s|$)")  # nor "U.S."


# "The first paragraph is about …": asked for first sentences, the model still writes lines about the answer for some
# requests; without these words it writes lines of the answer
OUTLINE_BANS = ["paragraph", "paragraphs", "section", "sections", "outline"]


def outline_request(chat: list[dict], parts: Parts, masks: DecodingConstraints, item: str = "") -> GenRequest:
    """The outline's request: `item` (GBNF rules, `Constraint.part_opening`) is the line every paragraph must open
    with, where the prompt says how ("open each paragraph with a question")."""
    noun = "sections" if parts.marker else "responses" if parts.separator == TWO else "paragraphs"
    ask = (f"\n\nBefore you write it, write only the first sentence of each of its {parts.n} {noun}, in order, "
           "one per line.")
    user = dict(chat[-1], content=chat[-1]["content"] + ask)
    grammar = ("root ::= " + " ".join(f'"{i}. " item "\\n"' for i in range(1, parts.n + 1))
               + "\n" + (item or "item ::= [^\\n#*0-9 -] [^\\n]{14,150}\n"))
    return GenRequest([*chat[:-1], user], max_new_tokens=parts.n * OUTLINE_TOKENS + 8,
                      constraints=replace(masks, grammar=grammar, no_repeat_ngram=4,
                                          banned_words=[*masks.banned_words, *OUTLINE_BANS]))


# "The first paragraph is about how …": a line about the answer, not of it (asked for first sentences, the model
# still writes these for some requests): as an opening it would put the outline's voice into the answer
_ABOUT = re.compile(r"^(?:the|this|my|our|in the)\s+(?:\w+\s+){0,2}(?:paragraph|section|part|point|sentence|essay|post|"
                    r"story|article|report|letter|introduction|conclusion)s?\b[^.!?]{0,20}?\b(?:is about|is|will|"
                    r"should|discuss|describe|explain|cover|talk|focus|introduce|summari[sz]e|highlight|outline|"
                    r"provide|explore|mention)", re.I)


def openings(text: str, ruled: bool = False) -> list[str]:
    """The outline's lines as openings; a line about the answer rather than of it, or one that copies an earlier
    line, is left out ('': its part opens freely, or under the paragraph's rule where there is one: `_part`)."""
    out: list[str] = []
    for line in text.splitlines():
        o = opening(line, ruled)
        out.append("" if not words(o) or _ABOUT.match(o) or junk(o) or copied(o, " ".join(out), 0.6) else o)
    return out


# ---- the parts -----------------------------------------------------------------------------------------------------
START = 'root ::= [A-Z"“(] [^\\n]{0,40}'  # the capital start of a part with no opening (a few tokens)
START_TOKENS = 3
TITLE = 'root ::= "<<" [^<>\\n]{3,60} ">>"'  # a title the prompt asks for, before the parts (as the scaffold's)
TITLE_TOKENS = 24


def short(part: str, parts: Parts) -> bool:
    return len(words(part)) < max(0.8 * parts.words, parts.least) or len(sentences(part)) < parts.sentences


def messages(prompt: str, task: str | None, plan: Plan) -> list[dict]:
    """The parts' chat: the request and the plan's instructions, never the draft before (it would not fit beside the
    new one in a 2,048-token context)."""
    return draft_messages(prompt, task or "general", plan if plan.instructions else None, None, False)


def literals(plan: Plan, dc: DecodingConstraints) -> DecodingConstraints:
    """`dc` with the separators and markers the program laid down, as a grammar's top rule lists them, so that the
    share of the answer the model wrote counts them as the program's (scaffold.program_chars)."""
    p = Parts.from_dict(plan.parts)
    laid = [p.separator] * bool(p.separator.strip()) + [f"{p.marker} {k}\n" for k in range(1, p.n + 1) if p.marker]
    return replace(dc, grammar="root ::= " + " ".join(json.dumps(x) for x in laid) if laid else "")


def capped(masks: DecodingConstraints, constraints, parts: Parts, text: str, lead: str) -> DecodingConstraints:
    """`masks` with each paragraph's limit ("each paragraph has at most 60 words") as a limit on the part about to be
    written after `text`, opened by `lead`. Limits count from the answer's start (counting.py): the cap plus what is
    before the part's paragraph (its opening sentence from the outline is its own; after a start phrase, the phrase
    opens the paragraph). Only where parts are blank-line paragraphs: with *** or a marker line the checker reads the
    answer's paragraphs otherwise."""
    if parts.separator != "\n\n" or parts.marker:
        return masks
    before = text if lead else text[:text.rfind("\n\n") + 2] if "\n\n" in text else ""
    extra = []
    for c in constraints or []:
        cap = c.part_limit()
        if cap and cap["n"] >= MIN_PART_CAP[cap["unit"]]:
            extra.append({"unit": cap["unit"], "n": len((words if cap["unit"] == "word" else sentences)(before))
                          + cap["n"]})
    return replace(masks, limits=[*masks.limits, *extra]) if extra else masks


def write(ctx, plan: Plan, req: GenRequest, iteration: int) -> Iterator:
    """Draft `iteration` written part by part as `plan.parts` says; yields Outlined, DraftToken (one per part: a part
    may be drawn twice, so it is shown once kept) and DraftDone, and leaves the Generation in ctx.last_generation."""
    t0 = time.perf_counter()
    parts = Parts.from_dict(plan.parts)
    backend, cancel = ctx.drafter, ctx.cancel
    dc = req.constraints
    masks = DecodingConstraints(banned_chars=dc.banned_chars, banned_words=dc.banned_words,
                                lowercase_only=dc.lowercase_only, uppercase_only=dc.uppercase_only,
                                limits=dc.limits)  # counted from the answer's start: the parts before are in it
    chat = req.messages
    left = ctx.budget_left()
    # (not under a case mask: the openings are written in sentence case)
    item = next((o for c in ctx.constraints or [] if (o := c.part_opening())), "") \
        if parts.separator == "\n\n" and not parts.marker and not (masks.lowercase_only or masks.uppercase_only) else ""
    o_req = replace(outline_request(chat, parts, masks, item), temperature=req.temperature, seed=req.seed,
                    repetition_penalty=req.repetition_penalty)
    lines, o_tokens = [], 0
    room = None if left is None else left - backend.count_prompt_tokens(o_req) - parts.total_tokens()
    if room is None or room >= parts.n * OUTLINE_EXPECTED:  # an outline only where the parts can still be paid for
        if room is not None:
            o_req.max_new_tokens = min(o_req.max_new_tokens, room)
        o = backend.generate(o_req, cancel)
        o_tokens = o.total_tokens
        lines = openings(o.text, ruled=bool(item)) if o.finish_reason != "cancelled" else []
        ctx.tokens += o_tokens
        left = None if left is None else left - o_tokens
    yield Outlined(iteration, parts.to_dict(), lines, o_tokens, parts.describe())
    text, spent_prompt, spent_out, reason = dc.forced_prefix, 0, 0, "stop"
    if not text and any(c.kind == "title" for c in ctx.constraints or []):  # a <<title>> first, in the model's words
        t = backend.generate(replace(req, messages=chat, max_new_tokens=TITLE_TOKENS,
                                     constraints=replace(masks, grammar=TITLE, limits=[])), cancel)
        spent_prompt, spent_out = t.prompt_tokens, t.completion_tokens
        text = t.text.strip() + "\n\n" if t.text.strip().endswith(">>") else ""
        if left is not None:
            left -= t.total_tokens
    if text:
        yield DraftToken(iteration, text)
    for k in range(parts.n):
        if k == 0 and dc.forced_prefix and not parts.marker:
            # after a start phrase (the plan's forced prefix) the model goes on from it; where every paragraph must
            # open as a rule says, on the outline's first line
            first = lines[0] if item and lines and lines[0] else ""
            lead = (" " if first and not dc.forced_prefix[-1:].isspace() and dc.forced_prefix[-1:] not in "\"'“(["
                    else "") + first
        else:
            sep = parts.separator if text.strip() and not text.endswith("\n") else ""  # none after the title's line
            lead = sep + (f"{parts.marker} {k + 1}\n" if parts.marker else "") + (lines[k] if k < len(lines) else "")
        got, cost, why = _part(ctx, backend, chat, capped(masks, ctx.constraints, parts, text, lead), parts, text,
                               lead, req, k, left, iteration, item)
        spent_prompt, spent_out = spent_prompt + cost[0], spent_out + cost[1]
        if left is not None:
            left -= sum(cost)
        if got is None:
            reason = why
            break
        yield DraftToken(iteration, got[len(text):])
        text = got
    if dc.suffix or dc.suffix_end:  # the plan's end phrase or P.S. marker, laid down after the last part
        tail = (dc.suffix + dc.suffix_end).rstrip() if not dc.suffix_slot else dc.suffix.rstrip() + dc.suffix_end
        text += tail
        yield DraftToken(iteration, tail)
    ctx.tokens += spent_prompt + spent_out
    gen = Generation(text, spent_prompt, spent_out, "cancelled" if cancel.is_set() else reason,
                     round(time.perf_counter() - t0, 3))
    ctx.last_generation = gen
    yield DraftDone(iteration, gen.text, gen.prompt_tokens, gen.completion_tokens, gen.seconds, gen.finish_reason)


def _part(ctx, backend, chat, masks, parts: Parts, text: str, lead: str, req: GenRequest, k: int,
          left: int | None, iteration: int = 1, item: str = "") -> tuple[str | None, tuple[int, int], str]:
    """Part `k` after `text`, opened by `lead`: (the text with it, or None; (prompt, completion) tokens spent; why
    it stopped). With no opening and an `item` (every paragraph opens as a rule says), the part's start is written
    under the item, as the outline's lines are."""
    cancel = ctx.cancel
    cached = backend.count_prompt_tokens(GenRequest(chat, constraints=DecodingConstraints(forced_prefix=text)))
    cached = cached if text else 0  # the first part's prompt is new to the engine
    spent = [0, 0]
    cap = ctx.config.max_new_tokens
    # greedy first (sampled, later parts drifted: a blind reader found sampled parts off topic), then once sampled
    # (seeded: a run stays reproducible) when greedy walked back into what the parts before it said; a later draft
    # draws with other seeds (the same seeds wrote the same unusable part again, draft after draft)
    draws = [(req.temperature, req.seed)] + [
        (max(t, req.temperature), ctx.config.seed + 1000 * (k + 1) + 100 * (iteration - 1) + j)
        for j, t in enumerate(SAMPLED)]
    head = text + lead
    opener = lead.split("\n")[-1]
    for temp, seed in draws:
        body = ""
        # a part with no opening starts on a capital: left free after the blank line, the model went on with the
        # sentence the part before was cut in ("of chemicals from industrial sources …": a reader's "mid-sentence")
        step = 0 if opener or masks.lowercase_only else -1
        while step < 2:  # (a capital start,) the part, then once more if it came out short
            start = step < 0
            need = 0 if start else parts.min_tokens(cap) if not step else max(16, parts.min_tokens(cap) // 2)
            step += 1
            prefix = head + body
            # no line break (a part is one paragraph), and no asterisk where the separators are asterisks: the model
            # wrote " *** " inside its parts, which the checker counts as more paragraphs (a highlight is rendered)
            banned = [*masks.banned_chars, "\n"] + (["*"] if "*" in parts.separator else [])
            c = replace(masks, forced_prefix=prefix, min_new_tokens=need, banned_chars=banned,
                        no_repeat_ngram=4, grammar=(("root ::= item\n" + item) if item else START) if start else "")
            r = GenRequest(chat, max_new_tokens=(OUTLINE_TOKENS if item else START_TOKENS) if start else need + ROOM,
                           temperature=temp,
                           seed=seed, constraints=c, repetition_penalty=req.repetition_penalty)
            fed = backend.count_prompt_tokens(r)
            if fed + r.max_new_tokens > backend.context_length:
                return None, tuple(spent), "length"  # the answer fills the model's context
            if left is not None and left - sum(spent) < max(fed - cached, 0) + need + 16:
                return None, tuple(spent), "budget"
            if cancel.is_set():
                return None, tuple(spent), "cancelled"
            g = backend.generate(r, cancel)
            spent[0] += max(0, g.prompt_tokens - cached)
            spent[1] += g.completion_tokens
            cached = g.prompt_tokens + g.completion_tokens  # about what the engine's cache holds now
            new = g.text[len(prefix):] if g.text.startswith(prefix) else ""
            if start:
                body = new.lstrip()
                if not body:
                    break
                continue
            new = whole(new)
            new = new[:len(new) - len(new.lstrip())] + unrepeated(new.lstrip(), head + body)  # repeats go
            if not new.strip():
                break
            body += new if body or opener else new.lstrip()  # a part with no opening starts on its first word
            if not short(opener + body, parts):
                break
        if PART_END.search(body) and usable(opener + body, text, masks.lowercase_only):
            return head + body, tuple(spent), "stop"
    return None, tuple(spent), "stop"  # three draws copied or were debris: the answer ends before this part
