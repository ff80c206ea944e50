"""Upper limits counted while the model writes (issue 38): at most N of a letter, at most N of a word (N = 0: a
banned word), in any case and however the word is split into tokens, on every engine.

A mask alone cannot count, and it cannot see a word in pieces: banning the letter i bans it from the first token on,
and a banned word's mask covers only its forms that are one token ("flea", " Flea"), so the model still wrote
"FleaFlea", or " fle" + "a". Here the answer is written in segments (`DecodingConstraints.limits`):

  - each segment stops at the next occurrence of a limited letter or word (stop strings: every case form of it);
  - the occurrence is counted. The count starts from the text already fixed: the forced prefix, which holds a
    scaffold's text, the parts before (parts.py) or the draft a fill continues (fill.py);
  - within its limit the occurrence stays and the next segment goes on after it; once a limit is reached, the next
    segments write under its mask (no token holding the letter; the word's one-token forms banned);
  - past its limit (a word written in pieces, a letter inside the token that held an allowed one) the text is taken
    back to where that word began, and that one position is written again with every token that could start the
    word banned, then the writing goes on.

Lengths are counted too ({"unit": "sentence", "n": 5}, {"unit": "word", "n": 80}; the checker's own sentences and
words, from the start of the text): a segment stops at each sentence end (sentences) or after about the words still
allowed (words), and once the text is past a length, it is cut after its last sentence that fits and the answer ends
there, written by the model and never over. A sentence not yet ended is not shown until it ends, as it may be cut.

Segments continue the same request, so the engine's prompt cache holds the text before them: each costs the tokens
it writes and the few its prompt adds. A grammar cannot be split into segments (it would start again at each), so a
request with a grammar keeps only the masks.
"""
from __future__ import annotations

import re
import threading
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Iterator

from irg.engine.constraints.shorten import END_MARK, cut_to
from irg.engine.constraints.text import WORD, sentences, words
from irg.engine.decoding import DecodingConstraints, limit_key

if TYPE_CHECKING:  # only for the annotations
    from irg.engine.backends import GenerationStream, GenRequest

MAX_SEGMENTS = 48  # stops at occurrences; after this many the segments run free of them (the masks still hold)
_LEFT = r"(?<![A-Za-z])"  # a word counts where it starts a word: "FleaFlea" holds one "flea" at its start


ENDS = [". ", "! ", "? ", "\n"]  # where the checker's sentences end (constraints/text.sentences): stops for sentences
_END = re.compile(END_MARK + r"(?=\s)|\n")  # as shorten.cut_to cuts (not at the text's end: more may follow)


def is_length(limit: dict) -> bool:
    """A limit on the whole text's sentences or words (the others count a letter or a word)."""
    return "unit" in limit


def units(limit: dict, text: str) -> list[str]:
    """The sentences or words of `text` a length limit counts."""
    return (sentences if limit["unit"] == "sentence" else words)(text)


def leave_room(limits: list[dict], laid: str, slot: int) -> list[dict]:
    """A body's limits when the program lays `laid` after it (an end phrase, a P.S. mark) and the model then writes
    a line of up to `slot` tokens (the P.S.): the answer's lengths less what those take (the line: a sentence, or
    the words its tokens hold), so that the whole answer keeps them."""
    out = []
    for x in limits:
        if "unit" in x:
            line = (1 if x["unit"] == "sentence" else int(slot / 1.4)) if slot else 0
            x = dict(x, n=max(1, x["n"] - len(units(x, laid.strip())) - line))
        out.append(x)
    return out


def fits(limits: list[dict], text: str) -> bool:
    """Does `text` keep every length limit?"""
    return all(len(units(lim, text)) <= lim["n"] for lim in limits)


def within(limits: list[dict], text: str, base: int) -> str:
    """`text` cut after its last sentence that keeps the length limits, never inside the fixed text (its first
    `base` characters); with no such sentence, after its last word that does (a first sentence longer than the whole
    limit)."""
    fixed = text[:base]
    out = cut_to(text, lambda t: fits(limits, t))
    if fits(limits, out) and len(out) >= len(fixed.rstrip()):
        return out if len(out) >= base else fixed
    best = fixed
    for m in WORD.finditer(text):  # the checker's words
        if m.end() <= base:
            continue
        if not fits(limits, text[:m.end()]):
            break
        best = text[:m.end()]
    return best


def shown_upto(limits: list[dict], text: str) -> int:
    """How much of `text` may be shown: all of it, or under a length limit up to its last sentence end, without the
    line break after it (what follows may still be cut, and a cut keeps no trailing space)."""
    if not limits:
        return len(text)
    ends = [m.start() if m.group(0) == "\n" else m.end() for m in _END.finditer(text)]
    return ends[-1] if ends else 0


def room(limits: list[dict], text: str, left: int) -> int:
    """Tokens for the next segment: under a word limit, about the words still allowed (1.4 tokens a word and a few
    more, so that a segment ends near the limit and the next goes on from there); else all that is left."""
    caps = [int(1.4 * max(0, lim["n"] - len(words(text)))) + 4 for lim in limits if lim["unit"] == "word"]
    return min([left, *caps])


def _pattern(limit: dict) -> re.Pattern:
    if "letter" in limit:
        return re.compile(re.escape(limit["letter"]), re.I)
    return re.compile(_LEFT + re.escape(limit["word"]), re.I)


def count(limit: dict, text: str) -> int:
    """How often the text holds the limited letter or word (any case; a word where a word starts)."""
    return len(_pattern(limit).findall(text))


def forms(limit: dict) -> list[str]:
    s = limit.get("letter") or limit["word"]
    return list(dict.fromkeys([s, s.lower(), s.upper(), s.capitalize()]))


def over(limits: list[dict], text: str) -> tuple[dict, int] | None:
    """The first limit `text` breaks and where the occurrence past it starts, or None."""
    worst = None
    for lim in limits:
        hits = list(_pattern(lim).finditer(text))
        if len(hits) > lim["n"] and (worst is None or hits[lim["n"]].start() < worst[1]):
            worst = (lim, hits[lim["n"]].start())
    return worst


def word_start(text: str, i: int) -> int:
    """Where the word holding position i begins, the spaces before it included: the model writes its next word
    with its own space, as its tokens hold one (" cat"), never after a space left in its prompt."""
    while i > 0 and (text[i - 1].isalnum() or text[i - 1] in "'’-"):
        i -= 1
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    return i


def starts(word: str) -> list[str]:
    """What a token that could start `word` holds: each of its beginnings (banned in every case, with and without
    a space, for one position)."""
    w = word.lower()
    return [w[:k] for k in range(1, len(w) + 1)]


def masks_for(c: DecodingConstraints, text: str, reached: set = frozenset()) -> DecodingConstraints:
    """`c`'s masks plus those of every limit `text` has reached (or that was written past once: `reached`)."""
    full = [lim for lim in c.limits
            if not is_length(lim) and (count(lim, text) >= lim["n"] or limit_key(lim) in reached)]
    chars = [x for lim in full if "letter" in lim for x in (lim["letter"].lower(), lim["letter"].upper())]
    return replace(c, banned_chars=list(dict.fromkeys([*c.banned_chars, *chars])),
                   banned_words=list(dict.fromkeys([*c.banned_words, *(lim["word"] for lim in full if "word" in lim)])))


def pieces(req: "GenRequest", cancel: threading.Event, stream: "GenerationStream", inner, kinds) -> Iterator[str]:
    """The request written in segments that keep its limits; the Generation is left in `stream.result`. `inner`:
    how one segment is written (the backend's own `_pieces`); `kinds`: the backends' (GenerationStream,
    Generation) classes, passed in so that this module imports no backend."""
    GenerationStream, Generation = kinds
    t0 = time.perf_counter()
    c = req.constraints
    lengths = [lim for lim in c.limits if is_length(lim)]
    counted = [lim for lim in c.limits if not is_length(lim)]
    text, base = c.forced_prefix, len(c.forced_prefix)
    if text:
        yield text
    shown = base  # what has been streamed: under a length limit, never a sentence that may still be cut
    prompt_tokens = completion = cached = 0
    reason, word, ban_here, tries = "stop", "", [], 0
    reached: set = set()

    def segment(sc: DecodingConstraints, n: int):
        s = GenerationStream(lambda: inner(replace(req, constraints=sc, max_new_tokens=n), cancel, s), cancel)
        for _ in s:
            pass
        return s.result

    for seg in range(2 * MAX_SEGMENTS):
        left = req.max_new_tokens - completion
        if left <= 0 or cancel.is_set():
            reason = "cancelled" if cancel.is_set() else "length"
            break
        stops = [f for lim in counted for f in forms(lim)] if seg < MAX_SEGMENTS else []
        if seg < MAX_SEGMENTS and any(lim["unit"] == "sentence" for lim in lengths):
            stops += ENDS
        sc = replace(masks_for(c, text, reached), limits=[], forced_prefix=text,
                     stop_strings=list(dict.fromkeys([*c.stop_strings, *stops])),
                     min_new_tokens=max(0, c.min_new_tokens - completion))
        if ban_here:  # where a word past its limit began: one token, none that could start the word
            sc = replace(sc, banned_words=list(dict.fromkeys([*sc.banned_words, *ban_here])), stop_strings=[])
        cap = 1 if ban_here else room(lengths, text, left)
        g = segment(sc, cap)
        completion += g.completion_tokens
        prompt_tokens += max(0, g.prompt_tokens - cached)
        cached = g.prompt_tokens + g.completion_tokens  # about what the engine's cache holds now
        new = g.text[len(text):] if g.text.startswith(text) else ""
        if ban_here:
            tok = new.strip().lower()
            if tok and (word.startswith(tok) or tok.startswith(word)) and tries < 4:
                ban_here.append(tok)  # a token the list did not foresee (" fleas"): banned too, the position again
                tries += 1
                continue
            ban_here, tries = [], 0
        hit = None if ban_here else over(counted, text + new)
        past = hit is not None and hit[1] >= base  # past a counted letter or word: back to where its word began
        if past:
            new = (text + new)[len(text):max(len(text), word_start(text + new, hit[1]))]
        if lengths and not fits(lengths, text + new):  # past a length: its last sentence that fits, and the end
            text, reason = within(lengths, text + new, base), "stop"
            break
        text += new
        if (out := text[shown:shown_upto(lengths, text)]) and len(text) > shown:
            yield out
            shown += len(out)
        if past:
            lim = hit[0]
            if "word" in lim:
                word, ban_here = lim["word"].lower(), starts(lim["word"])
            else:
                reached.add(limit_key(lim))  # two in one token: the letter is spent
            continue
        own = any(x in new for x in c.stop_strings)
        if g.finish_reason == "stop_string" and stops and not own:
            continue  # an allowed occurrence, counted: go on after it
        if g.finish_reason == "length" and cap < left and g.completion_tokens >= cap:
            continue  # a segment's own share (a word limit's, the one position of a word past its limit), not the
            # answer's tokens, nor the engine's context
        reason = g.finish_reason
        break
    if lengths and not fits(lengths, text):  # the tokens ran out past a length
        text = within(lengths, text, max(base, shown))
    if text[shown:]:
        yield text[shown:]
    stream.result = Generation(text, prompt_tokens, completion, reason, round(time.perf_counter() - t0, 3))
