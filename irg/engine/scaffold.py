"""Scaffolds: where the structure of an answer is known, the program lays it down and the model fills the slots.

A scaffold is decoding constraints the engines enforce with their own structured decoding:
  - a GBNF grammar for the body (llama.cpp's grammar sampler; on transformers the same grammar through
    llguidance, see irg/engine/backends/grammar.py): exactly N `* ` bullets, `SECTION i` headers, paragraphs split by
    `***`, two responses around `******`, the nth paragraph's first word, a `<<title>>`, one of the allowed
    options, a JSON object;
  - literal text before the model writes (`forced_prefix`: a start phrase, the repeated request) and after it
    stops (`suffix`: the end phrase; `P.S. ` followed by one line the model writes, `suffix_slot`).

Why the end phrase and the P.S. are laid down after the model stops rather than written into the grammar: a
grammar that forbids end-of-text until a phrase appears makes a 135M model ramble and loop ("I had to find a
way to bring her home." ×20, measured while building this), because it is denied the one token it wants.

One body structure is scaffolded at a time (the prompt's type with the highest `body_priority`; each type spells
its own structure in `Constraint.grammar_body`); the others stay instructions and rules. `literals()` lists the text
the program writes, so the share of an answer the model wrote can be reported.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from irg.engine import feasible
from irg.engine.constraints.base import Constraint, type_of
from irg.engine.decoding import DecodingConstraints

SLOT_TOKENS = 40  # the P.S. line the model writes after `P.S. `
MIN_SLOT_TOKENS = 4  # the least a part of a scaffold takes (a marker, a line break, a word and a full stop)
MAX_GRAMMAR_CHARS = feasible.MAX_GRAMMAR_CHARS  # a bigger grammar is not laid down (nor checked, nor compiled)
CHARS_PER_TOKEN = 4.0  # SmolLM2's tokenizer on English prose, roughly (the loop passes the measured ratio)


def text_rules(chars: int, stars: bool) -> str:
    """`line`: one line of at most `chars` characters (a paragraph is one line, as the model writes them); `free`:
    any number of lines, for a body with no structure of its own. Without `stars` no line holds an asterisk, so
    `***` and `******` separators can only be written where the grammar puts them."""
    cls = "[^\\n]" if stars else "[^\\n*]"
    return (f"line ::= [^\\n*] {cls}{{0,{max(20, chars)}}}\n"
            f"para ::= [^\\n*] {cls}{{0,{max(20, chars)}}} [.!?\"”)]\n"  # a paragraph ends a sentence
            f"free ::= line (\"\\n\" \"\\n\"? line){{0,40}}\n")


def structural(kind: str) -> bool:
    """Does a violated constraint of this kind call for a scaffold? Yes if its type lays down a body structure
    (`Constraint.grammar_body`) or something around the body (`Constraint.around_body`)."""
    cls = type_of(kind)
    return cls.around_body or cls.body_priority > 0


@dataclass
class Scaffold:
    constraints: DecodingConstraints
    parts: list[str] = field(default_factory=list)  # what is laid down, for the UI ("exactly 3 '* ' bullets")

    def literals(self) -> list[str]:
        c = self.constraints
        return [x for x in (c.forced_prefix, c.suffix, c.suffix_end) if x]


def build(constraints: list[Constraint], max_tokens: int = 256,
          chars_per_token: float = CHARS_PER_TOKEN) -> Scaffold | None:
    """The scaffold for everything structural the prompt asks for, or None if nothing is. Slots are sized so the
    whole structure fits in `max_tokens`: a grammar cut off by the token limit is a broken structure."""
    by = {c.kind: c for c in constraints}
    parts: list[str] = []
    body, pieces, extra, owner = None, 1, "", None
    for c in sorted(constraints, key=lambda c: -c.body_priority):  # the highest-priority structure the prompt asks for
        if c.body_priority and not fits(c, max_tokens):
            parts.append(f"not laid down: {c.kind.replace('_', ' ')} "
                         f"({c.slots():,} parts cannot fit in {max_tokens} tokens)")
            continue
        if c.body_priority and (got := c.grammar_body()) is not None:
            body, pieces, extra = got
            owner = c
            parts.append(f"grammar: {c.kind.replace('_', ' ')}")
            break
    if body is not None and "*" in banned_chars(constraints):
        body = body.replace('"* "', '"- "')  # "no asterisks" and bullets: the program's own "* " would break the ban
    root = []
    if "title" in by and not (owner is not None and owner.closed):
        root.append('"<<" [^<>\\n]{1,60} ">>" "\\n\\n"')
        parts.append("grammar: <<title>>")
    if body is not None:
        root.append(body)
    elif root:
        root.append("free")
    # the start phrase opens a line of its own before a structure that opens with a literal (a bullet's "* ", a
    # SECTION marker, a title): "Once" laid before the bullets' "* " was written "Once* upon a time" (no bullet, no
    # start phrase as the checks read them). Not before a closed body (JSON, a chosen option: nothing may precede it).
    lead = ""
    if root and root[0].startswith('"') and "start_phrase" in by and "repeat_request" not in by \
            and not (owner is not None and owner.closed):
        # the line ends one sentence (a long first line was cut mid-sentence at the line's limit); a phrase that ends
        # one already ("Here are my tips:") is the whole line
        lead = "" if by["start_phrase"].phrase.rstrip()[-1:] in ".!?:" else "lead ::= [^\\n*.!?:]{1,160} [.!?:]\n"
        root = [("lead " if lead else "") + '"\\n" (' + " ".join(root) + ")"]
        pieces += 1  # the lead line takes a slot's share of the tokens
        parts.append("laid down: the start phrase on a line before the structure")
    grammar = ""
    if root:
        chars = int(max_tokens * chars_per_token * 0.9 / max(1, pieces)) if body is not None else 300
        grammar = "root ::= " + " ".join(root) + "\n" + text_rules(chars, owner is None or owner.stars_in_text) \
            + extra + lead
        if len(grammar) > MAX_GRAMMAR_CHARS:
            parts = ([p for p in parts if not p.startswith(("grammar", "laid down: the start phrase"))]
                     + [f"not laid down: a grammar of {len(grammar):,} characters"])
            grammar = ""
    prefix = ""
    if "repeat_request" in by:
        prefix = by["repeat_request"].request.strip() + "\n\n"
        parts.append("laid down: the request, repeated")
    elif "start_phrase" in by:
        prefix = by["start_phrase"].phrase
        parts.append(f"laid down: starts with {prefix!r}")
    suffix, slot, end = "", 0, ""
    closed = owner is not None and owner.closed  # nothing may follow these
    if "postscript" in by and not closed:
        suffix, slot = f"\n\n{by['postscript'].marker} ", SLOT_TOKENS
        parts.append(f"laid down: {by['postscript'].marker} line")
    if "end_phrase" in by and not closed:
        end = by["end_phrase"].phrase
        parts.append(f"laid down: ends with {end!r}")
    if not (grammar or prefix or suffix or end):
        return None
    if end and not slot:
        suffix, end = "\n\n" + end, ""
    elif end:
        end = " " + end
    return Scaffold(DecodingConstraints(forced_prefix=prefix, grammar=grammar, suffix=suffix, suffix_slot=slot,
                                        suffix_end=end), parts)


def banned_chars(constraints: list[Constraint]) -> set[str]:
    """The characters the prompt's rules ban outright (a program's "the response contains no asterisks")."""
    return {ch for c in constraints if c.kind == "composed" and (d := c.decoding()) is not None
            for ch in d.banned_chars}


def fits(c: Constraint, max_tokens: int) -> bool:
    """Can the parts this constraint needs fit in a draft of `max_tokens` tokens at all?"""
    return c.slots() * MIN_SLOT_TOKENS <= max_tokens


def too_big(constraints: list[Constraint], max_tokens: int) -> list[str]:
    """Notices for structures that no draft of this length can hold (1,000,000 paragraphs in 256 tokens)."""
    return [f"'{c.instruction()}' asks for {c.slots():,} parts; a draft of {max_tokens} tokens holds at most about "
            f"{max_tokens // MIN_SLOT_TOKENS:,}, so it cannot be met and no scaffold is laid down for it."
            for c in constraints if c.slots() > 1 and not fits(c, max_tokens)]


def program_chars(text: str, dc: DecodingConstraints) -> int:
    """Characters of `text` the program laid down under `dc`: the forced prefix, the suffixes, and the literals the
    grammar's top rule spells out (markers, separators, options), where the text holds them."""
    n = sum(len(x) for x in (dc.forced_prefix, dc.suffix, dc.suffix_end) if x and x.strip() and x.strip() in text)
    if dc.grammar:
        root = dc.grammar.splitlines()[0]
        for raw in re.findall(r'"((?:[^"\\]|\\.)*)"', root):
            s = json.loads(f'"{raw}"')
            if s.strip() and s in text and len(s.strip()) > 0:
                n += len(s)
    return min(n, len(text))
