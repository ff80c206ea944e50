"""Can a plan be decoded at all? Its grammar and its bans must leave at least one text to write.

A plan can carry a grammar (a scaffold: one of the options, SECTION headers, a first word…) and bans (words,
characters, letter case) that no text can satisfy together: "Answer with one of ("a", "b"). Do not use the words a
or b." llama.cpp's grammar sampler, left with no token, aborts the whole process. So before a plan is decoded,
`search` looks for one text the grammar admits and no ban forbids, and `make_decodable` relaxes the lowest-priority
ban (else the grammar) until there is one, saying which constraints could not both hold.

The search walks the grammar one character at a time with llguidance (a tokenizer of 256 bytes), so it decides about
the text, as the rules see it — a banned word is banned as a whole word in any letter case — not about one model's
tokens. States at the same depth that allow the same next characters and hold the same unfinished (possibly banned)
word count as one: the walk then visits a few states per character of depth, not a number exponential in it. Found:
a text. None: there is no such text. Unknown (the budget ran out): the plan stands, and the model process boundary is
the last line of defence.
"""
from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, replace
from functools import lru_cache

from irg.engine.decoding import DecodingConstraints

BUDGET = 20_000  # states visited before the search gives up (a grammar of ours needs a few hundred)
MAX_DEPTH = 20_000  # characters along one path
RUN_CAP = 32  # free characters after a literal that still tell states apart (a slot's minimum length is below this)
SECONDS = 1.0  # one search's time; make_decodable's searches share LET_GO_SECONDS
FREE_SET, FREE_CHOICES = 32, 18  # a state allowing 32+ characters is free text: the first 18 in _ORDER (the
# punctuation that closes slots and structures, a space, a letter, a digit) stand for all of them
MAX_GRAMMAR_CHARS = 40_000  # a larger grammar is refused outright (Bounded work)
# Characters tried first: the ones that end slots and structures, so the walk finds a short text quickly.
_ORDER = b"\n.!?\"')]}>*:- ,;x0123456789abcdefghijklmnopqrstuvwyzABCDEFGHIJKLMNOPQRSTUVWXYZ#$%&(+/<=@[\\^_`{|~\t"
_RANK = {b: i for i, b in enumerate(_ORDER)}

_tok = None
_tok_lock = threading.Lock()


def _byte_tokenizer():
    """llguidance's view of a tokenizer whose tokens are the 256 bytes (and an end-of-text)."""
    global _tok
    with _tok_lock:
        if _tok is None:
            import llguidance
            from llguidance._tokenizer import TokenizerWrapper

            class Bytes:
                eos_token_id, bos_token_id, special_token_ids = 256, None, [256]
                tokens = [bytes([i]) for i in range(256)] + [b"<eos>"]

                def __call__(self, s):
                    return list(s.encode("utf-8") if isinstance(s, str) else s)

            _tok = llguidance.LLTokenizer(TokenizerWrapper(Bytes()))
        return _tok


@dataclass
class Verdict:
    found: bool | None  # True: `example` is such a text; False: there is none; None: the budget ran out
    example: str = ""
    reason: str = ""


class _Bans:
    """The bans of a plan, as the rules read them, applied character by character."""

    def __init__(self, dc: DecodingConstraints):
        self.chars = set(dc.banned_chars)
        self.lower, self.upper = dc.lowercase_only, dc.uppercase_only
        words = [w.lower() for w in dc.banned_words if w.strip()]
        # One-word bans are looked up in a set (a prompt may ban thousands); phrases ("ice cream") by pattern.
        self.singles = {w for w in words if re.fullmatch(r"\w+", w)}
        self.patterns = [re.compile(rf"(?<!\w){re.escape(w)}(?!\w)", re.I) for w in words if w not in self.singles]
        self.prefixes = {w[:i] for w in words for i in range(1, len(w) + 1)}
        self.longest = max((len(w) for w in words), default=0)

    def char_ok(self, ch: str) -> bool:
        return not (ch in self.chars or (self.lower and ch.isupper()) or (self.upper and ch.islower()))

    def words_ok(self, text: str) -> bool:
        """No banned word ends in the text's tail (checked as each word ends, and at the end of the text)."""
        tail = text[-(self.longest + 3):]
        last = re.search(r"(\w+)\W?$", tail)
        # a word that reaches the window's start is longer than any banned word, whether or not the window cut it
        if last and len(last.group(1)) <= self.longest and last.group(1).lower() in self.singles:
            return False
        return not any(p.search(tail) for p in self.patterns)

    def partial(self, text: str) -> str:
        """The unfinished word at the end, if it could still become a banned word (else nothing to remember)."""
        m = re.search(r"\w+$", text[-(self.longest + 1):]) if self.longest else None
        w = m.group(0).lower() if m else ""
        return w if w in self.prefixes else ""


@lru_cache(maxsize=4096)
def _candidates(mask: bytes) -> tuple[int, ...]:
    """The bytes a mask allows, in the order the walk tries them."""
    allowed = [b for b in range(256) if mask[b >> 3] >> (b & 7) & 1]
    return tuple(sorted(allowed, key=lambda b: _RANK.get(b, 200 + b)))


def _word_char(b: int) -> bool:
    return b >= 0x80 or chr(b).isalnum() or b == ord("_")


def _unescape(literal: str) -> str:
    """A GBNF string literal's text ("\\n" is a line break)."""
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), literal)


def word_piece_only(m) -> bool:
    """Is this a place where only a lowercase letter may come next (after "don'" in a word with an apostrophe)? Under
    whole words no token may start with one: a model whose last token ended here has nothing left to write, and
    llama.cpp aborts."""
    allowed = _candidates(m.compute_bitmask())
    return bool(allowed) and all(0x61 <= b <= 0x7A for b in allowed) and not m.is_accepting()


def _literals(grammar: str):
    """(the characters the grammar's literals spell, a function giving the longest end of a text that begins one)."""
    # literals side by side (" " "Stay tuned.") are one: a text is into it only from its first character. Read token
    # by token, so that a class holding a quotation mark (["'(]) or a literal holding a bracket ("[") misleads neither
    literals, run, last = [], [], None
    for t in re.finditer(r'"((?:[^"\\\n]|\\.)*)"|\[(?:[^\]\\\n]|\\.)*\]|\S', grammar):
        joined = t.group(1) is not None and run and not grammar[last:t.start()].strip()
        if t.group(1) is None or not joined:
            if run:
                literals.append("".join(run))
            run = []
        if t.group(1) is not None:
            run.append(_unescape(t.group(1)))
        last = t.end()
    if run:
        literals.append("".join(run))
    spelled = {b for lit in literals for b in lit.encode() if b < 0x80}
    begun = {lit[:i] for lit in literals for i in range(1, len(lit) + 1)}  # how far into a literal a text may be
    longest = max(map(len, literals), default=0)

    def into_literal(t: str) -> str:
        """The longest end of `t` that begins a literal: with it, a space written as text and the space that opens a
        closing phrase are two states, as they are to the matcher (whose masks alone may not tell them apart)."""
        return next((t[-k:] for k in range(min(len(t), longest), 0, -1) if t[-k:] in begun), "")

    return spelled, into_literal


def search(grammar: str, dc: DecodingConstraints | None = None, budget: int = BUDGET,
           seconds: float = SECONDS, goal=None) -> Verdict:
    """Look for one text that `grammar` (GBNF) admits and that breaks none of `dc`'s bans. False only when the walk
    was complete; a walk cut short (by the state budget, the time or the depth limit) says None: unknown. `goal`
    (a test of the matcher's state, such as `word_piece_only`) looks for a prefix that reaches such a state instead.

    A walk that found none is walked again, told the grammar's literals: free text that must close on a phrase
    ("... Stay tuned.") reaches it only through the phrase's letters, which the first walk's few free choices and
    merged states miss. Only a text found counts from the second walk: told the literals, a walk that must prove
    there is none takes ten times the states (a six-part scaffold with a banned word: unknown after a second, where
    the first walk proves it in a tenth)."""
    first = _walk(grammar, dc, budget, seconds, goal, aware=False)
    if first.found is False and "not valid" not in first.reason and '"' in grammar:
        again = _walk(grammar, dc, budget, seconds / 2, goal, aware=True)
        if again.found:
            return again
    return first


def _walk(grammar: str, dc: DecodingConstraints | None, budget: int, seconds: float, goal, aware: bool) -> Verdict:
    import llguidance

    if len(grammar) > MAX_GRAMMAR_CHARS:
        return Verdict(False, reason=f"the grammar is {len(grammar):,} characters (at most {MAX_GRAMMAR_CHARS:,})")
    try:
        m = llguidance.LLMatcher(_byte_tokenizer(), llguidance.grammar_from("gbnf", grammar))
    except (ValueError, RuntimeError) as e:
        return Verdict(False, reason=f"the grammar is not valid ({str(e).splitlines()[0][:120]})")
    if m.is_error():
        return Verdict(False, reason=f"the grammar is not valid ({m.get_error().splitlines()[0][:120]})")
    bans = _Bans(dc or DecodingConstraints())
    buf = bytearray()

    def done() -> bool:
        if goal is not None:
            return goal(m)
        return m.is_accepting() and bans.words_ok(buf.decode("utf-8", "ignore"))

    if done():
        return Verdict(True, "")
    # A frame per depth: [bytes still to try there, literal characters before it, is this a literal, free characters
    # since the last literal]. Two states count as one when they allow the same next characters, hold the same
    # unfinished (maybe banned) word, follow the same number of literal characters (ones that were the only choice)
    # and the same number of free ones up to RUN_CAP: free text of any length between two literals is then a few
    # states, and the walk stays short even when it must prove that no text exists.
    # the characters of the grammar's literals: free text that must close on a phrase ("... night") reaches it only
    # through them, so the walk tries them in free text too
    spelled, into_literal = _literals(grammar) if aware else (set(), lambda t: "")

    def choices(mask: bytes) -> list[int]:
        """What to try next. Where the grammar allows almost anything (free text), the first FREE_CHOICES in the
        walk's order stand for all the rest, with the characters its literals spell: which other letter fills a slot
        never decides whether a later literal fits."""
        out = [b for b in _candidates(mask) if b >= 0x80 or bans.char_ok(chr(b))]
        if len(out) < FREE_SET:
            return out
        return out[:FREE_CHOICES] + [b for b in out[FREE_CHOICES:] if b in spelled]

    first = choices(m.compute_bitmask())
    stack: list[list] = [[first, 0, len(first) == 1, 0]]
    seen: set = set()
    t_end = time.monotonic() + seconds
    cut = False  # some path went deeper than MAX_DEPTH: an exhausted walk then proves nothing
    while stack:
        todo, n_lit, forced, run = stack[-1]
        if not todo:  # nothing left to try here: back up one character
            stack.pop()
            if buf:
                m.rollback(1)
                buf.pop()
            continue
        b = todo.pop(0)
        if b < 0x80 and not bans.char_ok(chr(b)):
            continue
        if not m.consume_token(b):
            continue
        buf.append(b)
        t = buf.decode("utf-8", "ignore")
        ok = (b >= 0x80 or bans.char_ok(t[-1:])) and (_word_char(b) or bans.words_ok(t))  # a word just ended
        mask = m.compute_bitmask()
        run = 0 if forced else min(run + 1, RUN_CAP)
        key = (n_lit + forced, run, mask, bans.partial(t), m.is_accepting(), into_literal(t))
        if not ok or key in seen or len(buf) > MAX_DEPTH:
            cut = cut or (ok and len(buf) > MAX_DEPTH)
            m.rollback(1)
            buf.pop()
            continue
        seen.add(key)
        if done():
            return Verdict(True, t)
        if len(seen) > budget or time.monotonic() > t_end:
            return Verdict(None, reason=f"no answer after {len(seen):,} states")
        nxt = choices(mask)
        stack.append([nxt, n_lit + forced, len(nxt) == 1, run])
    if cut:
        return Verdict(None, reason=f"every text the walk found is longer than {MAX_DEPTH:,} characters")
    return Verdict(False, reason="no text the grammar admits avoids the banned words, characters or letter case")


# ---- relaxing a plan that cannot be decoded ------------------------------------------------------------------------
BAN_FIELDS = ("lowercase_only", "uppercase_only", "banned_chars", "banned_words")


@dataclass(frozen=True)
class LetGo:
    """One thing a plan gives up so that it can be decoded: a ban (field and value) or the grammar (field only)."""

    field: str  # lowercase_only | uppercase_only | banned_chars | banned_words | grammar | whole_words
    value: str = ""
    label: str = ""

    def apply(self, dc: DecodingConstraints) -> DecodingConstraints:
        cur = getattr(dc, self.field)
        if isinstance(cur, list):
            return replace(dc, **{self.field: [x for x in cur if x != self.value]})
        if self.field == "grammar":  # whole words were for the grammar that counts words: they go with it
            return replace(dc, grammar="", whole_words=False)
        return replace(dc, **{self.field: type(cur)()})


def _bans_of(dc: DecodingConstraints) -> list[LetGo]:
    """Each single ban, lowest priority first: letter case (rendering can apply it after the draft), then
    characters, then words."""
    out = [LetGo("lowercase_only", label="lowercase only")] if dc.lowercase_only else []
    out += [LetGo("uppercase_only", label="capital letters only")] if dc.uppercase_only else []
    out += [LetGo("banned_chars", ch, f"the character {ch!r}") for ch in dc.banned_chars]
    out += [LetGo("banned_words", w, f"the word {w!r}") for w in dc.banned_words]
    return out


_decided: dict[str, list[LetGo]] = {}  # a run plans the same constraints again and again
_decided_lock = threading.Lock()


def make_decodable(dc: DecodingConstraints) -> tuple[DecodingConstraints, list[LetGo]]:
    """`dc` if its grammar leaves a text to write; else `dc` with as few bans dropped as it takes (or, if no ban is to
    blame, without its grammar). Returns the constraints and what was let go ([] if nothing)."""
    if not dc.grammar:
        return dc, []
    key = repr(dc)
    with _decided_lock:
        got = _decided.get(key)
    if got is None:
        got = _let_go(dc)
        with _decided_lock:
            if len(_decided) > 512:
                _decided.clear()
            _decided[key] = got
    for lg in got:
        dc = lg.apply(dc)
    return dc, got


LET_GO_SECONDS = 2.0


def _let_go(dc: DecodingConstraints) -> list[LetGo]:
    if dc.whole_words and search(dc.grammar, goal=word_piece_only).found:
        # a grammar with a place only a word piece can fill: whole words would leave llama.cpp no token there
        return [LetGo("whole_words", label="whole words (the grammar has a place only a piece of a word can fill)")]
    if search(dc.grammar, dc).found is not False:
        return []
    alone = search(dc.grammar)
    if alone.found is False:  # the grammar alone admits nothing: no ban is to blame
        return [LetGo("grammar", label=f"the grammar ({alone.reason})")]
    bans = _bans_of(dc)
    t_end = time.monotonic() + LET_GO_SECONDS
    for lg in bans:
        relaxed = lg.apply(dc)
        if time.monotonic() > t_end:
            break  # no time to find the one: all of them go (the grammar alone leaves a text)
        if search(relaxed.grammar, relaxed, seconds=max(0.05, t_end - time.monotonic())).found is True:
            return [lg]
    return bans  # no single ban is to blame: all of them go, and the structure (which alone leaves a text) stays
