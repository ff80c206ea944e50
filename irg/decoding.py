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
        return out
