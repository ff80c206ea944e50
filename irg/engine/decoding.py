"""Decoding constraints a plan can impose on the next draft.

Engine-neutral: each backend maps them to what it offers (transformers: logits
processors, `bad_words_ids`, `stop_strings`; llama.cpp: logit bias, grammars).
They make a small model obey rules it cannot reliably follow from instructions.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class DecodingConstraints:
    banned_chars: list[str] = field(default_factory=list)  # no token containing these may be sampled
    banned_words: list[str] = field(default_factory=list)  # as whole words, any common casing
    lowercase_only: bool = False  # no token with an upper-case letter
    uppercase_only: bool = False  # no token with a lower-case letter
    min_new_tokens: int = 0  # end-of-text is forbidden before this many tokens
    max_new_tokens: int = 0  # 0 = the request's own limit
    forced_prefix: str = ""  # the draft starts with this text (fed to the model, counted as prompt)
    stop_strings: list[str] = field(default_factory=list)  # generation ends once one appears
    no_repeat_ngram: int = 0  # forbid repeating any n-gram of this size (0 = off)
    grammar: str = ""  # GBNF the generated text must follow (llama.cpp natively; transformers through llguidance)
    suffix: str = ""  # laid down by the program once the model stops (e.g. "\n\nP.S. ", an end phrase)
    suffix_slot: int = 0  # after the suffix, the model writes one more line of at most this many tokens
    suffix_end: str = ""  # laid down after that line (an end phrase after a P.S.)
    # no token that continues a word (one that starts with a lowercase letter): every word is one token. A grammar
    # that counts words or letters is met by gluing words ("beautifulday") or cutting them ("Photosyn") when the
    # model may write half a word; with whole words it must end the sentence or pick a shorter word. Digits stay (a
    # number is written digit by digit), and under lowercase-only it is off (a line's first word has no space before
    # it, so every lowercase start would be banned).
    whole_words: bool = False
    # upper limits counted while the model writes (irg/engine/counting.py): {"letter": "i", "n": 5} (at most 5 of the
    # letter i, any case), {"word": "flea", "n": 0} (the word never, however it is split into tokens), {"unit":
    # "sentence", "n": 4} and {"unit": "word", "n": 80} (the whole text's sentences or words: cut at a sentence end)
    limits: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.lowercase_only and self.uppercase_only:
            raise ValueError("A draft cannot be both lowercase-only and uppercase-only.")
        if self.min_new_tokens < 0 or self.max_new_tokens < 0:
            raise ValueError("Token limits cannot be negative.")

    def is_empty(self) -> bool:
        return self == DecodingConstraints()

    def merge(self, other: "DecodingConstraints | None") -> "DecodingConstraints":
        """Union of two sets of constraints (the later prefix / limits win when both set one)."""
        if other is None:
            return DecodingConstraints(**asdict(self))

        def union(a: list[str], b: list[str]) -> list[str]:
            return list(dict.fromkeys([*a, *b]))

        lower = self.lowercase_only or other.lowercase_only
        upper = (self.uppercase_only or other.uppercase_only) and not lower
        return DecodingConstraints(
            banned_chars=union(self.banned_chars, other.banned_chars),
            banned_words=union(self.banned_words, other.banned_words),
            lowercase_only=lower,
            uppercase_only=upper,
            min_new_tokens=max(self.min_new_tokens, other.min_new_tokens),
            max_new_tokens=other.max_new_tokens or self.max_new_tokens,
            forced_prefix=other.forced_prefix or self.forced_prefix,
            stop_strings=union(self.stop_strings, other.stop_strings),
            no_repeat_ngram=max(self.no_repeat_ngram, other.no_repeat_ngram),
            grammar=other.grammar or self.grammar,
            suffix=other.suffix or self.suffix,
            suffix_slot=max(self.suffix_slot, other.suffix_slot),
            suffix_end=other.suffix_end or self.suffix_end,
            # whole words belong to the grammar that counts words: they go where that grammar goes
            whole_words=other.whole_words if other.grammar else self.whole_words and not other.grammar,
            limits=merged_limits(self.limits, other.limits),
        )

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict | None) -> "DecodingConstraints":
        return cls(**(d or {}))

    def describe(self) -> list[str]:
        """Human-readable lines, for the UI and CLI."""
        out = []
        if self.banned_chars:
            out.append("banned characters: " + " ".join(repr(c) for c in self.banned_chars))
        if self.banned_words:
            out.append("banned words: " + ", ".join(self.banned_words))
        if self.lowercase_only:
            out.append("lowercase only")
        if self.uppercase_only:
            out.append("uppercase only")
        if self.min_new_tokens:
            out.append(f"no end before {self.min_new_tokens} tokens")
        if self.max_new_tokens:
            out.append(f"at most {self.max_new_tokens} new tokens")
        if self.forced_prefix:
            out.append(f"starts with {self.forced_prefix!r}")
        if self.stop_strings:
            out.append("stops at: " + ", ".join(repr(s) for s in self.stop_strings))
        if self.no_repeat_ngram:
            out.append(f"no repeated {self.no_repeat_ngram}-grams")
        if self.grammar:
            out.append("grammar: " + self.grammar.splitlines()[0].removeprefix("root ::= ")[:160])
        if self.suffix:
            out.append(f"then laid down: {self.suffix.strip()!r}" + (f" + one line ({self.suffix_slot} tokens at most)"
                                                                     if self.suffix_slot else ""))
        if self.suffix_end:
            out.append(f"then laid down: {self.suffix_end.strip()!r}")
        if self.whole_words:
            out.append("whole words only (no token continues a word)")
        if self.limits:
            out.append("counted while writing: " + ", ".join(
                f"at most {x['n']} {x['unit']}s" if "unit" in x else
                (f"the letter '{x['letter']}'" if "letter" in x else f"'{x['word']}'")
                + (f" at most {x['n']} times" if x["n"] else " never") for x in self.limits))
        return out


def limit_key(limit: dict) -> tuple[str, str]:
    if "unit" in limit:
        return ("unit", limit["unit"])
    return ("letter", limit["letter"].lower()) if "letter" in limit else ("word", limit["word"].lower())


def merged_limits(a: list[dict], b: list[dict]) -> list[dict]:
    """Two lists of limits as one: the lower limit of each letter, word or length."""
    out: dict[tuple, dict] = {}
    for lim in [*a, *b]:
        k = limit_key(lim)
        out[k] = lim if k not in out or lim["n"] < out[k]["n"] else out[k]
    return list(out.values())


def _lone_letter(token: str) -> bool:
    """A token that is one letter, not a word of one letter ("h", " E"; not " a", " I", " O"): under whole words
    the 135M model began a word it could only write in pieces (" h" + "ush"), could not go on, and left the letter
    ("In twilight's h Inter, I find my"); banned, it picks another start (a start of two or three letters, " th",
    " wh", can still be stranded the same way)."""
    t = token.strip()
    return token in (t, " " + t) and len(t) == 1 and t.isascii() and t.isalpha() and t.lower() not in "aio"


def banned_token_ids(vocab: list[str], special_ids: set[int], c: DecodingConstraints) -> list[int]:
    """Ids of tokens that must never be sampled under `c` (case and character bans).

    `vocab[i]` is token i decoded alone. Special tokens (end-of-text…) are never banned.
    Shared by every backend so that they ban exactly the same tokens.
    """
    chars = set(c.banned_chars)
    if not (chars or c.lowercase_only or c.uppercase_only or c.whole_words):
        return []
    out = []
    for i, s in enumerate(vocab):
        if i in special_ids:
            continue
        if (any(ch in s for ch in chars)
                or (c.lowercase_only and any(ch.isupper() for ch in s))
                or (c.uppercase_only and any(ch.islower() for ch in s))
                or (c.whole_words and not c.lowercase_only and s[:1].isascii() and s[:1].islower())
                or (c.whole_words and _lone_letter(s))):
            out.append(i)
    return out


def word_forms(words: list[str]) -> list[str]:
    """The surface forms a banned word takes: casings, with and without a leading space."""
    forms = []
    for w in words:
        for v in dict.fromkeys([w, w.lower(), w.capitalize(), w.upper()]):
            forms += [v, " " + v]
    return list(dict.fromkeys(forms))


def masks(dc: DecodingConstraints | None) -> bool:
    """Does `dc` ban something while decoding (words, characters, a letter case)? A text breaking such a ban is never
    the final while a draft without it exists (loop.RunContext.finish)."""
    return bool(dc and (dc.banned_words or dc.banned_chars or dc.lowercase_only or dc.uppercase_only
                        or any("unit" not in x for x in dc.limits)))  # a length is no ban: the best draft may run over
