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
met is still met, its own constraint moved forward, the sentence ended, and the text is not debris; otherwise it is
dropped and the next place (the end of the first paragraph) is tried, then the first place once more with sampling. Tokens are counted like a P.S. slot: the
opening fed to the model and the words it writes (the draft before it is already in the engine's cache).
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace

from irg.engine.backends import GenRequest
from irg.engine.constraints import Constraint
from irg.engine.decoding import DecodingConstraints
from irg.engine.degenerate import degeneration

FILL_TOKENS = 48  # one sentence of a micro model
MAX_FILLS = 4  # per draft: more than this is rewriting the draft, not filling it
SAMPLED = 0.7  # the temperature of the last try


@dataclass
class FillStep:
    """One kept fill; shaped like a RenderStep so the UI and the record show both the same way."""
    kind: str
    label: str
    added: int  # characters the program wrote (the opening and its space)
    changed: int = 0

    def to_dict(self) -> dict:
        return {"kind": self.kind, "label": self.label, "added": self.added, "changed": self.changed}


def _unmet(text: str, constraints: list[Constraint]) -> set[int]:
    return {i for i, c in enumerate(constraints) if c.check(text)}


_BODY_SKIP = re.compile(r"^\s*(?:P\.\s?P\.\s?S|P\.\s?S|<<|SECTION|Section|PARAGRAPH|\*{3,}|[-*] |#|\d+[.)] )")


def places(text: str) -> list[int]:
    """Where a sentence may be added: after the last full stop of the last body line (not a P.S., a title, a header,
    a separator or a list item), then after the first body line's last full stop. A line that ends in a quote or a
    bracket keeps it after the new sentence."""
    out = []
    pos, lines = 0, []
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    body = [(p, ln) for p, ln in lines if ln.strip() and not _BODY_SKIP.match(ln)]
    for p, ln in (body[-1:] + body[:1]) if body else []:
        ends = [m.end() for m in re.finditer(r"[.!?](?=[\"”')\]]*\s*$|\s)", ln)]
        if ends:
            out.append(p + ends[-1])
    return list(dict.fromkeys(out))


def fill(text: str, constraints: list[Constraint], backend, messages: list[dict], dc: DecodingConstraints | None,
         cancel: threading.Event, budget_left: int | None = None) -> tuple[str, list[FillStep], int]:
    """The draft with what the constraints' openings could add, the steps kept, and the tokens spent."""
    steps: list[FillStep] = []
    spent = 0
    if not text.strip() or degeneration(text) or any(c.closed for c in constraints):
        return text, steps, spent  # debris stays debris; nothing may follow JSON or a chosen option
    dc = dc or DecodingConstraints()
    masks = DecodingConstraints(banned_chars=dc.banned_chars, banned_words=dc.banned_words,
                                lowercase_only=dc.lowercase_only, uppercase_only=dc.uppercase_only)
    base = backend.count_prompt_tokens(GenRequest(messages))  # the draft's own prompt: in the engine's cache
    tries, failed = 0, set()
    while tries < MAX_FILLS * 3 and len(steps) < MAX_FILLS and not cancel.is_set():
        unmet = _unmet(text, constraints)
        todo = [(i, c, o) for i, c in enumerate(constraints) if i in unmet and i not in failed for o in c.openings(text)[:1]]
        if not todo:
            break
        k, c, opening = todo[0]
        kept = False
        spots = places(text)
        # greedy at each place, then once sampled at the last one: greedy decoding repeats what it wrote before
        for where, temp in [(w, 0.0) for w in spots] + [(spots[0], SAMPLED)] if spots else []:
            tries += 1
            if budget_left is not None and budget_left - spent < FILL_TOKENS + 16:
                return text, steps, spent
            head = text[:where]
            lead = " " + opening.text
            # a micro model asked to go on copies its own sentence ("Bright, the world of coffee is …" x3): the
            # engines' repeat guard (DRY on llama.cpp, no_repeat_ngram on transformers) steers it elsewhere
            req_c = replace(masks, forced_prefix=head + lead, grammar=opening.grammar, no_repeat_ngram=4)
            g = backend.generate(GenRequest(messages, max_new_tokens=FILL_TOKENS, temperature=temp, seed=tries,
                                            constraints=req_c), cancel)
            cached = base + backend.count_tokens(head)  # the prompt and the draft so far: already in the engine's cache
            spent += max(0, g.prompt_tokens - cached) + g.completion_tokens
            added = g.text[len(head + lead):] if g.text.startswith(head + lead) else ""
            if g.finish_reason in ("length", "cancelled") or not re.search(r"[.!?]$", added.strip()):
                continue  # the sentence did not end: a cut sentence is worse than none
            out = head + lead + added.rstrip() + text[where:]
            moved = not c.check(out) or 0 < len(c.openings(out)) < len(c.openings(text))  # met, or fewer missing
            if (_unmet(out, constraints) - unmet or further(out, text, [constraints[i] for i in unmet if i != k])
                    or degeneration(out) or not moved or copied(lead + added, head)):
                continue  # it broke something met, pushed an unmet limit further, is debris or a copy, or did not help
            text = out
            steps.append(FillStep(c.kind, opening.label, len(lead)))
            kept = True
            break
        if not kept:
            failed.add(k)  # its opening did not take at any place: the plan's instruction stays
    return text, steps, spent


def further(out: str, text: str, unmet: list[Constraint]) -> bool:
    """Did the fill push an unmet upper limit further (a fourth sentence under "at most 3", more words over a
    word limit)? A fill only adds, so such a limit can only get worse."""
    for d in unmet:
        rel, n = getattr(d, "rel", None), getattr(d, "n", None)
        if hasattr(d, "count") and (rel in ("at_most", "less_than") or (rel == "exactly" and d.count(text) >= n)):
            if d.count(out) > d.count(text):
                return True
    return False


def copied(sentence: str, before: str, share: float = 0.5) -> bool:
    """Is the new sentence mostly word triples the draft already holds (a copy is not a new sentence)?"""
    def triples(s):
        w = re.findall(r"\w+", s.lower())
        return {tuple(w[i:i + 3]) for i in range(len(w) - 2)}
    new = triples(sentence)
    return bool(new) and len(new & triples(before)) >= share * len(new)
