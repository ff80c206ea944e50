"""Word-level difference between two answers, as HTML (the app) or Markdown (reports)."""
from __future__ import annotations

import difflib
import html
import re


def _tokens(text: str) -> list[str]:
    return re.findall(r"\s+|[^\s]+", text or "")


def opcodes(a: str, b: str):
    ta, tb = _tokens(a), _tokens(b)
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        yield op, "".join(ta[i1:i2]), "".join(tb[j1:j2])


def diff_html(a: str, b: str) -> str:
    """b with deletions from a struck through and insertions highlighted."""
    out = []
    for op, old, new in opcodes(a, b):
        if op == "equal":
            out.append(html.escape(old))
            continue
        if old.strip():
            out.append(f"<del>{html.escape(old)}</del>")
        if new:
            out.append(f"<ins>{html.escape(new)}</ins>")
    return "".join(out)


def diff_markdown(a: str, b: str) -> str:
    out = []
    for op, old, new in opcodes(a, b):
        if op == "equal":
            out.append(old)
            continue
        if old.strip():
            out.append(f"~~{old.strip()}~~ ")
        if new.strip():
            out.append(f"**{new.strip()}** ")
    return "".join(out)


def similarity(a: str, b: str) -> float:
    """Share of words kept (difflib ratio over word tokens)."""
    return difflib.SequenceMatcher(None, _tokens(a), _tokens(b), autojunk=False).ratio()
